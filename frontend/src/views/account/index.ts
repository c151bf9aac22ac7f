// The account chunk (every signed-in role): profile, personal access tokens and the inbox.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/account'
import id from '@/i18n/locales/id/account'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as AccountView } from './AccountView.vue'
export { default as InboxView } from './InboxView.vue'
