import type { components } from '@/api'

type Schemas = components['schemas']
type InnovationStatus = Schemas['InnovationStatus']

/** The lifecycle order the dashboard counts in. */
export const INNOVATION_STATUSES: readonly InnovationStatus[] = [
  'draft',
  'submitted',
  'eligible',
  'ineligible',
  'nominated',
  'not_nominated',
  'winner',
  'withdrawn',
]

/** Statuses a judge scores (the server's JUDGED_STATUSES). */
export const JUDGED_STATUSES: readonly string[] = ['eligible', 'nominated', 'not_nominated', 'winner']

/** How many innovations are in each status, every status present (0 where none). */
export function statusCounts(items: readonly { status: string }[]): Record<InnovationStatus, number> {
  const counts = Object.fromEntries(INNOVATION_STATUSES.map((s) => [s, 0])) as Record<InnovationStatus, number>
  for (const item of items) {
    if (item.status in counts) counts[item.status as InnovationStatus] += 1
  }
  return counts
}

export interface JudgeProgress {
  judgeId: number
  name: string
  agencyCode: string | null
  /** Final scoresheets (as the ranking counts them). */
  final: number
  /** Innovations this judge must score: judged ones minus their conflicts. */
  expected: number
}

/**
 * Per panel judge: final scoresheets against what they must score. A judge must score every
 * innovation in a judged status except those they have a conflict of interest with (own agency,
 * declared, or recorded by the admin) — the same rule as the server's assignments.
 */
export function judgeProgress(input: {
  panel: readonly { id: number; full_name: string; agency_code: string | null }[]
  judgedIds: readonly number[]
  conflicts: readonly { judge_id: number; innovation_id: number }[]
  finalByJudge: ReadonlyMap<number, number>
}): JudgeProgress[] {
  const judged = new Set(input.judgedIds)
  return input.panel.map((judge) => {
    const conflicted = new Set(input.conflicts.filter((c) => c.judge_id === judge.id && judged.has(c.innovation_id)).map((c) => c.innovation_id))
    return {
      judgeId: judge.id,
      name: judge.full_name,
      agencyCode: judge.agency_code,
      final: input.finalByJudge.get(judge.id) ?? 0,
      expected: judged.size - conflicted.size,
    }
  })
}

/** A title as the duplicate check compares it: case and spacing ignored. */
export function normaliseTitle(title: string): string {
  return title.normalize('NFKC').toLocaleLowerCase('id').replace(/\s+/gu, ' ').trim()
}

/** For each innovation whose title another one shares, the ids of the others. */
export function duplicateTitles(items: readonly { id: number; title: string }[]): Map<number, number[]> {
  const groups = new Map<string, number[]>()
  for (const item of items) {
    const key = normaliseTitle(item.title)
    groups.set(key, [...(groups.get(key) ?? []), item.id])
  }
  const out = new Map<number, number[]>()
  for (const ids of groups.values()) {
    if (ids.length < 2) continue
    for (const id of ids) out.set(id, ids.filter((other) => other !== id))
  }
  return out
}
