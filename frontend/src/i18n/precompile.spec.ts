import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'

import { compileMessage } from '../../scripts/precompileMessages'
import en from './locales/en'
import id from './locales/id'

type Tree = { [key: string]: string | Tree }

/** The same tree with every message replaced by its build-time AST (as the build ships it). */
function precompiled(tree: Tree): object {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => [
      key,
      typeof value === 'string' ? (JSON.parse(compileMessage(value)) as object) : precompiled(value),
    ]),
  )
}

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  )
}

describe('build-time message compilation', () => {
  // Strings compiled by vue-i18n at run time (dev, tests) against the ASTs the build ships.
  const asWritten = createI18n({ legacy: false, locale: 'id', warnHtmlMessage: false, messages: { id, en } })
  const asBuilt = createI18n({
    legacy: false,
    locale: 'id',
    messages: { id: precompiled(id as Tree), en: precompiled(en as Tree) } as unknown as { id: Tree; en: Tree },
  })
  // A distinct value for every placeholder any message uses.
  const values = Object.fromEntries(
    keys(id as Tree)
      .flatMap((key) => [...String(asWritten.global.tm(key)).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))
      .map((name, index) => [name, `${name}-${index}`]),
  )

  it('renders every message of both languages exactly as the runtime compiler does', () => {
    expect(asBuilt.global.t('nav.signedInAs', values)).toBe(`Masuk sebagai ${values.name}`)
    for (const locale of ['id', 'en'] as const) {
      asWritten.global.locale.value = locale
      asBuilt.global.locale.value = locale
      for (const key of keys(id)) {
        for (const plural of [0, 1, 2]) {
          expect(asBuilt.global.t(key, values, plural), `${locale} ${key}`).toBe(
            asWritten.global.t(key, values, plural),
          )
        }
      }
    }
  })

  it('refuses a message that does not compile, naming it', () => {
    expect(() => compileMessage('Nilai {n')).toThrow(/Nilai \{n/)
  })
})
