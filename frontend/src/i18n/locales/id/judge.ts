// Indonesian is the reference: en/judge.ts must have exactly these keys.
const messages = {
  judge: {
    title: 'Penilaian saya',
  },
}

export type JudgeMessages = typeof messages
export default messages
