import type { Middleware } from 'openapi-fetch'

import { ApiProblem, api, unwrap, type components } from '@/api'

import type { ImportReport, ImportRowError } from '@/api'

export type ImportKind = 'agencies' | 'users' | 'innovations'

/** What a file picked for import is: CSV text or a JSON array (sent as such). */
export interface ImportFile {
  name: string
  format: 'csv' | 'json'
  text: string
}

/** Read a picked file; JSON must be an array of objects, anything else is sent as CSV. */
export function importFormatOf(name: string, type: string): 'csv' | 'json' {
  return /\.json$/i.test(name) || type === 'application/json' ? 'json' : 'csv'
}

/** How many rows an import creates, updates and leaves unchanged. */
export interface ImportCounts {
  created: number
  updated: number
  unchanged: number
}

/**
 * The outcome of an import call. A refused file (422) writes nothing, yet its body still counts
 * the valid rows (what importing would do once the errors are fixed) besides every row error.
 */
export interface ImportOutcome {
  /** The file has errors: nothing was (or would be) written, and it cannot be imported as it is. */
  refused: boolean
  /** null only when a refusal came without counts (an older server). */
  counts: ImportCounts | null
  errors: ImportRowError[]
}

/** The problem+json body of a refused import (the spec's ImportProblem). */
export type ImportProblem = components['schemas']['ImportProblem']

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0

/** Read the raw body of a refused import: its row errors, and its counts when they are there. */
export function refusalOf(body: unknown): Omit<ImportOutcome, 'refused'> | null {
  if (typeof body !== 'object' || body === null) return null
  const b = body as Partial<Record<keyof ImportProblem, unknown>>
  if (!Array.isArray(b.errors)) return null
  const errors: ImportRowError[] = []
  for (const e of b.errors as unknown[]) {
    if (typeof e !== 'object' || e === null) return null
    const { row, field, code, message } = e as Record<string, unknown>
    // A refused file names a row for every error; a 422 without rows is some other problem.
    if (!isCount(row)) return null
    errors.push({
      row,
      field: typeof field === 'string' ? field : '',
      code: typeof code === 'string' ? code : '',
      message: typeof message === 'string' ? message : '',
    })
  }
  const counts =
    isCount(b.created) && isCount(b.updated) && isCount(b.unchanged)
      ? { created: b.created, updated: b.updated, unchanged: b.unchanged }
      : null
  return { counts, errors }
}

/**
 * Send a file to an import endpoint, as a dry run or for real. A refused file (422 with row
 * errors) is an outcome, not an exception: the screen lists the rows to fix and the counts.
 */
export async function runImport(
  kind: ImportKind,
  file: ImportFile,
  options: { dryRun: boolean; competitionId?: number },
): Promise<ImportOutcome> {
  let body: string | Record<string, never>[]
  if (file.format === 'json') {
    const parsed: unknown = JSON.parse(file.text)
    body = parsed as Record<string, never>[]
  } else {
    body = file.text
  }
  // The client throws every failed answer as an ApiProblem, which keeps only the standard
  // problem fields; this call's own middleware reads the whole body of a refusal first.
  let refusedBody: unknown = null
  const keepRefusal: Middleware = {
    async onResponse({ response }) {
      if (response.status === 422)
        refusedBody = await response
          .clone()
          .json()
          .catch(() => null)
      return undefined
    },
  }
  const init = {
    params: { query: { dry_run: options.dryRun } },
    body,
    headers: { 'Content-Type': file.format === 'json' ? 'application/json' : 'text/csv' },
    bodySerializer: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
    middleware: [keepRefusal],
  }
  try {
    let report: ImportReport
    if (kind === 'innovations') {
      if (!options.competitionId) throw new Error('An innovations import needs a competition')
      report = await unwrap(
        api.POST('/api/v1/competitions/{competition_id}/imports/innovations', {
          ...init,
          params: { ...init.params, path: { competition_id: options.competitionId } },
        }),
      )
    } else if (kind === 'agencies') {
      report = await unwrap(api.POST('/api/v1/imports/agencies', init))
    } else {
      report = await unwrap(api.POST('/api/v1/imports/users', init))
    }
    const { created, updated, unchanged } = report
    return { refused: report.errors.length > 0, counts: { created, updated, unchanged }, errors: report.errors }
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 422) {
      const refusal = refusalOf(refusedBody) ?? refusalOf({ errors: error.errors })
      if (refusal && refusal.errors.length) return { refused: true, ...refusal }
    }
    throw error
  }
}
