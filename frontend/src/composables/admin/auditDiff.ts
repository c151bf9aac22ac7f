export interface AuditChange {
  key: string
  before: unknown
  after: unknown
  kind: 'added' | 'removed' | 'changed' | 'same'
}

type Snapshot = Record<string, unknown> | null | undefined

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * An audit event's before → after as one line per field, changed fields first. A field only in
 * `after` was added (a creation has no `before`), one only in `before` was removed.
 */
export function auditChanges(before: Snapshot, after: Snapshot): AuditChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]
  const changes = keys.map((key): AuditChange => {
    const hasBefore = before != null && key in before
    const hasAfter = after != null && key in after
    const b = hasBefore ? before[key] : undefined
    const a = hasAfter ? after[key] : undefined
    const kind = !hasBefore ? 'added' : !hasAfter ? 'removed' : same(b, a) ? 'same' : 'changed'
    return { key, before: b, after: a, kind }
  })
  const order = { changed: 0, added: 1, removed: 2, same: 3 }
  return changes.sort((x, y) => order[x.kind] - order[y.kind])
}

/** A value of an audit snapshot as short readable text. */
export function auditValue(value: unknown): string {
  if (value === undefined) return ''
  if (value === null) return '∅'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}
