// Indonesian is the reference: en/innovator.ts must have exactly these keys.
const messages = {
  innovator: {
    title: 'Proposal saya',
  },
}

export type InnovatorMessages = typeof messages
export default messages
