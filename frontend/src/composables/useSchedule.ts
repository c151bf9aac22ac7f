// The presentation schedule as the public, innovators and judges read it, and the pure edits
// the admin's editor makes before saving (reorder, retime), kept here so they are unit-tested.
import { ApiProblem, api, unwrap, type Schedule, type ScheduleSlot, type ScheduleSlotIn } from '@/api'

/** The schedule, or null when there is none to see (the API answers 404 before publication). */
export async function fetchSchedule(competitionId: number): Promise<Schedule | null> {
  try {
    return await unwrap(
      api.GET('/api/v1/competitions/{competition_id}/schedule', {
        params: { path: { competition_id: competitionId } },
      }),
    )
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return null
    throw error
  }
}

/** Where the whole schedule's calendar is downloaded. */
export const scheduleIcsUrl = (competitionId: number): string => `/api/v1/competitions/${competitionId}/schedule.ics`

/** Where one slot's calendar is downloaded. */
export const slotIcsUrl = (competitionId: number, slotId: number): string =>
  `/api/v1/competitions/${competitionId}/schedule/slots/${slotId}.ics`

const MINUTE = 60_000

/** The slot's calendar day (YYYY-MM-DD) as the server wrote it, in the competition's zone. */
export const dayOf = (slot: Pick<ScheduleSlot, 'starts_at'>): string => slot.starts_at.slice(0, 10)

/** The wall-clock time of an ISO time as the server wrote it (in the competition's zone):
 * `09.30` in Indonesian, `09:30` in English. */
export const clockTime = (iso: string, locale: string): string => {
  const hhmm = iso.slice(11, 16)
  return locale === 'id' ? hhmm.replace(':', '.') : hhmm
}

/** Slots grouped by day, in order. */
export function byDay<T extends Pick<ScheduleSlot, 'starts_at'>>(slots: readonly T[]): { day: string; slots: T[] }[] {
  const days: { day: string; slots: T[] }[] = []
  for (const slot of slots) {
    const day = dayOf(slot)
    const last = days.at(-1)
    if (last && last.day === day) last.slots.push(slot)
    else days.push({ day, slots: [slot] })
  }
  return days
}

/** An ISO time with a fixed offset (`+08:00`) moved by `minutes`, keeping that offset. */
export function shiftIso(iso: string, minutes: number): string {
  const match = /([+-]\d{2}:\d{2}|Z)$/.exec(iso)
  const offset = match ? match[1]! : 'Z'
  const sign = offset === 'Z' ? 0 : offset.startsWith('-') ? -1 : 1
  const offsetMinutes = offset === 'Z' ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)))
  const wall = new Date(new Date(iso).getTime() + (minutes + offsetMinutes) * MINUTE)
  return `${wall.toISOString().slice(0, 19)}${offset === 'Z' ? '+00:00' : offset}`
}

const minutesBetween = (from: string, to: string): number =>
  (new Date(to).getTime() - new Date(from).getTime()) / MINUTE

/**
 * Swap slot `index` with the one after it in the day's order: the later one takes the earlier
 * one's start, and the earlier follows it after the same gap. Each slot keeps its id, so a
 * presentation's calendar event moves with it. Returns a new list; an edge index changes nothing.
 */
export function swapWithNext<T extends Pick<ScheduleSlot, 'starts_at' | 'duration_minutes'>>(
  slots: readonly T[],
  index: number,
): T[] {
  const out = [...slots]
  const first = out[index]
  const second = out[index + 1]
  if (!first || !second) return out
  const gap = minutesBetween(shiftIso(first.starts_at, first.duration_minutes), second.starts_at)
  const movedUp = { ...second, starts_at: first.starts_at }
  const movedDown = { ...first, starts_at: shiftIso(first.starts_at, second.duration_minutes + gap) }
  out[index] = movedUp
  out[index + 1] = movedDown
  return out
}

/** What the editor sends back with PUT for one slot. */
export function toSlotIn(slot: ScheduleSlot): ScheduleSlotIn {
  return {
    id: slot.id ?? null,
    innovation_id: slot.innovation_id,
    starts_at: slot.starts_at,
    duration_minutes: slot.duration_minutes,
    place: slot.place,
    online_url: slot.online_url || null,
    note: slot.note,
  }
}
