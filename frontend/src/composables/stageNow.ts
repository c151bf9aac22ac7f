/**
 * "What can I do now, and until when": one line per competition for each role's home page,
 * from the competition's current stage and its window (no extra request). Pure; the caller
 * passes `t` and a time formatter, so the line is in the UI language and the competition's zone.
 */
export type NowRole = 'admin' | 'proposer' | 'judge' | 'public'
export type NowState = 'open' | 'notOpen' | 'closed' | 'final'

export interface NowCompetition {
  current_stage: string
  timezone: string
  finalised_at?: string | null
  stages: readonly { key: string; starts_at: string; ends_at: string }[]
}

type Translate = (key: string, params?: Record<string, unknown>) => string
type FormatTime = (iso: string, timeZone: string) => string

// The stages in which a role has something of its own to do (otherwise: `other`).
const OWN_STAGES: Record<NowRole, readonly string[]> = {
  admin: ['submission', 'administrative', 'presentation', 'nomination', 'announcement'],
  proposer: ['submission'],
  judge: ['presentation'],
  public: ['announcement'],
}

/** Where the current stage's window stands at `now`, and the moment that matters. */
export function stageNow(competition: NowCompetition, now: Date): { state: NowState; at: string | null } {
  if (competition.finalised_at) return { state: 'final', at: null }
  const window = competition.stages.find((s) => s.key === competition.current_stage)
  if (!window) return { state: 'final', at: null }
  const time = now.getTime()
  if (time < Date.parse(window.starts_at)) return { state: 'notOpen', at: window.starts_at }
  if (time >= Date.parse(window.ends_at)) return { state: 'closed', at: window.ends_at }
  return { state: 'open', at: window.ends_at }
}

/**
 * The line: "Presentasi dan penilaian dibuka sampai 20 Nov 2026 17.00 WITA: Anda dapat
 * menilai — 5 lembar nilai belum final". `pending` counts what still waits for this role.
 */
export function nowText(
  competition: NowCompetition,
  role: NowRole,
  options: { now: Date; t: Translate; formatTime: FormatTime; pending?: number },
): string {
  const { t, now, pending } = options
  const { state, at } = stageNow(competition, now)
  if (state === 'final') return t('now.final')
  const stage = competition.current_stage
  const when = at ? options.formatTime(at, competition.timezone) : ''
  const window = t(`now.${state}`, { stage: t(`stages.${stage}`), when })
  // The common lines hold the judge's and the public's part; each area its own (nowAdmin, nowProposer).
  const area = role === 'admin' ? 'nowAdmin' : role === 'proposer' ? 'nowProposer' : `now.${role}`
  const own = OWN_STAGES[role].includes(stage) ? stage : 'other'
  const what = state === 'closed' ? t(role === 'admin' ? 'nowAdmin.closed' : 'now.closedWait') : t(`${area}.can.${own}`)
  const waiting =
    pending && pending > 0 && state !== 'notOpen' && role !== 'public' ? t(`${area}.pending`, { n: pending }) : ''
  return `${window}: ${what}${waiting ? ` — ${waiting}` : ''}`
}
