import { ApiProblem, api, unwrap, type Results } from '@/api'

import { useAsync } from './useAsync'

/** One published competition as the public sees it. */
export function useCompetition(competitionId: () => number) {
  return useAsync(() =>
    unwrap(api.GET('/api/v1/competitions/{competition_id}', { params: { path: { competition_id: competitionId() } } })),
  )
}

/**
 * The public list of eligible innovations (those that passed the administrative stage; empty
 * before the presentation stage). `public: true` so that a signed-in visitor sees the same list.
 */
export function usePublicInnovations(competitionId: () => number) {
  return useAsync(() =>
    unwrap(
      api.GET('/api/v1/competitions/{competition_id}/innovations', {
        params: { path: { competition_id: competitionId() }, query: { public: true, limit: 500 } },
      }),
    ),
  )
}

/** The announced results, or null while none are announced (the API answers 404 then). */
export async function fetchResults(competitionId: number): Promise<Results | null> {
  try {
    return await unwrap(
      api.GET('/api/v1/competitions/{competition_id}/results', { params: { path: { competition_id: competitionId } } }),
    )
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return null
    throw error
  }
}

/**
 * The results once the competition is in its announcement stage (`stage()` its current stage,
 * null while unknown). Before that none exist: not asking spares the browser's console the
 * expected 404. Reload when the stage becomes known.
 */
export function useResults(competitionId: () => number, stage: () => string | null | undefined) {
  return useAsync(() => (stage() === 'announcement' ? fetchResults(competitionId()) : Promise.resolve(null)))
}
