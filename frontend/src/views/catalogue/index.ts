// The public innovation catalogue (search and one innovation's page): its own chunk, so neither
// the login page nor a judge's phone carries it.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/catalogue'
import id from '@/i18n/locales/id/catalogue'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as CatalogueView } from './CatalogueView.vue'
export { default as CatalogueInnovationView } from './CatalogueInnovationView.vue'
