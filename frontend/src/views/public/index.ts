// One chunk per role: the router imports this module lazily, so its screens travel together.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/public'
import id from '@/i18n/locales/id/public'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as HomeView } from './HomeView.vue'
export { default as LoginView } from './LoginView.vue'
export { default as NotFoundView } from './NotFoundView.vue'
