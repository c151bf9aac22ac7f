import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { ApiProblem, NetworkError } from '@/api/problem'

import { classifyFailure, useAutosaveQueue } from './useAutosaveQueue'

function deferred() {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const problem = (status: number) => new ApiProblem({ type: 'about:blank', title: 'x', status })

describe('useAutosaveQueue', () => {
  let online: EventTarget

  beforeEach(() => {
    vi.useFakeTimers()
    online = new EventTarget()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const make = (save: (v: string) => Promise<unknown>) =>
    useAutosaveQueue(save, {
      debounceMs: 500,
      initialBackoffMs: 1000,
      maxBackoffMs: 8000,
      jitter: 0,
      eventTarget: online,
    })

  it('coalesces quick edits into one save of the latest value', async () => {
    const save = vi.fn().mockResolvedValue(undefined)
    const q = make(save)
    expect(q.state.value).toBe('saved')
    q.push('a')
    q.push('ab')
    await vi.advanceTimersByTimeAsync(300)
    q.push('abc')
    expect(q.state.value).toBe('pending')
    await vi.advanceTimersByTimeAsync(499)
    expect(save).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(1)
    expect(save).toHaveBeenCalledWith('abc')
    expect(q.state.value).toBe('saved')
    expect(q.lastSavedAt.value).toBeInstanceOf(Date)
    expect(q.hasUnsavedChanges.value).toBe(false)
  })

  it('saves an edit made during a save right after it', async () => {
    const first = deferred()
    const save = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValue(undefined)
    const q = make(save)
    q.push('one')
    await vi.advanceTimersByTimeAsync(500)
    expect(q.state.value).toBe('saving')
    q.push('two')
    expect(q.state.value).toBe('saving')
    first.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(q.state.value).toBe('pending')
    await vi.advanceTimersByTimeAsync(500)
    expect(save.mock.calls).toEqual([['one'], ['two']])
    expect(q.state.value).toBe('saved')
  })

  it('keeps the value and retries server errors with exponential backoff', async () => {
    const save = vi
      .fn()
      .mockRejectedValueOnce(problem(500))
      .mockRejectedValueOnce(problem(503))
      .mockResolvedValue(undefined)
    const q = make(save)
    q.push('draft')
    await vi.advanceTimersByTimeAsync(500)
    expect(q.state.value).toBe('error')
    expect(save).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(save).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(2) // after 1 s
    await vi.advanceTimersByTimeAsync(1999)
    expect(save).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(3) // after 2 s more
    expect(save.mock.calls.every(([v]) => v === 'draft')).toBe(true)
    expect(q.state.value).toBe('saved')
  })

  it('caps the backoff', async () => {
    const save = vi.fn().mockRejectedValue(problem(500))
    const q = make(save)
    q.push('x')
    await vi.advanceTimersByTimeAsync(500)
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000)
    expect(save).toHaveBeenCalledTimes(5)
    await vi.advanceTimersByTimeAsync(7999)
    expect(save).toHaveBeenCalledTimes(5)
    await vi.advanceTimersByTimeAsync(1)
    expect(save).toHaveBeenCalledTimes(6)
  })

  it('goes offline on a network error and resumes on the online event with the latest value', async () => {
    const save = vi
      .fn()
      .mockRejectedValueOnce(new NetworkError())
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue(undefined)
    const q = make(save)
    q.push('v1')
    await vi.advanceTimersByTimeAsync(500)
    expect(q.state.value).toBe('offline')
    q.push('v2')
    q.push('v3')
    expect(q.state.value).toBe('offline')
    await vi.advanceTimersByTimeAsync(1000) // the backoff retry still runs: onLine can lie
    expect(save).toHaveBeenCalledTimes(2)
    expect(save).toHaveBeenLastCalledWith('v3')
    expect(q.state.value).toBe('offline')
    online.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(save).toHaveBeenCalledTimes(3)
    expect(save).toHaveBeenLastCalledWith('v3')
    expect(q.state.value).toBe('saved')
  })

  it('never replaces a newer edit with the value of a failed save', async () => {
    const first = deferred()
    const save = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValue(undefined)
    const q = make(save)
    q.push('old')
    await vi.advanceTimersByTimeAsync(500)
    q.push('new')
    first.reject(problem(502))
    await vi.advanceTimersByTimeAsync(0)
    expect(q.state.value).toBe('error')
    await vi.advanceTimersByTimeAsync(1000)
    expect(save.mock.calls).toEqual([['old'], ['new']])
    expect(q.state.value).toBe('saved')
  })

  it('waits for the next edit after a request the server refuses (4xx)', async () => {
    const save = vi.fn().mockRejectedValueOnce(problem(422)).mockResolvedValue(undefined)
    const q = make(save)
    q.push('too long')
    await vi.advanceTimersByTimeAsync(500)
    expect(q.state.value).toBe('error')
    expect(q.lastError.value).toBeInstanceOf(ApiProblem)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(save).toHaveBeenCalledTimes(1)
    q.push('fixed')
    expect(q.state.value).toBe('pending')
    await vi.advanceTimersByTimeAsync(500)
    expect(save).toHaveBeenLastCalledWith('fixed')
    expect(q.state.value).toBe('saved')
    expect(q.lastError.value).toBeNull()
  })

  it('flush saves at once, also when offline or refused', async () => {
    const save = vi.fn().mockRejectedValueOnce(problem(409)).mockResolvedValue(undefined)
    const q = make(save)
    q.push('a')
    await q.flush()
    expect(save).toHaveBeenCalledTimes(1)
    expect(q.state.value).toBe('error')
    await q.flush()
    expect(save).toHaveBeenCalledTimes(2)
    expect(q.state.value).toBe('saved')
    await q.flush() // nothing pending: no call
    expect(save).toHaveBeenCalledTimes(2)
  })

  it('stops listening after dispose', async () => {
    const save = vi.fn().mockRejectedValueOnce(new NetworkError()).mockResolvedValue(undefined)
    const q = make(save)
    q.push('a')
    await vi.advanceTimersByTimeAsync(500)
    q.dispose()
    online.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(save).toHaveBeenCalledTimes(1)
    expect(q.state.value).toBe('offline')
  })
})

describe('classifyFailure', () => {
  it('sorts errors into offline, retry and fatal', () => {
    expect(classifyFailure(new NetworkError())).toBe('offline')
    expect(classifyFailure(new TypeError('Failed to fetch'))).toBe('offline')
    expect(classifyFailure(problem(500))).toBe('retry')
    expect(classifyFailure(problem(429))).toBe('retry')
    expect(classifyFailure(problem(408))).toBe('retry')
    expect(classifyFailure(problem(409))).toBe('fatal')
    expect(classifyFailure(problem(422))).toBe('fatal')
    expect(classifyFailure(new Error('boom'))).toBe('retry')
  })
})
