// Test data for the admin screens' specs (shapes as the API answers them).
import { writeTokens } from '@/api/tokens'

const STAGES = ['submission', 'administrative', 'presentation', 'nomination', 'announcement']

export function competitionAt(current: string, id = 1) {
  return {
    id,
    name: 'KIPP Uji 2021',
    year: 2021,
    level: 'kabupaten',
    region: 'Kabupaten Uji',
    description: '',
    timezone: 'Asia/Makassar',
    top_n: 7,
    honourable_mentions: 0,
    min_judges: 1,
    aggregation_method: 'mean',
    objection_days: 5,
    agency_quota: null,
    published: true,
    proposal_template: { sections: [] },
    admin_checklist: [],
    current_stage: current,
    next_stage: STAGES[STAGES.indexOf(current) + 1] ?? null,
    stages: STAGES.map((key, i) => ({
      key,
      name: key,
      position: i + 1,
      starts_at: `2021-1${i}-01T00:00:00+08:00`,
      ends_at: `2021-1${i}-10T00:00:00+08:00`,
      state: key === current ? 'current' : STAGES.indexOf(key) < STAGES.indexOf(current) ? 'past' : 'upcoming',
      open: key === current,
    })),
    announced_at: null,
    finalised_at: null,
    version: 1,
    created_at: '2021-10-01T00:00:00Z',
    updated_at: '2021-10-01T00:00:00Z',
  }
}

export const ADMIN_ME = { id: 1, email: 'admin@demo.kipp.id', full_name: 'Admin', role: 'admin', agency_id: null }

export function listItem(id: number, status: string, title = `Inovasi ${id}`) {
  return {
    id,
    title,
    agency_id: id,
    agency_code: `OPD${id}`,
    agency_name: `Dinas ${id}`,
    group: 'umum',
    category: '',
    competition_id: 1,
    status,
    version: 1,
    submitted_at: null,
    updated_at: '2021-10-01T00:00:00Z',
  }
}

export const PANEL = {
  user_ids: [10, 11, 12],
  items: [
    { id: 10, full_name: 'Juri Satu', email: 'j1@x.id', agency_id: 1, agency_code: 'OPD1' },
    { id: 11, full_name: 'Juri Dua', email: 'j2@x.id', agency_id: 9, agency_code: 'OPD9' },
    { id: 12, full_name: 'Juri Tiga', email: 'j3@x.id', agency_id: 8, agency_code: 'OPD8' },
  ],
}

export function signedIn(): void {
  writeTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
}
