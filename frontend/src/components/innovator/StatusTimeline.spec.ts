import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'

import { i18n, setLocale } from '@/i18n'

import StatusTimeline from './StatusTimeline.vue'

const CHECKLIST = [
  { key: 'proposal_complete', label: 'Proposal lengkap' },
  { key: 'agency_endorsement', label: 'Surat pengantar kepala OPD' },
]

function mountTimeline(proposal: Record<string, unknown>) {
  return mount(StatusTimeline, {
    props: {
      proposal: { status: 'draft', submitted_at: null, administrative_review: null, ...proposal },
      checklist: CHECKLIST,
      timeZone: 'Asia/Makassar',
    },
    global: { plugins: [i18n] },
  })
}

describe('StatusTimeline', () => {
  beforeEach(() => setLocale('id'))

  it('marks the step in progress for assistive technology', () => {
    const wrapper = mountTimeline({ status: 'submitted', submitted_at: '2026-11-30T01:30:00Z' })
    const current = wrapper.find('[aria-current="step"]')
    expect(current.text()).toContain('Seleksi administrasi')
    expect(current.text()).toContain('sedang berlangsung')
    expect(wrapper.text()).toContain('Diajukan 30 Nov 2026, 09.30 WITA')
  })

  it('shows the administrative decision with its reasons and the checklist', () => {
    const wrapper = mountTimeline({
      status: 'ineligible',
      submitted_at: '2026-11-30T01:30:00Z',
      administrative_review: {
        passed: false,
        checks: { proposal_complete: true, agency_endorsement: false },
        notes: 'SK kepala OPD belum dilampirkan.',
        reviewed_at: '2026-12-22T02:00:00Z',
      },
    })
    expect(wrapper.text()).toContain('Tidak lolos seleksi administrasi')
    expect(wrapper.text()).toContain('Catatan Tim Pelaksana')
    expect(wrapper.find('.notes').text()).toBe('SK kepala OPD belum dilampirkan.')
    const checks = wrapper.findAll('.checks li').map((li) => li.text())
    expect(checks[0]).toContain('Proposal lengkap')
    expect(checks[0]).toContain('terpenuhi')
    expect(checks[1]).toContain('Surat pengantar kepala OPD')
    expect(checks[1]).toContain('tidak terpenuhi')
    expect(wrapper.findAll('.step-skipped')).toHaveLength(2)
  })

  it('says a withdrawn proposal left the competition, in English too', () => {
    setLocale('en')
    const wrapper = mountTimeline({ status: 'withdrawn' })
    expect(wrapper.text()).toContain('The proposal was withdrawn')
    expect(wrapper.find('[aria-current="step"]').exists()).toBe(false)
  })
})
