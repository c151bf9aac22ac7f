import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { NetworkError } from '@/api/problem'

import {
  missingCriteria,
  readLocalDraft,
  runningTotal,
  unsyncedInnovationIds,
  useScoresheetDraft,
  type Criterion,
  type ScoreDraft,
} from './useScoresheet'

const criterion = (key: string, weight: number, min_score = 1, max_score = 10): Criterion => ({
  key,
  name: key,
  description: '',
  low_means: '',
  high_means: '',
  weight,
  min_score,
  max_score,
})

// The default rubric: PermenPANRB 91/2021's five plus the presentation, 1..10.
const RUBRIC = [
  criterion('kebaruan', 25),
  criterion('efektivitas', 20),
  criterion('kemanfaatan', 20),
  criterion('kemudahan_replikasi', 15),
  criterion('keberlanjutan', 10),
  criterion('penguasaan_materi', 10),
]

describe('runningTotal', () => {
  it('rescales each score to 0–100 and weights it (the README example is 73.33)', () => {
    const scores = {
      kebaruan: 8,
      efektivitas: 7,
      kemanfaatan: 9,
      kemudahan_replikasi: 6,
      keberlanjutan: 7,
      penguasaan_materi: 8,
    }
    // (25·77.78 + 20·66.67 + 20·88.89 + 15·55.56 + 10·66.67 + 10·77.78) / 100
    expect(runningTotal(RUBRIC, scores)).toEqual({ total: 73.33, scored: 6, count: 6, complete: true })
  })

  it('is 0 at every minimum and 100 at every maximum', () => {
    const lowest = Object.fromEntries(RUBRIC.map((c) => [c.key, 1]))
    const highest = Object.fromEntries(RUBRIC.map((c) => [c.key, 10]))
    expect(runningTotal(RUBRIC, lowest).total).toBe(0)
    expect(runningTotal(RUBRIC, highest).total).toBe(100)
  })

  it('counts a missing criterion as nothing yet, so the total grows towards the final one', () => {
    const partial = runningTotal(RUBRIC, { kebaruan: 10, efektivitas: 10 })
    expect(partial).toEqual({ total: 45, scored: 2, count: 6, complete: false })
  })

  it('honours other scales and weights that do not total 100', () => {
    const rubric = [criterion('a', 1, 0, 4), criterion('b', 3, 0, 100)]
    expect(runningTotal(rubric, { a: 2, b: 100 }).total).toBe(87.5)
  })

  it('is empty for an empty rubric', () => {
    expect(runningTotal([], {})).toEqual({ total: 0, scored: 0, count: 0, complete: false })
  })
})

describe('missingCriteria', () => {
  it('lists the unscored criteria in rubric order', () => {
    expect(missingCriteria(RUBRIC, { kebaruan: 3, kemanfaatan: 4 }).map((c) => c.key)).toEqual([
      'efektivitas',
      'kemudahan_replikasi',
      'keberlanjutan',
      'penguasaan_materi',
    ])
  })
})

describe('useScoresheetDraft', () => {
  let online: EventTarget

  beforeEach(() => {
    vi.useFakeTimers()
    localStorage.clear()
    online = new EventTarget()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const make = (save: (draft: ScoreDraft) => Promise<unknown>, innovationId = 7) =>
    useScoresheetDraft({
      userId: 3,
      innovationId,
      criteria: RUBRIC,
      save,
      autosave: { debounceMs: 300, initialBackoffMs: 1000, jitter: 0, eventTarget: online },
    })

  it('keeps every edit on the device until the server has it, then forgets the copy', async () => {
    const save = vi.fn().mockResolvedValue(undefined)
    const sheet = make(save)
    sheet.restore(null)
    sheet.setScore('kebaruan', 8)
    sheet.setComment('Gagasan baru')
    expect(readLocalDraft(3, 7)).toMatchObject({ scores: { kebaruan: 8 }, comment: 'Gagasan baru' })
    expect(unsyncedInnovationIds(3)).toEqual(new Set([7]))
    await vi.advanceTimersByTimeAsync(300)
    expect(save).toHaveBeenCalledTimes(1)
    expect(save).toHaveBeenCalledWith({ scores: { kebaruan: 8 }, comment: 'Gagasan baru' })
    expect(readLocalDraft(3, 7)).toBeNull()
    expect(sheet.queue.state.value).toBe('saved')
    expect(sheet.total.value.scored).toBe(1)
  })

  it('loses nothing while offline: every tap is sent once the connection returns', async () => {
    const server: ScoreDraft[] = []
    let reachable = true
    const save = vi.fn(async (draft: ScoreDraft) => {
      if (!reachable) throw new NetworkError()
      server.push(draft)
    })
    const sheet = make(save)
    sheet.restore(null)
    sheet.setScore('kebaruan', 8)
    await vi.advanceTimersByTimeAsync(300)
    reachable = false
    sheet.setScore('efektivitas', 7)
    await vi.advanceTimersByTimeAsync(300)
    expect(sheet.queue.state.value).toBe('offline')
    sheet.setScore('kemanfaatan', 9)
    sheet.setScore('efektivitas', 6)
    expect(readLocalDraft(3, 7)?.scores).toEqual({ kebaruan: 8, efektivitas: 6, kemanfaatan: 9 })
    reachable = true
    online.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(server.at(-1)).toEqual({ scores: { kebaruan: 8, efektivitas: 6, kemanfaatan: 9 }, comment: '' })
    expect(sheet.queue.state.value).toBe('saved')
    expect(readLocalDraft(3, 7)).toBeNull()
  })

  it('restores an unsynced device copy after a reload and sends it again', async () => {
    const first = make(vi.fn().mockRejectedValue(new NetworkError()))
    first.restore(null)
    first.setScore('kebaruan', 9)
    await vi.advanceTimersByTimeAsync(300)
    first.queue.dispose() // the page is gone

    const save = vi.fn().mockResolvedValue(undefined)
    const again = make(save)
    const serverSheet = { scores: {}, comment: '', status: 'draft' as const, updated_at: '2000-01-01T00:00:00Z' }
    expect(again.restore(serverSheet)).toBe(true)
    expect(again.draft.scores).toEqual({ kebaruan: 9 })
    await vi.advanceTimersByTimeAsync(300)
    expect(save).toHaveBeenCalledWith({ scores: { kebaruan: 9 }, comment: '' })
    expect(readLocalDraft(3, 7)).toBeNull()
  })

  it('prefers a newer or final server sheet over the device copy', () => {
    localStorage.setItem('kipp.scoresheet.3.7', JSON.stringify({ scores: { kebaruan: 2 }, comment: '', at: 1000 }))
    const sheet = make(vi.fn())
    expect(
      sheet.restore({ scores: { kebaruan: 5 }, comment: 'x', status: 'draft', updated_at: '2030-01-01T00:00:00Z' }),
    ).toBe(false)
    expect(sheet.draft.scores).toEqual({ kebaruan: 5 })
    expect(readLocalDraft(3, 7)).toBeNull()

    localStorage.setItem(
      'kipp.scoresheet.3.7',
      JSON.stringify({ scores: { kebaruan: 2 }, comment: '', at: Date.now() }),
    )
    const final = make(vi.fn())
    expect(
      final.restore({ scores: { kebaruan: 5 }, comment: '', status: 'final', updated_at: '2000-01-01T00:00:00Z' }),
    ).toBe(false)
    expect(final.draft.scores).toEqual({ kebaruan: 5 })
  })

  it('ignores a tap on the score already chosen', async () => {
    const save = vi.fn().mockResolvedValue(undefined)
    const sheet = make(save)
    sheet.restore({ scores: { kebaruan: 4 }, comment: '', status: 'draft', updated_at: '2000-01-01T00:00:00Z' })
    sheet.setScore('kebaruan', 4)
    await vi.advanceTimersByTimeAsync(1000)
    expect(save).not.toHaveBeenCalled()
  })

  it('discard drops the device copy and stops saving', async () => {
    const save = vi.fn().mockResolvedValue(undefined)
    const sheet = make(save)
    sheet.restore(null)
    sheet.setScore('kebaruan', 4)
    sheet.discard()
    await vi.advanceTimersByTimeAsync(1000)
    await sheet.queue.flush() // leaving the screen afterwards sends nothing either
    expect(save).not.toHaveBeenCalled()
    expect(readLocalDraft(3, 7)).toBeNull()
  })
})
