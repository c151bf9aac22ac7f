import { ApiProblem, api, unwrap } from '@/api'

import type { ImportReport, ImportRowError } from './adminApi'

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

/** The outcome of an import call: the report, or the rows the server refused (nothing written). */
export interface ImportOutcome {
  report: ImportReport | null
  errors: ImportRowError[]
}

/** A 422 import problem carries every refused row (`row`, `field`, `message`). */
function rowErrors(error: ApiProblem): ImportRowError[] {
  return error.errors.map((e) => {
    const row = (e as { row?: unknown }).row
    return { row: typeof row === 'number' ? row : 0, field: e.field, message: e.message }
  })
}

/**
 * Send a file to an import endpoint, as a dry run or for real. A refused file (422 with row
 * errors) is an outcome, not an exception: the screen lists the rows to fix.
 */
export async function runImport(kind: ImportKind, file: ImportFile, options: { dryRun: boolean; competitionId?: number }): Promise<ImportOutcome> {
  let body: string | Record<string, never>[]
  if (file.format === 'json') {
    const parsed: unknown = JSON.parse(file.text)
    body = parsed as Record<string, never>[]
  } else {
    body = file.text
  }
  const init = {
    params: { query: { dry_run: options.dryRun } },
    body,
    headers: { 'Content-Type': file.format === 'json' ? 'application/json' : 'text/csv' },
    bodySerializer: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
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
    return { report, errors: report.errors }
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 422 && error.errors.some((e) => 'row' in e)) {
      return { report: null, errors: rowErrors(error) }
    }
    throw error
  }
}
