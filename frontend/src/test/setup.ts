// Vitest: components are mounted without their route chunk, so load every area's messages.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en'
import id from '@/i18n/locales/id'

addMessages({ id, en })
