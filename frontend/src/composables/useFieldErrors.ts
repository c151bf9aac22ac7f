import { computed, toValue, type MaybeRefOrGetter } from 'vue'

import { ApiProblem, dottedToPointer } from '@/api/problem'
import type { FieldProblem } from '@/api/types'

/** RFC 6901: `stages.3.starts_at` (a field's dotted name) as `/stages/3/starts_at`. */
export const toPointer = dottedToPointer

/** The pointer of one field error (older answers have only the dotted `field`). */
export function pointerOf(error: FieldProblem): string {
  return typeof error.pointer === 'string' ? error.pointer : toPointer(error.field)
}

export interface UnmatchedError {
  /** The form's label of the field, when the form knows it; never a raw path. */
  label: string | null
  message: string
}

/**
 * A failed request's field errors, matched to the form's fields by JSON pointer.
 *
 * `labels` names every field the form shows (pointer or dotted name → label). `message(field)`
 * is the error to show beside that field; `unmatched` lists the rest, for the ProblemAlert,
 * each with its label (when the form knows one) and message, never a raw path.
 */
export function useFieldErrors(
  error: MaybeRefOrGetter<unknown>,
  labels: MaybeRefOrGetter<Record<string, string>> = {},
) {
  const errors = computed<FieldProblem[]>(() => {
    const value = toValue(error)
    return value instanceof ApiProblem ? value.errors : []
  })
  const byPointer = computed(() => {
    const map = new Map<string, string>()
    for (const e of errors.value) {
      const pointer = pointerOf(e)
      if (!map.has(pointer)) map.set(pointer, e.message)
    }
    return map
  })
  const known = computed(() => {
    const out = new Map<string, string>()
    for (const [field, label] of Object.entries(toValue(labels))) out.set(toPointer(field), label)
    return out
  })

  /** The message for one field (dotted name or pointer), if the server named it. */
  function message(field: string): string | undefined {
    return byPointer.value.get(toPointer(field))
  }

  /** Whether any error is on the field or inside it (`/stages` covers `/stages/3/starts_at`). */
  function hasError(field: string): boolean {
    const pointer = toPointer(field)
    return errors.value.some((e) => {
      const p = pointerOf(e)
      return p === pointer || p.startsWith(pointer + '/')
    })
  }

  const unmatched = computed<UnmatchedError[]>(() =>
    errors.value
      .filter((e) => !known.value.has(pointerOf(e)))
      .map((e) => ({ label: labelFor(pointerOf(e)), message: e.message })),
  )

  // An error inside a known field (a list item of it) carries that field's label.
  function labelFor(pointer: string): string | null {
    let best: string | null = null
    let bestLength = -1
    for (const [known_, label] of known.value) {
      if (known_ && pointer.startsWith(known_ + '/') && known_.length > bestLength) {
        best = label
        bestLength = known_.length
      }
    }
    return best
  }

  /** The pointers shown beside a field: the ProblemAlert leaves them out. */
  const shown = computed(() => errors.value.map(pointerOf).filter((pointer) => known.value.has(pointer)))

  return { errors, message, hasError, unmatched, shown }
}
