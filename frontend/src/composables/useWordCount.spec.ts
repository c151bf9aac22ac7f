import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'

import { countWords, useWordCount } from './useWordCount'

describe('countWords', () => {
  it.each([
    ['', 0],
    ['   \n\t ', 0],
    ['satu', 1],
    ['Inovasi pelayanan publik', 3],
    ['  spasi   ganda\n\nbaris baru\ttab ', 5],
    ['e-KTP dan sistem informasi terpadu-terintegrasi', 5],
    ['Dilayani 1.250 warga pada 2021', 5],
    ['Ringkasan — singkat , jelas !', 3],
    ['- - -', 0],
    ['(SDGs) "TPB" pelayanan.', 3],
    ['Waktu tunggu turun 50%', 4],
    ['Kabupaten Luwu Utara, Sulawesi Selatan.', 5],
  ])('counts %j as %i', (text, expected) => {
    expect(countWords(text)).toBe(expected)
  })

  it('treats null and undefined as empty', () => {
    expect(countWords(null)).toBe(0)
    expect(countWords(undefined)).toBe(0)
  })
})

describe('useWordCount', () => {
  it('follows the text and the limit reactively', async () => {
    const text = ref('satu dua tiga')
    const limit = ref<number | null>(3)
    const wc = useWordCount(text, limit)
    expect(wc.count.value).toBe(3)
    expect(wc.remaining.value).toBe(0)
    expect(wc.isOver.value).toBe(false)

    text.value = 'satu dua tiga empat lima'
    await nextTick()
    expect(wc.count.value).toBe(5)
    expect(wc.remaining.value).toBe(-2)
    expect(wc.isOver.value).toBe(true)
    expect(wc.overBy.value).toBe(2)

    limit.value = 10
    expect(wc.isOver.value).toBe(false)
    expect(wc.remaining.value).toBe(5)
  })

  it('has no over-limit state without a limit', () => {
    const wc = useWordCount(() => 'a b c d e f g')
    expect(wc.limit.value).toBeNull()
    expect(wc.remaining.value).toBeNull()
    expect(wc.isOver.value).toBe(false)
  })
})
