/**
 * `<input type="datetime-local">` speaks wall-clock time without a zone; a competition's windows
 * are instants in the competition's time zone (WITA for Luwu Utara), whatever the browser's zone.
 * These convert between the two without a date library.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let fmt = partsFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormatters.set(timeZone, fmt)
  }
  return fmt
}

/** Wall-clock fields of `date` in `timeZone`. */
function wallClock(date: Date, timeZone: string) {
  const out: Record<string, number> = {}
  for (const part of partsFormatter(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value)
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  }
}

/** The zone's offset from UTC at `date`, in minutes (Asia/Makassar: +480). */
export function zoneOffsetMinutes(date: Date, timeZone: string): number {
  const w = wallClock(date, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000)
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0')

/** An instant (ISO 8601) as the `datetime-local` value of its wall-clock time in `timeZone`. */
export function toZonedInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const w = wallClock(date, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`
}

/** Format an offset in minutes as `+08:00`. */
export function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

/**
 * A `datetime-local` value read as wall-clock time in `timeZone`, as ISO 8601 with that zone's
 * offset (`2021-10-11T00:00:00+08:00`), or null when the value is not a date and time. A time
 * skipped by a daylight-saving jump resolves to the offset after the jump.
 */
export function fromZonedInput(value: string, timeZone: string): string | null {
  const match = LOCAL_INPUT.exec(value.trim())
  if (!match) return null
  const [, y, mo, d, h, mi, s] = match
  const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0))
  if (Number.isNaN(wallAsUtc)) return null
  // The offset at the guessed instant, then once more at the corrected one (DST edges).
  let offset = zoneOffsetMinutes(new Date(wallAsUtc), timeZone)
  offset = zoneOffsetMinutes(new Date(wallAsUtc - offset * 60_000), timeZone)
  const instant = new Date(wallAsUtc - offset * 60_000)
  const w = wallClock(instant, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(offset)}`
}

/** Whether `timeZone` is an IANA zone this browser knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
