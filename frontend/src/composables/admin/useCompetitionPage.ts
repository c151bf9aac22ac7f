import { computed } from 'vue'
import { useRoute } from 'vue-router'

import { useAsync } from '../useAsync'
import { useDateFormat } from '../useDateFormat'

import { fetchCompetition } from './adminApi'

/**
 * The competition a `/admin/competitions/:cid/…` screen is about: its id from the route, the
 * competition loaded from the API, and date formatters in the competition's time zone.
 */
export function useCompetitionPage() {
  const route = useRoute()
  const competitionId = computed(() => Number(route.params.cid))
  const competition = useAsync(() => fetchCompetition(competitionId.value))
  const dates = useDateFormat(() => competition.data.value?.timezone)
  return { competitionId, competition, ...dates }
}
