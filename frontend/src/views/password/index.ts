// Forgotten passwords and invitations: a chunk of its own, loaded only by whoever opens them.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/password'
import id from '@/i18n/locales/id/password'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as ForgotPasswordView } from './ForgotPasswordView.vue'
export { default as SetPasswordView } from './SetPasswordView.vue'
