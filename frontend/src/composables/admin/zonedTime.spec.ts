import { describe, expect, it } from 'vitest'

import { formatOffset, fromZonedInput, isValidTimeZone, toZonedInput, zoneOffsetMinutes } from './zonedTime'

describe('zoned datetime-local conversion', () => {
  it('shows an instant as wall-clock time in the competition zone (WITA, +08:00)', () => {
    expect(toZonedInput('2021-10-11T00:00:00+08:00', 'Asia/Makassar')).toBe('2021-10-11T00:00')
    expect(toZonedInput('2021-10-10T16:00:00Z', 'Asia/Makassar')).toBe('2021-10-11T00:00')
    expect(toZonedInput('2021-10-10T16:00:00Z', 'Asia/Jakarta')).toBe('2021-10-10T23:00')
  })

  it('reads wall-clock time in the zone back as ISO 8601 with its offset', () => {
    expect(fromZonedInput('2021-10-11T00:00', 'Asia/Makassar')).toBe('2021-10-11T00:00:00+08:00')
    expect(fromZonedInput('2021-12-31T23:59', 'Asia/Jayapura')).toBe('2021-12-31T23:59:00+09:00')
    expect(new Date(fromZonedInput('2021-10-11T00:00', 'Asia/Makassar')!).toISOString()).toBe(
      '2021-10-10T16:00:00.000Z',
    )
  })

  it('round-trips across daylight saving time', () => {
    expect(fromZonedInput('2021-07-01T12:00', 'Europe/Berlin')).toBe('2021-07-01T12:00:00+02:00')
    expect(fromZonedInput('2021-01-01T12:00', 'Europe/Berlin')).toBe('2021-01-01T12:00:00+01:00')
    const iso = fromZonedInput('2021-03-28T01:30', 'Europe/Berlin')!
    expect(toZonedInput(iso, 'Europe/Berlin')).toBe('2021-03-28T01:30')
  })

  it('refuses what is not a date and time', () => {
    expect(fromZonedInput('', 'Asia/Makassar')).toBeNull()
    expect(fromZonedInput('11/10/2021', 'Asia/Makassar')).toBeNull()
    expect(toZonedInput(null, 'Asia/Makassar')).toBe('')
    expect(toZonedInput('nonsense', 'Asia/Makassar')).toBe('')
  })

  it('formats offsets and knows zones', () => {
    expect(formatOffset(480)).toBe('+08:00')
    expect(formatOffset(-210)).toBe('-03:30')
    expect(zoneOffsetMinutes(new Date('2021-10-11T00:00:00Z'), 'Asia/Makassar')).toBe(480)
    expect(isValidTimeZone('Asia/Makassar')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
  })
})
