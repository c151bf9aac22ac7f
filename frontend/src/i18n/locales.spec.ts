import { describe, expect, it } from 'vitest'

import en, { areas as enAreas } from './locales/en'
import id, { areas as idAreas } from './locales/id'

function flatten(tree: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of flatten(value, path)) out.set(k, v)
    } else {
      out.set(path, value)
    }
  }
  return out
}

/** The placeholders of a message, each once (plural forms `a | b` repeat them). */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort()
}

describe('locale messages', () => {
  const idKeys = flatten(id)
  const enKeys = flatten(en)

  it('has every Indonesian key in English', () => {
    expect([...idKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([])
  })

  it('has every English key in Indonesian', () => {
    expect([...enKeys.keys()].filter((k) => !idKeys.has(k))).toEqual([])
  })

  it('has a non-empty string for every key in both locales', () => {
    for (const messages of [idKeys, enKeys]) {
      for (const [key, value] of messages) {
        expect(typeof value === 'string' && value.trim() !== '', key).toBe(true)
      }
    }
  })

  it('uses the same placeholders in both locales', () => {
    for (const [key, value] of idKeys) {
      expect(placeholders(String(enKeys.get(key))), key).toEqual(placeholders(String(value)))
    }
  })

  it('has the same areas in both locales, each with the same top-level sections', () => {
    expect(Object.keys(enAreas)).toEqual(Object.keys(idAreas))
    for (const [area, messages] of Object.entries(idAreas)) {
      expect(Object.keys(enAreas[area as keyof typeof enAreas]), area).toEqual(Object.keys(messages))
    }
  })

  it('never defines a section in two areas (a later merge would silently replace it)', () => {
    const owner = new Map<string, string>()
    for (const [area, messages] of Object.entries(idAreas)) {
      for (const section of Object.keys(messages)) {
        expect(owner.get(section), `${section} in ${area}`).toBeUndefined()
        owner.set(section, area)
      }
    }
  })
})
