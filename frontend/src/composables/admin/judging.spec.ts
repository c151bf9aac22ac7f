import { describe, expect, it } from 'vitest'

import type { Conflict, Scoresheet } from '@/api'
import { conflictCounts, conflictJudges, judgeSheets, sheetCounts } from './judging'

const judge = (id: number, full_name: string, agency_code = `OPD${id}`) => ({ id, full_name, agency_code })

function sheet(judgeId: number, status: 'draft' | 'final', innovationId = 10): Scoresheet {
  return {
    id: judgeId * 100 + innovationId,
    competition_id: 1,
    innovation_id: innovationId,
    judge_id: judgeId,
    judge_name: `Juri ${judgeId}`,
    status,
    scores: { kebaruan: 5 },
    comment: '',
    weighted_total: status === 'final' ? 50 : null,
    submitted_at: status === 'final' ? '2021-11-25T16:00:00Z' : null,
    updated_at: '2021-11-25T16:00:00Z',
    version: 1,
  }
}

function conflict(judgeId: number, source: Conflict['source'], innovationId = 10): Conflict {
  return {
    id: source === 'agency' ? null : judgeId,
    competition_id: 1,
    innovation_id: innovationId,
    innovation_title: `Inovasi ${innovationId}`,
    agency_code: 'DLH',
    judge_id: judgeId,
    judge_name: `Juri ${judgeId}`,
    source,
    reason: 'own agency',
    created_at: null,
  }
}

describe('judgeSheets', () => {
  const panel = [judge(1, 'Dewi'), judge(2, 'Andi'), judge(3, 'Citra'), judge(4, 'Budi')]

  it('places every panel judge: final, draft, not started, conflict', () => {
    const rows = judgeSheets(
      panel,
      [sheet(1, 'draft'), sheet(3, 'final')],
      [conflict(4, 'agency'), conflict(2, 'declared', 99)],
      10,
    )
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['Citra', 'final'],
      ['Dewi', 'draft'],
      ['Andi', 'not_started'], // their conflict is on another innovation
      ['Budi', 'conflict'],
    ])
    expect(rows[3]!.conflict?.source).toBe('agency')
    expect(sheetCounts(rows)).toEqual({ final: 1, draft: 1, not_started: 1, conflict: 1, assigned: 3 })
  })

  it('keeps a scoresheet of a judge who has left the panel', () => {
    const rows = judgeSheets([judge(1, 'Dewi')], [sheet(9, 'final')], [], 10)
    expect(rows.map((r) => [r.name, r.state, r.agencyCode])).toEqual([
      ['Juri 9', 'final', null],
      ['Dewi', 'not_started', 'OPD1'],
    ])
  })

  it('ignores scoresheets of other innovations', () => {
    expect(judgeSheets([judge(1, 'Dewi')], [sheet(1, 'final', 11)], [], 10)[0]!.state).toBe('not_started')
  })
})

describe('conflicts', () => {
  it('counts per source', () => {
    expect(conflictCounts([conflict(1, 'agency'), conflict(2, 'agency'), conflict(3, 'admin')])).toEqual({
      agency: 2,
      declared: 0,
      admin: 1,
    })
  })
  it('lists each judge once, by name', () => {
    const list = [conflict(2, 'agency'), conflict(1, 'declared'), conflict(2, 'admin', 11)]
    expect(conflictJudges(list)).toEqual([
      { id: 1, name: 'Juri 1' },
      { id: 2, name: 'Juri 2' },
    ])
  })
})
