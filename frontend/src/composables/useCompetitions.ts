import { watch, type Ref } from 'vue'

import { api, unwrap } from '@/api'

import { useAsync } from './useAsync'
import { competitionQuery, type CompetitionFilter } from './useOrganisations'

/** Published competitions, as the public sees them (GET /api/v1/competitions), of every
 * organisation or of the one (and level) the filter names; reloaded when it changes. */
export function usePublishedCompetitions(filter?: Ref<CompetitionFilter>) {
  const state = useAsync(() =>
    unwrap(
      api.GET('/api/v1/competitions', {
        params: { query: competitionQuery(filter?.value ?? { organisation: '', level: '' }, { limit: 50 }) },
      }),
    ),
  )
  if (filter) watch(filter, () => void state.reload(), { deep: true })
  return state
}
