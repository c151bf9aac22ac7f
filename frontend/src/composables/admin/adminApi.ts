// Server data the organising team's screens share. Every type is a generated schema (see @/api/types).
import {
  api,
  everyOne,
  unwrap,
  type AdvanceCheck,
  type Attachment,
  type Competition,
  type Conflict,
  type ConflictRecord,
  type InnovationGroup,
  type InnovationListItem,
  type InnovationStatus,
  type Ranking,
  type RankingMethod,
  type Rubric,
  type Scoresheet,
} from '@/api'

export const STAGE_KEYS = ['submission', 'administrative', 'presentation', 'nomination', 'announcement'] as const
/** Every ranking method the API knows, in the order the screens offer them. */
export const METHODS = everyOne<RankingMethod>({
  judge_effects: true,
  zscore: true,
  mean: true,
  trimmed_mean: true,
  median: true,
})
/** The method a new competition gets (the server's default; `CompetitionIn.aggregation_method`). */
export const DEFAULT_METHOD: RankingMethod = 'judge_effects'
export const GROUPS = everyOne<InnovationGroup>({ umum: true, replikasi: true, khusus: true })

const PAGE = 500 // the API's largest page

/** Follow `limit`/`offset` pages until `total`. */
export async function fetchAll<T>(page: (offset: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const all: T[] = []
  for (;;) {
    const answer = await page(all.length)
    all.push(...answer.items)
    if (answer.items.length === 0 || all.length >= answer.total) return all
  }
}

export function fetchCompetition(competitionId: number): Promise<Competition> {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}', { params: { path: { competition_id: competitionId } } }),
  )
}

/** The competitions the organising team works on: of one organisation (an organiser's own), or of every one. */
export async function fetchCompetitions(organisation?: number): Promise<Competition[]> {
  const only = organisation === undefined ? {} : { organisation: String(organisation) }
  return fetchAll((offset) =>
    unwrap(api.GET('/api/v1/competitions', { params: { query: { limit: PAGE, offset, ...only } } })),
  )
}

/** Every innovation of a competition the admin sees (optionally one status). */
export async function fetchInnovations(
  competitionId: number,
  status?: InnovationStatus,
): Promise<InnovationListItem[]> {
  const items = await fetchAll((offset) =>
    unwrap(
      api.GET('/api/v1/competitions/{competition_id}/innovations', {
        params: { path: { competition_id: competitionId }, query: { status, limit: PAGE, offset } },
      }),
    ),
  )
  // An admin always gets the full rows; the public shape has no status.
  return items.filter((item): item is InnovationListItem => 'status' in item)
}

/** Every conflict of interest of a competition (automatic, declared, recorded), or one judge's. */
export function fetchConflicts(competitionId: number, judgeId?: number): Promise<Conflict[]> {
  return fetchAll((offset) =>
    unwrap(
      api.GET('/api/v1/competitions/{competition_id}/conflicts', {
        params: { path: { competition_id: competitionId }, query: { judge_id: judgeId, limit: PAGE, offset } },
      }),
    ),
  )
}

/**
 * Record a conflict of interest for a judge (source `admin`). `created` is false when the
 * server already had it (it answers 200 with the existing one instead of 201).
 */
export async function recordConflict(
  competitionId: number,
  body: ConflictRecord,
): Promise<{ conflict: Conflict; created: boolean }> {
  const call = api.POST('/api/v1/competitions/{competition_id}/conflicts', {
    params: { path: { competition_id: competitionId } },
    body,
  })
  const { response } = await call
  const conflict = await unwrap(call)
  return { conflict, created: response.status === 201 }
}

export function fetchRubric(competitionId: number): Promise<Rubric> {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}/criteria', { params: { path: { competition_id: competitionId } } }),
  )
}

/** Every judge's scoresheet of one innovation (draft and final). */
export function fetchScoresheets(innovationId: number): Promise<Scoresheet[]> {
  return unwrap(
    api.GET('/api/v1/innovations/{innovation_id}/scores', { params: { path: { innovation_id: innovationId } } }),
  ).then((page) => page.items)
}

/** Turn a judge's final scoresheet back into a draft (presentation stage only; 409 otherwise). */
export function reopenScoresheet(innovationId: number, judgeId: number, reason: string): Promise<Scoresheet> {
  return unwrap(
    api.POST('/api/v1/innovations/{innovation_id}/scores/{judge_id}/reopen', {
      params: { path: { innovation_id: innovationId, judge_id: judgeId } },
      body: { reason },
    }),
  )
}

export function fetchPanel(competitionId: number) {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}/judges', { params: { path: { competition_id: competitionId } } }),
  )
}

export function fetchRanking(competitionId: number, method?: RankingMethod): Promise<Ranking> {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}/ranking', {
      params: { path: { competition_id: competitionId }, query: { method } },
    }),
  )
}

/** A 404 answer means "not there yet" for nomination, manifest and results: null. */
export async function orNullOn404<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call
  } catch (error) {
    if ((error as { status?: unknown } | null)?.status === 404) return null
    throw error
  }
}

/** Hand a downloaded file to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The file name of a Content-Disposition header, or the fallback. */
export function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)
  if (star) return decodeURIComponent(star[1]!)
  const plain = /filename="?([^";]+)"?/i.exec(header)
  return plain ? plain[1]! : fallback
}

export type ExportName = 'innovations' | 'scores' | 'ranking'
export type ExportFormat = 'csv' | 'xlsx'

/** Download one export (authenticated, so through the client, not a plain link). */
export async function downloadExport(competitionId: number, name: ExportName, fmt: ExportFormat): Promise<void> {
  const call = api.GET('/api/v1/competitions/{competition_id}/exports/{name}.{fmt}', {
    params: { path: { competition_id: competitionId, name, fmt } },
    parseAs: 'blob',
  })
  const { response } = await call
  saveBlob(await unwrap(call), filenameOf(response, `kipp-${competitionId}-${name}.${fmt}`))
}

export async function downloadAttachment(attachment: Attachment): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/innovations/{innovation_id}/attachments/{attachment_id}', {
      params: { path: { innovation_id: attachment.innovation_id, attachment_id: attachment.id } },
      parseAs: 'blob',
    }),
  )
  saveBlob(blob, attachment.filename)
}

/** What blocks the move to the next stage now (read-only). */
export function fetchAdvanceCheck(competitionId: number): Promise<AdvanceCheck> {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}/advance', { params: { path: { competition_id: competitionId } } }),
  )
}

/** Move the competition to its next stage; a refusal throws the 409 problem with its blockers. */
export function advanceCompetition(
  competitionId: number,
  body: { reason?: string | null; force?: boolean; endsAt?: string | null },
): Promise<Competition> {
  return unwrap(
    api.POST('/api/v1/competitions/{competition_id}/advance', {
      params: { path: { competition_id: competitionId } },
      body: { reason: body.reason ?? null, force: body.force ?? false, ends_at: body.endsAt ?? null },
    }),
  )
}
