import { computed, ref } from 'vue'

/**
 * The TOP N decision being composed: an ordered list of exactly `topN` innovations and an ordered
 * list of honourable mentions. An innovation is in at most one of the two lists.
 */
export function useNominationPick(topN: () => number, honourableMax: () => number) {
  const top = ref<number[]>([])
  const honourable = ref<number[]>([])

  const isComplete = computed(() => top.value.length === topN())
  const topFull = computed(() => top.value.length >= topN())
  const honourableFull = computed(() => honourable.value.length >= honourableMax())

  function reset(topIds: readonly number[], honourableIds: readonly number[] = []): void {
    top.value = [...new Set(topIds)].slice(0, topN())
    honourable.value = [...new Set(honourableIds)].filter((id) => !top.value.includes(id)).slice(0, honourableMax())
  }

  function listOf(which: 'top' | 'honourable') {
    return which === 'top' ? top : honourable
  }

  function remove(id: number): void {
    top.value = top.value.filter((x) => x !== id)
    honourable.value = honourable.value.filter((x) => x !== id)
  }

  /** Put `id` at the end of a list (taking it out of the other); false when the list is full. */
  function add(which: 'top' | 'honourable', id: number): boolean {
    const full = which === 'top' ? topFull.value : honourableFull.value
    if (full && !listOf(which).value.includes(id)) return false
    remove(id)
    listOf(which).value = [...listOf(which).value, id]
    return true
  }

  /** Move `id` one place up (-1) or down (+1) in its list; false at either end. */
  function move(id: number, step: -1 | 1): boolean {
    for (const list of [top, honourable]) {
      const i = list.value.indexOf(id)
      if (i < 0) continue
      const j = i + step
      if (j < 0 || j >= list.value.length) return false
      const next = [...list.value]
      ;[next[i], next[j]] = [next[j]!, next[i]!]
      list.value = next
      return true
    }
    return false
  }

  function placeOf(id: number): { list: 'top' | 'honourable'; position: number } | null {
    const t = top.value.indexOf(id)
    if (t >= 0) return { list: 'top', position: t + 1 }
    const h = honourable.value.indexOf(id)
    return h >= 0 ? { list: 'honourable', position: h + 1 } : null
  }

  return { top, honourable, isComplete, topFull, honourableFull, reset, add, remove, move, placeOf }
}
