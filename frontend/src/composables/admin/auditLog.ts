import { api, unwrap } from '@/api'
import type { paths } from '@/api/types'

import { filenameOf, saveBlob } from './adminApi'

export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>

/** What the audit page's filter form holds; empty strings mean "any". */
export interface AuditFilters {
  competitionId: number | ''
  actorId: number | ''
  entityType: string
  entityId: string
  action: string
  /** Calendar days (`YYYY-MM-DD`) in the reader's own time zone, both included. */
  fromDay: string
  toDay: string
}

export const NO_FILTERS: AuditFilters = {
  competitionId: '',
  actorId: '',
  entityType: '',
  entityId: '',
  action: '',
  fromDay: '',
  toDay: '',
}

/** Local midnight of a `YYYY-MM-DD` day, `days` later, as an ISO moment with its offset. */
export function localMidnight(day: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return undefined
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/** The API's query for the filters: the `to` day is included (the server's `to` is exclusive). */
export function auditQuery(filters: AuditFilters): Omit<AuditQuery, 'limit' | 'offset'> {
  const entityId = Number.parseInt(filters.entityId, 10)
  return {
    competition_id: filters.competitionId === '' ? undefined : filters.competitionId,
    actor_id: filters.actorId === '' ? undefined : filters.actorId,
    entity_type: filters.entityType.trim() || undefined,
    entity_id: Number.isFinite(entityId) && entityId > 0 ? entityId : undefined,
    action: filters.action.trim() || undefined,
    from: localMidnight(filters.fromDay),
    to: localMidnight(filters.toDay, 1),
  }
}

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** A changed value as the reader sees it: times in local time, nothing as a dash. */
export function changeValue(value: string | null | undefined, formatMoment: (iso: string) => string): string {
  if (value == null || value === '') return '—'
  return ISO_MOMENT.test(value) ? formatMoment(value) : value
}

export function fetchAuditPage(filters: AuditFilters, limit: number, offset: number) {
  return unwrap(api.GET('/api/v1/audit', { params: { query: { ...auditQuery(filters), limit, offset } } }))
}

/** The filtered log as CSV (authenticated, so through the client, not a plain link). */
export async function downloadAuditCsv(filters: AuditFilters): Promise<void> {
  const call = api.GET('/api/v1/audit.csv', { params: { query: auditQuery(filters) }, parseAs: 'blob' })
  const { response } = await call
  saveBlob(await unwrap<Blob>(call), filenameOf(response, 'kipp-audit.csv'))
}
