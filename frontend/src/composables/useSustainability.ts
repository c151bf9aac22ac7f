import { toValue, type MaybeRefOrGetter } from 'vue'

import {
  api,
  unwrap,
  type CompetitionSustainability,
  type ReportEvidence,
  type SustainabilityReport,
  type SustainabilityReportFields,
  type SustainabilityReportIn,
  type SustainabilityStatus,
  type SustainabilityYearCell,
} from '@/api'
import { readTokens } from '@/api/tokens'

import { useAsync } from './useAsync'
import { uploadWithProgress } from './useUpload'

/** The report form as the inputs hold it (people served is typed as text). */
export interface ReportForm {
  year: number | null
  status: SustainabilityStatus
  budget_source: string
  regulation: string
  people_served: string
  notes: string
}

export const BUDGET_SOURCES = ['APBD', 'APBDes', 'APBN', 'CSR', 'Swadaya'] as const

export function emptyReportForm(year: number | null): ReportForm {
  return { year, status: 'running', budget_source: '', regulation: '', people_served: '', notes: '' }
}

/** A filed report back into the form, to amend it. */
export function reportToForm(report: SustainabilityReport): ReportForm {
  return {
    year: report.year,
    status: report.status,
    budget_source: report.budget_source,
    regulation: report.regulation,
    people_served: report.people_served === null ? '' : String(report.people_served),
    notes: report.notes,
  }
}

/** The fields the API takes: trimmed texts, people served as a whole number or null. A value
 * that is not a whole number is sent as it is typed, so the server names the field. */
export function reportFields(form: ReportForm): SustainabilityReportFields {
  const served = form.people_served.trim()
  return {
    status: form.status,
    budget_source: form.budget_source.trim(),
    regulation: form.regulation.trim(),
    people_served: served === '' ? null : /^\d+$/.test(served) ? Number(served) : (served as unknown as number),
    notes: form.notes,
  }
}

export function reportBody(form: ReportForm): SustainabilityReportIn {
  return { year: form.year ?? 0, ...reportFields(form) }
}

/** A year cell of the organiser's overview as a badge class. */
export function cellClass(cell: SustainabilityYearCell): string {
  if (cell.state === 'missing') return 'badge-danger'
  if (cell.state === 'not_due') return ''
  return cell.status === 'running' ? 'badge-success' : 'badge-warning'
}

/**
 * A winner's sustainability reports: the list (with the years still open or missing), filing,
 * amending, and each report's evidence (upload, download with the session's token, delete).
 */
export function useSustainability(innovationId: MaybeRefOrGetter<number>) {
  const path = () => ({ innovation_id: toValue(innovationId) })
  const reports = useAsync(() =>
    unwrap(api.GET('/api/v1/innovations/{innovation_id}/sustainability-reports', { params: { path: path() } })),
  )

  async function file(form: ReportForm): Promise<SustainabilityReport> {
    const created = await unwrap(
      api.POST('/api/v1/innovations/{innovation_id}/sustainability-reports', {
        params: { path: path() },
        body: reportBody(form),
      }),
    )
    await reports.reload()
    return created
  }

  async function amend(year: number, form: ReportForm): Promise<SustainabilityReport> {
    const saved = await unwrap(
      api.PUT('/api/v1/innovations/{innovation_id}/sustainability-reports/{year}', {
        params: { path: { ...path(), year } },
        body: reportFields(form),
      }),
    )
    await reports.reload()
    return saved
  }

  async function uploadEvidence(year: number, file: File): Promise<ReportEvidence> {
    const url = `/api/v1/innovations/${toValue(innovationId)}/sustainability-reports/${year}/evidence`
    const stored = await uploadWithProgress<ReportEvidence>(url, file, {
      refresh: async () => {
        const before = readTokens()?.accessToken
        await unwrap(api.GET('/api/v1/me'))
        return readTokens()?.accessToken !== before
      },
    })
    await reports.reload()
    return stored
  }

  async function downloadEvidence(year: number, evidence: ReportEvidence): Promise<void> {
    const blob = await unwrap(
      api.GET('/api/v1/innovations/{innovation_id}/sustainability-reports/{year}/evidence/{evidence_id}', {
        params: { path: { ...path(), year, evidence_id: evidence.id } },
        parseAs: 'blob',
      }),
    )
    const href = URL.createObjectURL(blob)
    const link = document.createElement('a')
    link.href = href
    link.download = evidence.filename
    document.body.appendChild(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(href), 60_000)
  }

  async function removeEvidence(year: number, evidence: ReportEvidence): Promise<void> {
    await unwrap(
      api.DELETE('/api/v1/innovations/{innovation_id}/sustainability-reports/{year}/evidence/{evidence_id}', {
        params: { path: { ...path(), year, evidence_id: evidence.id } },
      }),
    )
    await reports.reload()
  }

  return { ...reports, file, amend, uploadEvidence, downloadEvidence, removeEvidence }
}

/** A month's name in the UI's language (the due month: 1 = January). */
export function monthName(month: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, month - 1, 1))
}

/** The organiser's overview of a competition's winners, year by year. */
export function fetchSustainabilityOverview(competitionId: number): Promise<CompetitionSustainability> {
  return unwrap(
    api.GET('/api/v1/competitions/{competition_id}/sustainability', {
      params: { path: { competition_id: competitionId } },
    }),
  )
}

/** How many of the overview's due years are filed and how many are missing. */
export function overviewCounts(overview: CompetitionSustainability): { filed: number; missing: number } {
  let filed = 0
  let missing = 0
  for (const winner of overview.winners) {
    for (const cell of winner.years) {
      if (cell.state === 'filed') filed++
      else if (cell.state === 'missing') missing++
    }
  }
  return { filed, missing }
}
