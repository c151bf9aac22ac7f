import { describe, expect, it } from 'vitest'

import type { CompetitionSustainability, SustainabilityReport } from '@/api'

import {
  cellClass,
  emptyReportForm,
  monthName,
  overviewCounts,
  reportBody,
  reportFields,
  reportToForm,
} from './useSustainability'

const report: SustainabilityReport = {
  id: 3,
  innovation_id: 12,
  year: 2025,
  status: 'stopped',
  budget_source: 'APBDes',
  regulation: 'Perbup No. 12/2022',
  people_served: 1200,
  notes: 'Dana dialihkan.',
  submitted_by_id: 4,
  submitted_by_name: 'Andi',
  created_at: '2026-01-10T01:00:00Z',
  updated_at: '2026-01-10T01:00:00Z',
  evidence: [],
}

describe('the report form', () => {
  it('starts running on the first open year', () => {
    expect(emptyReportForm(2025)).toEqual({
      year: 2025,
      status: 'running',
      budget_source: '',
      regulation: '',
      people_served: '',
      notes: '',
    })
  })

  it('sends trimmed texts and people served as a number, or null when empty', () => {
    const form = {
      ...emptyReportForm(2025),
      budget_source: ' APBD ',
      regulation: ' Perbup 1/2023 ',
      people_served: ' 350 ',
    }
    expect(reportBody(form)).toEqual({
      year: 2025,
      status: 'running',
      budget_source: 'APBD',
      regulation: 'Perbup 1/2023',
      people_served: 350,
      notes: '',
    })
    expect(reportFields({ ...form, people_served: '' }).people_served).toBeNull()
  })

  it('leaves a value that is no whole number for the server to name', () => {
    expect(reportFields({ ...emptyReportForm(2025), people_served: '12,5' }).people_served).toBe('12,5')
  })

  it('reads a filed report back for amending', () => {
    const form = reportToForm(report)
    expect(form).toMatchObject({ year: 2025, status: 'stopped', people_served: '1200', budget_source: 'APBDes' })
    expect(reportFields(form)).toEqual({
      status: 'stopped',
      budget_source: 'APBDes',
      regulation: 'Perbup No. 12/2022',
      people_served: 1200,
      notes: 'Dana dialihkan.',
    })
    expect(reportToForm({ ...report, people_served: null }).people_served).toBe('')
  })
})

describe('the overview', () => {
  const overview: CompetitionSustainability = {
    competition_id: 1,
    announced_year: 2024,
    due_month: 1,
    years: [2025, 2026],
    winners: [
      {
        innovation_id: 1,
        title: 'A',
        agency_code: 'DLH',
        agency_name: 'Dinas Lingkungan Hidup',
        years: [
          { year: 2025, state: 'filed', status: 'running', people_served: 10 },
          { year: 2026, state: 'not_due', status: null, people_served: null },
        ],
      },
      {
        innovation_id: 2,
        title: 'B',
        agency_code: 'DINKES',
        agency_name: 'Dinas Kesehatan',
        years: [
          { year: 2025, state: 'missing', status: null, people_served: null },
          { year: 2026, state: 'not_due', status: null, people_served: null },
        ],
      },
    ],
  }

  it('counts filed and missing years (not those not due)', () => {
    expect(overviewCounts(overview)).toEqual({ filed: 1, missing: 1 })
  })

  it('colours a cell by what it says', () => {
    expect(cellClass({ year: 2025, state: 'missing' })).toBe('badge-danger')
    expect(cellClass({ year: 2025, state: 'not_due' })).toBe('')
    expect(cellClass({ year: 2025, state: 'filed', status: 'running' })).toBe('badge-success')
    expect(cellClass({ year: 2025, state: 'filed', status: 'stopped' })).toBe('badge-warning')
  })

  it('names the due month in the reader’s language', () => {
    expect(monthName(1, 'id')).toBe('Januari')
    expect(monthName(3, 'en')).toBe('March')
  })
})
