import { describe, expect, it } from 'vitest'

import { duplicateTitles, judgeProgress, normaliseTitle, statusCounts } from './competitionStats'

describe('statusCounts', () => {
  it('counts every status, zero where none', () => {
    const counts = statusCounts([{ status: 'submitted' }, { status: 'submitted' }, { status: 'eligible' }, { status: 'bogus' }])
    expect(counts.submitted).toBe(2)
    expect(counts.eligible).toBe(1)
    expect(counts.draft).toBe(0)
    expect(Object.keys(counts)).toHaveLength(8)
  })
})

describe('judgeProgress', () => {
  it('expects every judged innovation except the judge’s conflicts', () => {
    const rows = judgeProgress({
      panel: [
        { id: 2, full_name: 'Kepala Diskominfo', agency_code: 'DISKOMINFOSP' },
        { id: 6, full_name: 'Kepala DLH', agency_code: 'DLH' },
      ],
      judgedIds: [1, 3, 4, 5],
      conflicts: [
        { judge_id: 6, innovation_id: 3 },
        { judge_id: 6, innovation_id: 4 },
        { judge_id: 6, innovation_id: 99 }, // not judged (e.g. ineligible): not counted twice
      ],
      finalByJudge: new Map([[2, 4]]),
    })
    expect(rows).toEqual([
      { judgeId: 2, name: 'Kepala Diskominfo', agencyCode: 'DISKOMINFOSP', final: 4, expected: 4 },
      { judgeId: 6, name: 'Kepala DLH', agencyCode: 'DLH', final: 0, expected: 2 },
    ])
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
