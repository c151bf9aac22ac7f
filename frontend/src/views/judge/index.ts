// The judge chunk: everything a judge's phone needs beyond the shell, in one request.
import { watch } from 'vue'

import { i18n, type Locale } from '@/i18n'
import id from '@/i18n/locales/id/judge'

// This area's texts travel with its screens. Indonesian, the default, comes in this chunk;
// English only when chosen (a ~1 KB language pack), so most judges' phones never fetch it.
function merge(locale: Locale, messages: object): void {
  i18n.global.mergeLocaleMessage(locale, structuredClone(messages))
}
merge('id', id)

let english: Promise<void> | null = null

function loadEnglish(): Promise<void> {
  return import('@/i18n/locales/en/judge').then(
    (module) => {
      merge('en', module.default)
      // vue-i18n does not re-translate when messages arrive after the switch: bounce the
      // locale within one tick so the screen renders once more, now in English.
      if (i18n.global.locale.value !== 'en') return
      i18n.global.locale.value = 'id'
      i18n.global.locale.value = 'en'
    },
    () => {
      english = null // offline: try again on the next switch
    },
  )
}

watch(
  i18n.global.locale,
  (locale) => {
    if (locale === 'en') english ??= loadEnglish()
  },
  { immediate: true },
)

export { default as AssignmentsView } from './AssignmentsView.vue'
export { default as ScoringView } from './ScoringView.vue'
