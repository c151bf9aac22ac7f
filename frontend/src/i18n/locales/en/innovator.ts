import type { InnovatorMessages } from '../id/innovator'

const messages: InnovatorMessages = {
  innovator: {
    title: 'My proposals',
  },
}

export default messages
