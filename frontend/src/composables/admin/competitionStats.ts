import { api, everyOne, unwrap, type components, type InnovationStatus } from '@/api'

type Schemas = components['schemas']

/** The lifecycle order the dashboard counts in. */
export const INNOVATION_STATUSES = everyOne<InnovationStatus>({
  draft: true,
  submitted: true,
  eligible: true,
  ineligible: true,
  nominated: true,
  not_nominated: true,
  winner: true,
  withdrawn: true,
})

/** How many innovations are in each status, every status present (0 where none). */
export function statusCounts(items: readonly { status: string }[]): Record<InnovationStatus, number> {
  const counts: Record<InnovationStatus, number> = {
    draft: 0,
    submitted: 0,
    eligible: 0,
    ineligible: 0,
    nominated: 0,
    not_nominated: 0,
    winner: 0,
    withdrawn: 0,
  }
  for (const item of items) {
    // The list item's `status` is a plain string in the spec: count only the statuses we know.
    const status = INNOVATION_STATUSES.find((s) => s === item.status)
    if (status) counts[status] += 1
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
