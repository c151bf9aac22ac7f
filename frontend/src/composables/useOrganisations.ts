import { api, unwrap, type Competition, type Me, type OrganisationLevel } from '@/api'

import { useAsync } from './useAsync'

/**
 * The organisation whose competitions a signed-in user works on: an organiser's (and every other
 * role's) own; `undefined` for the platform admin, who works in every organisation.
 */
export function ownOrganisation(me: Pick<Me, 'role' | 'organisation_id'> | null | undefined): number | undefined {
  if (!me || me.role === 'admin') return undefined
  return me.organisation_id
}

/** Whether a competition is one the user may propose in (their organisation's). */
export function inOwnOrganisation(
  competition: Pick<Competition, 'organisation_id'>,
  me: Pick<Me, 'role' | 'organisation_id'> | null | undefined,
): boolean {
  const own = ownOrganisation(me)
  return own === undefined || competition.organisation_id === own
}

/** The name of the signed-in user's organisation, for the header ('' when unknown). */
export function organisationLabel(me: Pick<Me, 'organisation'> | null | undefined): string {
  return me?.organisation?.name ?? ''
}

export interface CompetitionFilter {
  /** An organisation's id or slug; '' for every one. */
  organisation: string
  /** A level; '' for every one. */
  level: OrganisationLevel | ''
}

/** The query of GET /competitions for a filter: only what is chosen is sent. */
export function competitionQuery(
  filter: CompetitionFilter,
  paging: { limit: number; offset?: number },
): { limit: number; offset?: number; organisation?: string; level?: OrganisationLevel } {
  return {
    ...paging,
    ...(filter.organisation ? { organisation: filter.organisation } : {}),
    ...(filter.level ? { level: filter.level } : {}),
  }
}

/** The filter as the page address keeps it (`?organisation=luwu-utara&level=kabupaten`). */
export function filterFromQuery(
  query: Record<string, unknown>,
  levels: readonly OrganisationLevel[],
): CompetitionFilter {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const level = levels.find((l) => l === text(query.level)) ?? ''
  return { organisation: text(query.organisation), level }
}

/** Every organisation on the deployment, as the public sees them (for the filter). */
export function usePublicOrganisations() {
  return useAsync(() => unwrap(api.GET('/api/v1/public/organisations', { params: { query: { limit: 200 } } })))
}
