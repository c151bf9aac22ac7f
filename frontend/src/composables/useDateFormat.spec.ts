import { describe, expect, it } from 'vitest'

import { DEFAULT_TIME_ZONE, formatDate, formatDateTime } from './useDateFormat'

// 01:30 UTC is 09:30 in Makassar (UTC+8) and 08:30 in Jakarta (UTC+7).
const INSTANT = '2021-10-11T01:30:00Z'

describe('formatDateTime', () => {
  it('defaults to Asia/Makassar', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Makassar')
    expect(formatDateTime(INSTANT, 'id')).toMatch(/09[.:]30/)
  })

  it('shows Indonesian month names and the WITA zone in Indonesian', () => {
    const text = formatDateTime(INSTANT, 'id')
    expect(text).toContain('Okt')
    expect(text).toContain('2021')
    expect(text).toContain('WITA')
  })

  it('shows English month names in English', () => {
    const text = formatDateTime(INSTANT, 'en')
    expect(text).toContain('Oct')
    expect(text).toMatch(/09:30/)
  })

  it('shows the time in the given zone', () => {
    expect(formatDateTime(INSTANT, 'id', 'Asia/Jakarta')).toMatch(/08[.:]30/)
    expect(formatDateTime(INSTANT, 'id', 'Asia/Jayapura')).toMatch(/10[.:]30/)
  })

  it('honours the offset of an ISO string', () => {
    expect(formatDateTime('2021-10-11T09:30:00+08:00', 'en')).toMatch(/09:30/)
  })

  it('moves the calendar day with the zone', () => {
    // 17:00 UTC on the 10th is already the 11th in Makassar
    expect(formatDate('2021-10-10T17:00:00Z', 'id')).toBe('11 Oktober 2021')
    expect(formatDate('2021-10-10T17:00:00Z', 'en', 'UTC')).toBe('10 October 2021')
  })

  it('returns an empty string for missing or invalid input', () => {
    expect(formatDateTime(null, 'id')).toBe('')
    expect(formatDateTime('not a date', 'id')).toBe('')
    expect(formatDate(undefined, 'en')).toBe('')
  })
})
