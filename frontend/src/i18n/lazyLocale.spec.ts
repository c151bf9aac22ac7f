import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// A fresh i18n module each time: the test setup has already merged every message into the shared
// one, whereas the shell starts with Indonesian's common messages only.
async function freshI18n() {
  vi.resetModules()
  return import('@/i18n')
}

describe('languages loaded on demand', () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => localStorage.clear())

  it('starts with Indonesian only, and switches to English once its texts have arrived', async () => {
    const { i18n, setLocale, currentLocale, localeReady, localeSwitched } = await freshI18n()
    await localeReady
    expect(i18n.global.getLocaleMessage('en')).toEqual({})

    setLocale('en')
    expect(currentLocale()).toBe('id') // not before its texts are there: no half-English screen
    await localeSwitched()
    expect(currentLocale()).toBe('en')
    expect(i18n.global.t('app.retry')).toBe('Try again')
    expect(localStorage.getItem('kipp.locale')).toBe('en')
    expect(document.documentElement.lang).toBe('en')

    setLocale('id') // loaded: at once
    expect(currentLocale()).toBe('id')
    expect(i18n.global.t('app.retry')).toBe('Coba lagi')
  })

  it('mounts an English visitor in English: localeReady waits for the texts', async () => {
    localStorage.setItem('kipp.locale', 'en')
    const { i18n, currentLocale, localeReady } = await freshI18n()
    expect(currentLocale()).toBe('en')
    await localeReady
    expect(i18n.global.t('app.retry')).toBe('Try again')
  })

  it('keeps the last choice when a slower switch finishes after it', async () => {
    const { setLocale, currentLocale, localeSwitched } = await freshI18n()
    setLocale('en')
    const english = localeSwitched()
    setLocale('id')
    await english
    expect(currentLocale()).toBe('id')
    expect(localStorage.getItem('kipp.locale')).toBe('id')
  })
})
