// Every Indonesian message, merged from the per-area files. The app does not import this module
// at run time (common.ts ships with the shell; each area arrives with its route chunk through
// `addMessages`), but its type is the whole message tree and the completeness test reads it.
import account from './account'
import admin from './admin'
import catalogue from './catalogue'
import common from './common'
import competition from './competition'
import innovator from './innovator'
import judge from './judge'
import publicMessages from './public'

export const areas = { common, public: publicMessages, competition, catalogue, account, innovator, judge, admin }
const messages = {
  ...common,
  ...publicMessages,
  ...competition,
  ...catalogue,
  ...account,
  ...innovator,
  ...judge,
  ...admin,
}

export type Messages = typeof messages
export default messages
