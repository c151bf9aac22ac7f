// The score screen's data, asked for while the judge reads the list, so that a tap opens the
// screen in one round trip or none (issue 9: ≤ 0.5 s on Regular 3G). Every answer is used once:
// a retry, or the next visit to the list, asks the server again. (A competition and its rubric
// serve every innovation of it until the list is shown again.)
import { api, unwrap, type Competition, type Innovation, type components } from '@/api'

type Schemas = components['schemas']
type Assignment = Schemas['AssignmentOut']
export type Rubric = Schemas['RubricOut']
export type ScoresheetPage = Schemas['ScoresheetPage']

/** How many assignments (open ones first) get their proposal and sheet prefetched. */
export const PREFETCHED_ASSIGNMENTS = 6

const competitionOf = new Map<number, number>()
const competitions = new Map<number, Competition>()
const criteria = new Map<number, Promise<Rubric>>()
const innovations = new Map<number, Promise<Innovation>>()
const sheets = new Map<number, Promise<ScoresheetPage>>()

function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined) // a failure is the score screen's to report, if it is opened
  return promise
}

/** Start fetching what the score screen needs for the listed assignments (after the paint). */
export function prefetchScoring(items: readonly Assignment[], known: readonly Competition[]): void {
  for (const map of [competitions, criteria, innovations, sheets]) map.clear()
  for (const item of items) competitionOf.set(item.innovation_id, item.competition_id)
  for (const competition of known) competitions.set(competition.id, competition)
  setTimeout(() => {
    for (const cid of new Set(items.map((item) => item.competition_id))) {
      const path = { params: { path: { competition_id: cid } } }
      criteria.set(cid, quiet(unwrap(api.GET('/api/v1/competitions/{competition_id}/criteria', path))))
    }
    // Open ones (to do, draft) first: those are what a judge taps; then the final ones.
    const likely = [...items]
      .sort((a, b) => Number(a.status === 'final') - Number(b.status === 'final'))
      .slice(0, PREFETCHED_ASSIGNMENTS)
    for (const { innovation_id } of likely) {
      const path = { params: { path: { innovation_id } } }
      innovations.set(innovation_id, quiet(unwrap(api.GET('/api/v1/innovations/{innovation_id}', path))))
      sheets.set(innovation_id, quiet(unwrap(api.GET('/api/v1/innovations/{innovation_id}/scores', path))))
    }
  }, 0)
}

function take<K, V>(map: Map<K, V>, key: K): V | undefined {
  const value = map.get(key)
  map.delete(key)
  return value
}

/** What was prefetched for one innovation (its proposal and sheets once), and its competition
 * and rubric if the list knew them. */
export function takePrefetched(innovationId: number) {
  const cid = competitionOf.get(innovationId)
  return {
    competitionId: cid,
    competition: cid === undefined ? undefined : competitions.get(cid),
    criteria: cid === undefined ? undefined : criteria.get(cid),
    innovation: take(innovations, innovationId),
    sheets: take(sheets, innovationId),
  }
}
