import { describe, expect, it } from 'vitest'

import { fakeServer, json } from '@/test/fakeServer'

import { duplicateTitles, fetchJudgingProgress, normaliseTitle, progressShares, statusCounts } from './competitionStats'

describe('statusCounts', () => {
  it('counts every status, zero where none', () => {
    const counts = statusCounts([
      { status: 'submitted' },
      { status: 'submitted' },
      { status: 'eligible' },
      { status: 'bogus' },
    ])
    expect(counts.submitted).toBe(2)
    expect(counts.eligible).toBe(1)
    expect(counts.draft).toBe(0)
    expect(Object.keys(counts)).toHaveLength(8)
  })
})

describe('progressShares', () => {
  it('gives the final and draft segments of a judge’s bar in percent', () => {
    expect(progressShares({ final: 3, draft: 1, total: 8 })).toEqual({ final: 38, draft: 13 })
    expect(progressShares({ final: 8, draft: 0, total: 8 })).toEqual({ final: 100, draft: 0 })
    expect(progressShares({ final: 0, draft: 0, total: 0 })).toEqual({ final: 0, draft: 0 })
  })

  it('never hides a started segment and never passes 100', () => {
    expect(progressShares({ final: 0, draft: 1, total: 400 })).toEqual({ final: 0, draft: 1 })
    expect(progressShares({ final: 199, draft: 1, total: 200 })).toEqual({ final: 100, draft: 0 })
    expect(progressShares({ final: 2, draft: 1, total: 3 })).toEqual({ final: 67, draft: 33 })
  })
})

describe('fetchJudgingProgress', () => {
  it('reads the server’s per-judge counts', async () => {
    const answer = {
      judges: [
        {
          judge_id: 2,
          full_name: 'Kepala Diskominfo',
          agency_code: 'DISKOMINFOSP',
          final: 3,
          draft: 1,
          to_do: 4,
          total: 8,
        },
      ],
      progress: { final: 3, draft: 1, to_do: 4, total: 8 },
    }
    fakeServer({ 'GET /api/v1/competitions/4/judging-progress': () => json(answer) })
    expect(await fetchJudgingProgress(4)).toEqual(answer)
  })
})

describe('duplicateTitles', () => {
  it('flags titles equal but for case and spacing', () => {
    const dups = duplicateTitles([
      { id: 1, title: 'Sim B' },
      { id: 2, title: '  sim   b' },
      { id: 3, title: 'Sikamase' },
    ])
    expect(dups.get(1)).toEqual([2])
    expect(dups.get(2)).toEqual([1])
    expect(dups.has(3)).toBe(false)
    expect(normaliseTitle(' Kejar  Bayi TA ')).toBe('kejar bayi ta')
  })
})
