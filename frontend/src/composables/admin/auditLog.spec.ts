import { describe, expect, it } from 'vitest'

import { NO_FILTERS, auditQuery, changeValue, localMidnight } from './auditLog'

describe('audit log filters', () => {
  it('sends only the filters that are set, the to-day included', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({
      competition_id: undefined,
      actor_id: undefined,
      entity_type: undefined,
      entity_id: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
    })
    const query = auditQuery({
      ...NO_FILTERS,
      actorId: 3,
      action: ' competition.advance ',
      entityId: '12',
      fromDay: '2021-11-01',
      toDay: '2021-11-01',
    })
    expect(query.actor_id).toBe(3)
    expect(query.action).toBe('competition.advance')
    expect(query.entity_id).toBe(12)
    expect(query.from).toBe(new Date(2021, 10, 1).toISOString())
    expect(query.to).toBe(new Date(2021, 10, 2).toISOString())
  })

  it('ignores days and numbers that are not', () => {
    expect(localMidnight('1 Nov')).toBeUndefined()
    expect(auditQuery({ ...NO_FILTERS, entityId: 'abc' }).entity_id).toBeUndefined()
  })

  it('shows changed times in local time and nothing as a dash', () => {
    const format = (iso: string) => `local(${iso})`
    expect(changeValue('2021-11-20T09:00:00+00:00', format)).toBe('local(2021-11-20T09:00:00+00:00)')
    expect(changeValue('Penilaian', format)).toBe('Penilaian')
    expect(changeValue(null, format)).toBe('—')
  })
})
