import { computed, getCurrentScope, onScopeDispose, readonly, ref, shallowReadonly, shallowRef } from 'vue'

import { isNetworkError } from '@/api/problem'

export type AutosaveState = 'saved' | 'saving' | 'pending' | 'offline' | 'error'

/** What to do after a failed save: wait for the network, retry later, or wait for the user. */
export type FailureKind = 'offline' | 'retry' | 'fatal'

export interface AutosaveOptions {
  /** Quiet time after the last edit before saving. */
  debounceMs?: number
  /** First retry delay; doubles per failure up to maxBackoffMs. */
  initialBackoffMs?: number
  maxBackoffMs?: number
  /** ± fraction of random spread on retry delays, so many clients don't retry in step. */
  jitter?: number
  random?: () => number
  classify?: (error: unknown) => FailureKind
  /** Where to listen for the browser's `online` event (window by default). */
  eventTarget?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null
}

/** Default: network failures wait for the connection; 4xx (bar 408/429) wait for the user. */
export function classifyFailure(error: unknown): FailureKind {
  if (isNetworkError(error)) return 'offline'
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'offline'
  const status = (error as { status?: unknown } | null)?.status
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return 'fatal'
  }
  return 'retry'
}

/**
 * Save drafts on a flaky connection without losing an edit. Edits are coalesced: only the
 * latest value is ever sent, after `debounceMs` of quiet. A failed save keeps its value (unless
 * a newer edit has replaced it) and is retried with exponential backoff; a network failure
 * shows `offline` and also retries at once when the browser reports it is online again.
 * `save` is injected, so the whole policy is testable with fake timers.
 */
export function useAutosaveQueue<T>(save: (value: T) => Promise<unknown>, options: AutosaveOptions = {}) {
  const debounceMs = options.debounceMs ?? 800
  const initialBackoffMs = options.initialBackoffMs ?? 1000
  const maxBackoffMs = options.maxBackoffMs ?? 30_000
  const jitter = options.jitter ?? 0.2
  const random = options.random ?? Math.random
  const classify = options.classify ?? classifyFailure
  const target =
    options.eventTarget === undefined ? (typeof window === 'undefined' ? null : window) : options.eventTarget

  const state = ref<AutosaveState>('saved')
  const lastError = shallowRef<unknown>(null)
  const lastSavedAt = ref<Date | null>(null)

  let pending: { value: T } | null = null // the latest unsaved value, never dropped
  let inFlight: Promise<void> | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let failures = 0
  let waitingForUser = false // after a 'fatal' failure: no automatic retry until the next edit

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  function schedule(delay: number): void {
    clearTimer()
    timer = setTimeout(() => {
      timer = null
      void run()
    }, delay)
  }

  function backoffDelay(): number {
    const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.max(0, failures - 1))
    return Math.max(0, Math.round(base * (1 + jitter * (random() * 2 - 1))))
  }

  async function run(): Promise<void> {
    if (inFlight || pending === null) return
    clearTimer()
    const { value } = pending
    pending = null
    state.value = 'saving'
    inFlight = (async () => {
      try {
        await save(value)
        failures = 0
        lastError.value = null
        lastSavedAt.value = new Date()
        if (pending) {
          state.value = 'pending'
          schedule(debounceMs)
        } else {
          state.value = 'saved'
        }
      } catch (error) {
        lastError.value = error
        failures += 1
        pending ??= { value } // a newer edit made during the save wins
        const kind = classify(error)
        if (kind === 'fatal') {
          state.value = 'error'
          waitingForUser = true
        } else {
          state.value = kind === 'offline' ? 'offline' : 'error'
          schedule(backoffDelay())
        }
      }
    })()
    try {
      await inFlight
    } finally {
      inFlight = null
    }
  }

  /** Record an edit. Only the latest value pushed is ever saved. */
  function push(value: T): void {
    pending = { value }
    if (inFlight) return // saved after the current save settles
    if (state.value === 'offline' || (state.value === 'error' && !waitingForUser)) return // the retry timer sends it
    waitingForUser = false
    state.value = 'pending'
    schedule(debounceMs)
  }

  /** Save now (before submitting or leaving); resolves once nothing is in flight. */
  async function flush(): Promise<void> {
    if (inFlight) await inFlight
    if (pending !== null) {
      waitingForUser = false
      await run()
    }
  }

  function onOnline(): void {
    if (state.value === 'offline' && pending !== null && !inFlight) {
      failures = 0
      void run()
    }
  }

  target?.addEventListener('online', onOnline)

  function dispose(): void {
    clearTimer()
    target?.removeEventListener('online', onOnline)
  }

  if (getCurrentScope()) onScopeDispose(dispose)

  return {
    state: readonly(state),
    // Shallow: the error is handed on as it was caught (rethrown, shown), not a frozen copy type.
    lastError: shallowReadonly(lastError),
    lastSavedAt: readonly(lastSavedAt),
    hasUnsavedChanges: computed(() => state.value !== 'saved'),
    push,
    flush,
    dispose,
  }
}
