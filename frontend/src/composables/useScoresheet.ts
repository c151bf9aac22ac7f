import { computed, reactive, toValue, type MaybeRefOrGetter } from 'vue'

import type { components } from '@/api'

import { useAutosaveQueue, type AutosaveOptions } from './useAutosaveQueue'

type Schemas = components['schemas']
export type Criterion = Schemas['CriterionOut']
export type Scoresheet = Schemas['ScoresheetOut']
/** What PUT /innovations/{iid}/scores/me takes: every score given so far and the comment. */
export type ScoreDraft = Required<Schemas['ScoresheetIn']>

type Scores = Record<string, number>

/**
 * The running weighted total, 0–100, as DESIGN defines a judge's total: each score rescaled,
 * `(s - min) / (max - min) * 100`, then weighted by the criterion weights over the whole rubric.
 * A criterion not yet scored adds nothing, so the total only grows towards the final figure and
 * equals the server's `weighted_total` once every criterion is scored.
 */
export function runningTotal(criteria: readonly Criterion[], scores: Readonly<Scores>) {
  let weightSum = 0
  let points = 0
  let scored = 0
  for (const c of criteria) {
    weightSum += c.weight
    const value = scores[c.key]
    if (value === undefined || c.max_score <= c.min_score) continue
    scored += 1
    points += (c.weight * (value - c.min_score) * 100) / (c.max_score - c.min_score)
  }
  const total = weightSum > 0 ? Math.round((points / weightSum) * 100) / 100 : 0
  return { total, scored, count: criteria.length, complete: criteria.length > 0 && scored === criteria.length }
}

/** Criteria of the rubric without a score yet, in rubric order. */
export function missingCriteria(criteria: readonly Criterion[], scores: Readonly<Scores>): Criterion[] {
  return criteria.filter((c) => scores[c.key] === undefined)
}

// ---------------------------------------------------------------- the copy kept on this device

const PREFIX = 'kipp.scoresheet.'

interface LocalDraft extends ScoreDraft {
  /** epoch ms of the last edit */
  at: number
}

function storageKey(userId: number, innovationId: number): string {
  return `${PREFIX}${userId}.${innovationId}`
}

/** The unsynced draft this device holds for one innovation, if any. */
export function readLocalDraft(userId: number, innovationId: number): LocalDraft | null {
  try {
    const raw = localStorage.getItem(storageKey(userId, innovationId))
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<LocalDraft>
    if (typeof parsed.scores !== 'object' || parsed.scores === null) return null
    return { scores: parsed.scores, comment: String(parsed.comment ?? ''), at: Number(parsed.at) || 0 }
  } catch {
    return null
  }
}

function writeLocalDraft(userId: number, innovationId: number, draft: ScoreDraft): void {
  try {
    localStorage.setItem(storageKey(userId, innovationId), JSON.stringify({ ...draft, at: Date.now() }))
  } catch {
    // storage full or private mode: the server copy is then the only one
  }
}

export function clearLocalDraft(userId: number, innovationId: number): void {
  try {
    localStorage.removeItem(storageKey(userId, innovationId))
  } catch {
    // nothing to clear
  }
}

/** Innovation ids with a draft on this device that the server has not acknowledged yet. */
export function unsyncedInnovationIds(userId: number): Set<number> {
  const ids = new Set<number>()
  try {
    const prefix = `${PREFIX}${userId}.`
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i)
      if (key?.startsWith(prefix)) ids.add(Number(key.slice(prefix.length)))
    }
  } catch {
    // no storage: nothing unsynced here
  }
  return ids
}

function sameDraft(a: ScoreDraft, b: ScoreDraft): boolean {
  if (a.comment !== b.comment) return false
  const keys = Object.keys(a.scores)
  return keys.length === Object.keys(b.scores).length && keys.every((k) => a.scores[k] === b.scores[k])
}

export interface ScoresheetDraftOptions {
  userId: number
  innovationId: number
  criteria: MaybeRefOrGetter<readonly Criterion[]>
  /** Sends the draft (PUT …/scores/me); injected so the policy is testable. */
  save: (draft: ScoreDraft) => Promise<unknown>
  autosave?: AutosaveOptions
}

/**
 * A judge's scoresheet being filled in on a flaky connection. Every edit is written to
 * localStorage at once and queued for the server (coalesced, retried, resumed when the browser is
 * online again); the device copy is dropped only when the server has acknowledged exactly that
 * content. `restore` picks the newer of the server's sheet and an unsynced device copy.
 */
export function useScoresheetDraft(options: ScoresheetDraftOptions) {
  const { userId, innovationId } = options
  const draft = reactive<ScoreDraft>({ scores: {}, comment: '' })
  const snapshot = (): ScoreDraft => ({ scores: { ...draft.scores }, comment: draft.comment })

  let discarded = false
  const queue = useAutosaveQueue<ScoreDraft>(async (value) => {
    if (discarded) return undefined // the assignment is gone: nothing left to save
    const answer = await options.save(value)
    if (sameDraft(value, snapshot())) clearLocalDraft(userId, innovationId)
    return answer
  }, options.autosave)

  function changed(): void {
    const value = snapshot()
    writeLocalDraft(userId, innovationId, value)
    queue.push(value)
  }

  function setScore(key: string, value: number): void {
    if (draft.scores[key] === value) return
    draft.scores[key] = value
    changed()
  }

  function setComment(comment: string): void {
    if (draft.comment === comment) return
    draft.comment = comment
    changed()
  }

  /**
   * Start from the server's sheet (null: none yet). An unsynced device copy newer than it wins
   * and is sent again; `true` when that happened. A final sheet always wins.
   */
  function restore(sheet: Pick<Scoresheet, 'scores' | 'comment' | 'status' | 'updated_at'> | null): boolean {
    const local = readLocalDraft(userId, innovationId)
    const serverAt = sheet ? Date.parse(sheet.updated_at) : 0
    const useLocal =
      local !== null && sheet?.status !== 'final' && local.at >= serverAt && (!sheet || !sameDraft(local, sheet))
    const source = useLocal ? local : sheet
    draft.scores = { ...(source?.scores ?? {}) }
    draft.comment = source?.comment ?? ''
    if (useLocal) queue.push(snapshot())
    else clearLocalDraft(userId, innovationId)
    return useLocal
  }

  /** Forget this device's copy (after a conflict of interest removed the assignment). */
  function discard(): void {
    discarded = true
    queue.dispose()
    clearLocalDraft(userId, innovationId)
  }

  const total = computed(() => runningTotal(toValue(options.criteria), draft.scores))
  const missing = computed(() => missingCriteria(toValue(options.criteria), draft.scores))

  return { draft, total, missing, setScore, setComment, restore, discard, queue }
}
