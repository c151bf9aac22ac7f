import { computed, toValue, type MaybeRefOrGetter } from 'vue'

// A token is a word when it holds at least one letter or digit: "e-KTP" and "10.000" count,
// a lone "-" or "—" does not.
const WORDLIKE = /[\p{L}\p{N}]/u

/**
 * Count words as a person would: split on whitespace; a hyphenated word counts once, a number
 * counts, punctuation standing alone does not. Keep in step with the server's readiness check.
 */
export function countWords(text: string | null | undefined): number {
  if (!text) return 0
  let count = 0
  for (const token of text.split(/\s+/u)) {
    if (WORDLIKE.test(token)) count += 1
  }
  return count
}

/** Reactive word count of `text` against `limit` (null or undefined: no limit). */
export function useWordCount(
  text: MaybeRefOrGetter<string | null | undefined>,
  limit?: MaybeRefOrGetter<number | null | undefined>,
) {
  const count = computed(() => countWords(toValue(text)))
  const max = computed(() => toValue(limit) ?? null)
  const remaining = computed(() => (max.value === null ? null : max.value - count.value))
  const isOver = computed(() => remaining.value !== null && remaining.value < 0)
  const overBy = computed(() => (isOver.value ? -(remaining.value ?? 0) : 0))
  return { count, limit: max, remaining, isOver, overBy }
}
