// Every English message, merged from the per-area files (see ../id/index.ts).
import type { Messages } from '../id'

import account from './account'
import admin from './admin'
import catalogue from './catalogue'
import common from './common'
import competition from './competition'
import innovator from './innovator'
import judge from './judge'
import publicMessages from './public'

export const areas = { common, public: publicMessages, competition, catalogue, account, innovator, judge, admin }
const messages: Messages = {
  ...common,
  ...publicMessages,
  ...competition,
  ...catalogue,
  ...account,
  ...innovator,
  ...judge,
  ...admin,
}

export default messages
