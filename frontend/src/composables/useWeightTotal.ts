import { computed, toValue, type MaybeRefOrGetter } from 'vue'

export const WEIGHT_TARGET = 100

/** Total of rubric criterion weights (percent) and whether it is exactly 100. */
export function useWeightTotal(criteria: MaybeRefOrGetter<readonly { weight: number | null | undefined }[]>) {
  const total = computed(() => {
    const sum = toValue(criteria).reduce((acc, c) => acc + (Number.isFinite(c.weight) ? Number(c.weight) : 0), 0)
    return Math.round(sum * 100) / 100 // 33.33 + 33.33 + 33.34 is 100, not 99.99999
  })
  const difference = computed(() => Math.round((WEIGHT_TARGET - total.value) * 100) / 100)
  const isComplete = computed(() => difference.value === 0)
  return { total, difference, isComplete }
}
