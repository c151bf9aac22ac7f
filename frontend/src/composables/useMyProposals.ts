import { reactive } from 'vue'

import { api, unwrap, type Competition } from '@/api'

import { useSessionStore } from '@/stores/session'

import { useAsync } from './useAsync'
import { inOwnOrganisation } from './useOrganisations'
import { submissionWindow, type ProposalListItem } from './useProposal'

const PAGE = 50

export interface CompetitionProposals {
  competition: Competition
  items: ProposalListItem[]
  total: number
  loadingMore: boolean
  error: unknown
}

async function fetchPage(competitionId: number, offset: number) {
  const page = await unwrap(
    api.GET('/api/v1/competitions/{competition_id}/innovations', {
      params: { path: { competition_id: competitionId }, query: { limit: PAGE, offset } },
    }),
  )
  // Signed in, the list is role-scoped and carries the full list item (status, version …), not
  // the public shape.
  const items = page.items.filter((item): item is ProposalListItem => 'status' in item)
  return { items, total: page.total }
}

/** Open for proposals first, then the newest competition. */
function byRelevance(a: Competition, b: Competition): number {
  const open = Number(submissionWindow(b).open) - Number(submissionWindow(a).open)
  return open || b.year - a.year || b.id - a.id
}

/**
 * The signed-in user's proposals, grouped by competition (GET /competitions, then each one's
 * role-scoped innovations). Competitions that neither accept proposals now nor hold any of the
 * user's are left out.
 */
export function useMyProposals() {
  const session = useSessionStore()
  const state = useAsync(async () => {
    const competitions = await unwrap(api.GET('/api/v1/competitions', { params: { query: { limit: 100 } } }))
    const groups = await Promise.all(
      competitions.items.map(async (competition) => {
        const page = await fetchPage(competition.id, 0)
        return reactive<CompetitionProposals>({
          competition,
          ...page,
          loadingMore: false,
          error: null,
        })
      }),
    )
    return groups
      .filter(
        (group) =>
          group.total > 0 ||
          // Another organisation's competition takes no proposal of ours (a promoted one shows
          // through its total).
          (inOwnOrganisation(group.competition, session.user) &&
            (submissionWindow(group.competition).open || group.competition.current_stage === 'submission')),
      )
      .sort((a, b) => byRelevance(a.competition, b.competition))
  })

  async function loadMore(group: CompetitionProposals): Promise<void> {
    group.loadingMore = true
    group.error = null
    try {
      const page = await fetchPage(group.competition.id, group.items.length)
      group.items.push(...page.items)
      group.total = page.total
    } catch (error) {
      group.error = error
    } finally {
      group.loadingMore = false
    }
  }

  return { ...state, loadMore }
}
