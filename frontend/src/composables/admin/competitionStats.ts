import { api, unwrap, type components } from '@/api'

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

/** How many innovations are in each status, every status present (0 where none). */
export function statusCounts(items: readonly { status: string }[]): Record<InnovationStatus, number> {
  const counts = Object.fromEntries(INNOVATION_STATUSES.map((s) => [s, 0])) as Record<InnovationStatus, number>
  for (const item of items) {
    if (item.status in counts) counts[item.status as InnovationStatus] += 1
  }
  return counts
}

export type JudgingProgress = Schemas['JudgingProgressOut']
export type JudgeProgress = Schemas['JudgeProgressOut']

/** Per panel judge: assignments final, draft and not started, conflicts excluded (the server counts). */
export function fetchJudgingProgress(competitionId: number): Promise<JudgingProgress> {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}/judging-progress', {
      params: { path: { competition_id: competitionId } },
    }),
  )
}

/**
 * The widths of a stacked progress bar, in percent of `total`: final, then draft. Rounded so
 * that a started judge never shows an empty segment and the two never add up to more than 100.
 */
export function progressShares(progress: { final: number; draft: number; total: number }): {
  final: number
  draft: number
} {
  if (progress.total <= 0) return { final: 0, draft: 0 }
  const share = (n: number) => (n <= 0 ? 0 : Math.max(1, Math.round((n / progress.total) * 100)))
  const final = Math.min(100, share(progress.final))
  return { final, draft: Math.min(100 - final, share(progress.draft)) }
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
    for (const id of ids)
      out.set(
        id,
        ids.filter((other) => other !== id),
      )
  }
  return out
}
