import { createI18n } from 'vue-i18n'

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

// Only the common messages ship with the shell, and only Indonesian's (the default and the
// fallback); English's arrive when chosen (loadCommon). Each area's messages
// (locales/<lang>/<area>.ts) arrive with the route chunk that needs them, via addMessages(), so
// a judge's phone never downloads the admin texts.
export const i18n = createI18n<[CommonMessages], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  // A copy: vue-i18n merges later areas into this object, and the module must stay as written.
  messages: { id: structuredClone(id) } as Record<Locale, CommonMessages>,
})

// Indonesian's are in the shell (above); the other languages' are fetched when needed.
const LAZY_COMMON: Partial<Record<Locale, () => Promise<{ default: CommonMessages }>>> = {
  en: () => import('./locales/en/common'),
}
const loadingCommon = new Map<Locale, Promise<boolean>>()

function hasCommon(locale: Locale): boolean {
  return 'app' in i18n.global.getLocaleMessage(locale)
}

/**
 * The common messages of `locale`, fetched once; false when they could not be (offline: a later
 * call tries again).
 */
function loadCommon(locale: Locale): Promise<boolean> {
  const load = LAZY_COMMON[locale]
  if (!load || hasCommon(locale)) return Promise.resolve(true)
  const pending =
    loadingCommon.get(locale) ??
    load().then(
      (module) => {
        i18n.global.mergeLocaleMessage(locale, structuredClone(module.default))
        return true
      },
      () => false,
    )
  if (!loadingCommon.has(locale)) {
    loadingCommon.set(locale, pending)
    void pending.finally(() => loadingCommon.delete(locale))
  }
  return pending
}

/**
 * Resolves when the stored language's common messages are there (at once for Indonesian): the
 * app mounts then, so an English visit never flashes Indonesian. Offline, it mounts all the same,
 * in Indonesian where English is missing.
 */
export const localeReady: Promise<void> = loadCommon(currentLocale()).then(() => undefined)

/** Merge one area's messages (both locales, same keys: the completeness test checks) into the app. */
export function addMessages(messages: Record<Locale, object>): void {
  for (const locale of LOCALES)
    i18n.global.mergeLocaleMessage(locale, structuredClone(messages[locale]) as CommonMessages)
}

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

let requested: Locale | null = null
let switching: Promise<void> = Promise.resolve()

/**
 * Switch the UI language, remember it, and tell assistive technology via <html lang>. At once when
 * the language's messages are loaded (always for Indonesian), else when they arrive (see
 * localeSwitched); a switch that cannot load them (offline) leaves the language as it was.
 */
export function setLocale(locale: Locale): void {
  requested = locale
  if (hasCommon(locale)) {
    applyLocale(locale)
    switching = Promise.resolve()
    return
  }
  switching = loadCommon(locale).then((loaded) => {
    if (loaded && requested === locale) applyLocale(locale)
  })
}

/** Settles when the last setLocale() has taken effect, or given up. */
export function localeSwitched(): Promise<void> {
  return switching
}

function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // private mode: the choice lasts for this visit only
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
