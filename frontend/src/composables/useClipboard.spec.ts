import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { useClipboard } from './useClipboard'

describe('useClipboard', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes through the Clipboard API and flags copied for a moment', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { copy, copied, failed } = useClipboard({ resetMs: 1000 })
    expect(await copy('kipp_secret')).toBe(true)
    expect(writeText).toHaveBeenCalledWith('kipp_secret')
    expect(copied.value).toBe(true)
    expect(failed.value).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(copied.value).toBe(false)
  })

  it('reports a failure when neither the API nor the fallback can copy', async () => {
    vi.stubGlobal('navigator', {
      ...navigator,
      clipboard: { writeText: vi.fn().mockRejectedValue(new Error('denied')) },
    })
    const execCommand = vi.fn().mockReturnValue(false)
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true })
    const { copy, copied, failed } = useClipboard()
    expect(await copy('x')).toBe(false)
    expect(execCommand).toHaveBeenCalledWith('copy')
    expect(copied.value).toBe(false)
    expect(failed.value).toBe(true)
  })
})
