import { describe, expect, it } from 'vitest'

import type { ScheduleSlot } from '@/api'

import { byDay, clockTime, shiftIso, swapWithNext, toSlotIn } from './useSchedule'

function slot(id: number, starts_at: string, duration_minutes = 30): ScheduleSlot {
  return {
    id,
    innovation_id: id,
    title: `Inovasi ${id}`,
    agency_code: 'DLH',
    starts_at,
    ends_at: shiftIso(starts_at, duration_minutes),
    duration_minutes,
    place: 'Aula',
    online_url: '',
    note: '',
    sequence: 0,
    own: false,
  }
}

describe('the schedule editor', () => {
  it('shifts a time and keeps its offset', () => {
    expect(shiftIso('2021-11-15T09:00:00+08:00', 45)).toBe('2021-11-15T09:45:00+08:00')
    expect(shiftIso('2021-11-15T23:30:00+08:00', 60)).toBe('2021-11-16T00:30:00+08:00')
  })

  it('swaps two slots: the later takes the earlier start, the gap is kept, ids stay', () => {
    const slots = [slot(1, '2021-11-15T09:00:00+08:00', 30), slot(2, '2021-11-15T09:45:00+08:00', 45)]
    const swapped = swapWithNext(slots, 0)
    expect(swapped.map((s) => [s.id, s.starts_at])).toEqual([
      [2, '2021-11-15T09:00:00+08:00'],
      [1, '2021-11-15T10:00:00+08:00'],
    ])
    expect(swapWithNext(slots, 1)).toEqual(slots)
  })

  it('reads the wall-clock time the server wrote, in each language’s style', () => {
    expect(clockTime('2021-11-15T09:30:00+08:00', 'id')).toBe('09.30')
    expect(clockTime('2021-11-15T09:30:00+08:00', 'en')).toBe('09:30')
  })

  it('groups slots by their day', () => {
    const days = byDay([
      slot(1, '2021-11-15T09:00:00+08:00'),
      slot(2, '2021-11-15T10:00:00+08:00'),
      slot(3, '2021-11-16T09:00:00+08:00'),
    ])
    expect(days.map((d) => [d.day, d.slots.length])).toEqual([
      ['2021-11-15', 2],
      ['2021-11-16', 1],
    ])
  })

  it('sends a slot back without the fields the server computes, an empty link as null', () => {
    expect(toSlotIn(slot(4, '2021-11-15T09:00:00+08:00'))).toEqual({
      id: 4,
      innovation_id: 4,
      starts_at: '2021-11-15T09:00:00+08:00',
      duration_minutes: 30,
      place: 'Aula',
      online_url: null,
      note: '',
    })
  })
})
