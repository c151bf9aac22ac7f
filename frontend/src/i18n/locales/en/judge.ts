import type { JudgeMessages } from '../id/judge'

const messages: JudgeMessages = {
  judge: {
    title: 'My scoring',
  },
}

export default messages
