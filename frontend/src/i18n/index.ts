import { createI18n } from 'vue-i18n'

import en from './locales/en/common'
import id, { type CommonMessages } from './locales/id/common'

export const LOCALES = ['id', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'id'

const STORAGE_KEY = 'kipp.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function storedLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    return isLocale(stored) ? stored : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

// Only the common messages ship with the shell; each area's messages (locales/<lang>/<area>.ts)
// arrive with the route chunk that needs them, via addMessages(), so a judge's phone never
// downloads the admin texts.
export const i18n = createI18n<[CommonMessages], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  // Copies: vue-i18n merges later areas into these objects, and the modules must stay as written.
  messages: { id: structuredClone(id), en: structuredClone(en) },
})

/** Merge one area's messages (both locales, same keys: the completeness test checks) into the app. */
export function addMessages(messages: Record<Locale, object>): void {
  for (const locale of LOCALES)
    i18n.global.mergeLocaleMessage(locale, structuredClone(messages[locale]) as CommonMessages)
}

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

/** Switch the UI language, remember it, and tell assistive technology via <html lang>. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // private mode: the choice lasts for this visit only
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
