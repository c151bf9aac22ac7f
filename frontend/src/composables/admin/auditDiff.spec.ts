import { describe, expect, it } from 'vitest'

import { auditChanges, auditValue } from './auditDiff'

describe('auditChanges', () => {
  it('lists changed fields first, then added, removed and unchanged', () => {
    const changes = auditChanges(
      { current_stage: 'submission', name: 'A', old: 1 },
      { current_stage: 'administrative', name: 'A', early: true },
    )
    expect(changes.map((c) => [c.key, c.kind])).toEqual([
      ['current_stage', 'changed'],
      ['early', 'added'],
      ['old', 'removed'],
      ['name', 'same'],
    ])
  })

  it('treats a creation (no before) as every field added', () => {
    expect(auditChanges(null, { code: 'DLH' })).toEqual([
      { key: 'code', before: undefined, after: 'DLH', kind: 'added' },
    ])
    expect(auditChanges(null, null)).toEqual([])
  })

  it('compares nested values by content', () => {
    expect(auditChanges({ ids: [1, 2] }, { ids: [1, 2] })[0]!.kind).toBe('same')
    expect(auditChanges({ ids: [1, 2] }, { ids: [2, 1] })[0]!.kind).toBe('changed')
  })

  it('renders values briefly', () => {
    expect(auditValue(null)).toBe('∅')
    expect(auditValue(true)).toBe('true')
    expect(auditValue({ a: [1] })).toBe('{"a":[1]}')
    expect(auditValue(undefined)).toBe('')
  })
})
