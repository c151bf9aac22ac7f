import { computed } from 'vue'

import { api, unwrap, type Agency } from '@/api'

import { useAsync } from './useAsync'

const PAGE = 500 // the API's largest page

/** Every agency, following pages until `total` (GET /api/v1/agencies is public). */
export async function fetchAllAgencies(): Promise<Agency[]> {
  const all: Agency[] = []
  for (;;) {
    const page = await unwrap(api.GET('/api/v1/agencies', { params: { query: { limit: PAGE, offset: all.length } } }))
    all.push(...page.items)
    if (page.items.length === 0 || all.length >= page.total) return all
  }
}

/** The agencies, with a lookup by id (for showing `agency_id` as a name). */
export function useAgencies() {
  const state = useAsync(fetchAllAgencies)
  const byId = computed(() => new Map((state.data.value ?? []).map((agency) => [agency.id, agency])))
  function label(id: number | null | undefined): string | null {
    if (id == null) return null
    const agency = byId.value.get(id)
    return agency ? `${agency.code} — ${agency.name}` : `#${id}`
  }
  return { ...state, byId, label }
}
