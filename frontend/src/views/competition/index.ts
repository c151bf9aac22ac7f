// The public competition page (timeline, eligible innovations, results, objections): its own
// chunk, so the login page a judge's phone needs does not carry it.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/competition'
import id from '@/i18n/locales/id/competition'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as CompetitionView } from './CompetitionView.vue'
