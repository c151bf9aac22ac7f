// Test data for the innovator screens' specs, shaped by the generated API types.
import type { Competition } from '@/api'

import type { ProposalTemplate } from '@/api'

import type { Proposal } from './useProposal'

export const PROPOSAL: Proposal = {
  id: 7,
  competition_id: 2,
  agency_id: 3,
  agency_code: 'DLH',
  title: 'Bank Sampah Digital',
  group: 'umum',
  category: '',
  origin: 'other',
  summary: '',
  sections: { ringkasan: 'Warga menabung sampah.' },
  started_on: null,
  replicated_from: null,
  video_url: null,
  links: [],
  external_ref: null,
  status: 'draft',
  version: 3,
  submitted_at: null,
  created_at: '2026-11-29T01:00:00Z',
  updated_at: '2026-11-29T01:00:00Z',
  team: [{ id: 11, full_name: 'Inovator DLH' }],
  administrative_review: null,
  attachments_count: 0,
}

export const TEMPLATE: ProposalTemplate = {
  sections: [
    {
      key: 'ringkasan',
      title: 'Ringkasan',
      max_words: 200,
      required: true,
      public: true,
      groups: ['umum', 'replikasi', 'khusus'],
    },
    {
      key: 'ide_inovatif',
      title: 'Ide Inovatif',
      max_words: 600,
      required: true,
      public: false,
      groups: ['umum', 'khusus'],
    },
    { key: 'inspirasi', title: 'Inspirasi', max_words: 100, required: true, public: false, groups: ['replikasi'] },
  ],
  min_age_years: { umum: 2, replikasi: 1, khusus: 2 },
  required_attachments: 0,
}

export const COMPETITION: Competition = {
  id: 2,
  organisation_id: 1,
  name: 'KIPP Kabupaten Luwu Utara 2026',
  year: 2026,
  level: 'kabupaten',
  region: 'Kabupaten Luwu Utara',
  description: '',
  timezone: 'Asia/Makassar',
  top_n: 7,
  honourable_mentions: 0,
  min_judges: 1,
  aggregation_method: 'mean',
  objection_days: 5,
  parent: null,
  agency_quota: null,
  published: true,
  proposal_template: TEMPLATE,
  admin_checklist: [
    { key: 'proposal_complete', label: 'Proposal lengkap' },
    { key: 'agency_endorsement', label: 'Surat pengantar kepala OPD' },
  ],
  current_stage: 'submission',
  next_stage: 'administrative',
  stages: [
    {
      key: 'submission',
      name: 'Pengajuan',
      position: 1,
      starts_at: '2026-11-22T00:00:00+08:00',
      ends_at: '2026-12-21T00:00:00+08:00',
      state: 'current',
      open: true,
    },
  ],
  announced_at: null,
  finalised_at: null,
  version: 1,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
}
