import { api, unwrap } from '@/api'

import { useAsync } from './useAsync'

/** Published competitions, as the public sees them (GET /api/v1/competitions). */
export function usePublishedCompetitions() {
  return useAsync(() => unwrap(api.GET('/api/v1/competitions', { params: { query: { limit: 50 } } })))
}
