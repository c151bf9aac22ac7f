// The judge chunk: everything a judge's phone needs beyond the shell, in one request.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/judge'
import id from '@/i18n/locales/id/judge'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as AssignmentsView } from './AssignmentsView.vue'
