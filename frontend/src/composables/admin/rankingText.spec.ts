import { describe, expect, it } from 'vitest'

import { agreementLevel, drawsInTop, extraColumns, judgeTraits, scoreDigits } from './rankingText'

describe('rankingText', () => {
  it('counts the re-draws that put an innovation in the TOP N', () => {
    expect(drawsInTop(0.87, 1000)).toBe(870)
    expect(drawsInTop(0.997, 1000)).toBe(997)
    expect(drawsInTop(1, 200)).toBe(200)
    expect(drawsInTop(0, 1000)).toBe(0)
  })

  it('words agreement on the usual bands', () => {
    expect([0.88, 0.6, 0.35, 0.1].map(agreementLevel)).toEqual(['strong', 'moderate', 'fair', 'weak'])
  })

  it('calls a judge strict, generous, narrow or wide only when they stand out', () => {
    expect(judgeTraits({ centre: -17, spread: 0.99 })).toEqual(['strict'])
    expect(judgeTraits({ centre: 11.8, spread: 0.8 })).toEqual(['generous', 'narrow'])
    expect(judgeTraits({ centre: 2.1, spread: 1.04 })).toEqual([])
    expect(judgeTraits({ centre: 0, spread: 1.2 })).toEqual(['wide'])
    expect(judgeTraits({ centre: null, spread: null })).toEqual([])
  })

  it('never repeats the score in another column', () => {
    expect(extraColumns('mean')).toEqual({ rawMean: false, adjusted: true })
    expect(extraColumns('judge_effects')).toEqual({ rawMean: true, adjusted: false })
    expect(extraColumns('zscore')).toEqual({ rawMean: true, adjusted: true })
    expect(scoreDigits('zscore')).toBe(2)
    expect(scoreDigits('median')).toBe(1)
  })
})
