import { describe, expect, it } from 'vitest'
import { ref } from 'vue'

import { useWeightTotal } from './useWeightTotal'

const DEFAULT_RUBRIC = [25, 20, 20, 15, 10, 10].map((weight) => ({ weight }))

describe('useWeightTotal', () => {
  it('accepts the default rubric (PermenPANRB 91/2021 + presentation)', () => {
    const { total, isComplete, difference } = useWeightTotal(DEFAULT_RUBRIC)
    expect(total.value).toBe(100)
    expect(difference.value).toBe(0)
    expect(isComplete.value).toBe(true)
  })

  it('reports the difference reactively as weights change', () => {
    const criteria = ref(DEFAULT_RUBRIC.map((c) => ({ ...c })))
    const { total, isComplete, difference } = useWeightTotal(criteria)
    criteria.value[0]!.weight = 30
    expect(total.value).toBe(105)
    expect(difference.value).toBe(-5)
    expect(isComplete.value).toBe(false)
    criteria.value.pop()
    expect(total.value).toBe(95)
    expect(difference.value).toBe(5)
  })

  it('does not trip over floating point and ignores blank weights', () => {
    const { total, isComplete } = useWeightTotal([
      { weight: 33.33 },
      { weight: 33.33 },
      { weight: 33.34 },
      { weight: null },
    ])
    expect(total.value).toBe(100)
    expect(isComplete.value).toBe(true)
  })

  it('is not complete when empty', () => {
    expect(useWeightTotal([]).isComplete.value).toBe(false)
  })
})
