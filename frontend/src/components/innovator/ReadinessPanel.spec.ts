import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'

import { i18n, setLocale } from '@/i18n'

import ReadinessPanel from './ReadinessPanel.vue'

const TITLES = { ringkasan: 'Ringkasan', kontribusi_tpb: 'Kontribusi terhadap TPB (SDGs)' }
const PROBLEMS = [
  { field: 'sections.ringkasan', message: 'required; it is empty', code: 'empty', params: {} },
  {
    field: 'sections.kontribusi_tpb',
    message: '205 words; the limit is 200',
    code: 'too_many_words',
    params: { words: 205, limit: 200 },
  },
  {
    field: 'attachments',
    message: '0 uploaded; at least 1 required',
    code: 'too_few_attachments',
    params: { count: 0, required: 1 },
  },
  {
    field: 'started_on',
    message:
      'the innovation must have run at least 2 year(s) for group umum; started on 2025-06-01, it is old enough on 2027-06-01',
    code: 'too_young',
    params: { min_years: 2, group: 'umum', started_on: '2025-06-01', old_enough_on: '2027-06-01' },
  },
]

function mountPanel(props: Record<string, unknown>) {
  return mount(ReadinessPanel, {
    props: { readiness: null, sectionTitles: TITLES, ...props },
    global: { plugins: [i18n] },
  })
}

describe('ReadinessPanel', () => {
  beforeEach(() => setLocale('id'))

  it('names each problem by its field and says it in the UI language', () => {
    const wrapper = mountPanel({ readiness: { ready: false, problems: PROBLEMS } })
    expect(wrapper.text()).toContain('Perlu dilengkapi: 4')
    const items = wrapper.findAll('li').map((li) => li.text())
    expect(items).toEqual([
      'Ringkasan: belum diisi',
      'Kontribusi terhadap TPB (SDGs): 205 kata, melebihi batas 200 kata',
      'Lampiran: baru 0 lampiran, minimal 1',
      'Mulai diterapkan: inovasi kelompok Umum harus sudah berjalan minimal 2 tahun; dimulai 1 Juni 2025, syarat terpenuhi pada 1 Juni 2027',
    ])
  })

  it('asks the editor to focus the field of a problem', async () => {
    const wrapper = mountPanel({ readiness: { ready: false, problems: PROBLEMS } })
    await wrapper.find('a[href="#field-sections.kontribusi_tpb"]').trigger('click')
    expect(wrapper.emitted('focusField')).toEqual([['sections.kontribusi_tpb']])
    await wrapper.find('button').trigger('click')
    expect(wrapper.emitted('refresh')).toHaveLength(1)
  })

  it('says when the proposal is ready, and while it checks', () => {
    expect(mountPanel({ readiness: { ready: true, problems: [] } }).text()).toContain('Siap diajukan')
    expect(mountPanel({ loading: true }).text()).toContain('Memeriksa kesiapan…')
    setLocale('en')
    expect(mountPanel({ readiness: { ready: false, problems: PROBLEMS.slice(1, 2) } }).text()).toContain(
      'Kontribusi terhadap TPB (SDGs): 205 words, over the limit of 200',
    )
  })

  it('words every code in English too, with singular and plural', () => {
    setLocale('en')
    const problems = [
      ...PROBLEMS,
      { field: 'started_on', message: 'required; when did the innovation start?', code: 'empty', params: {} },
      {
        field: 'started_on',
        message: '2030-01-01 is in the future',
        code: 'in_future',
        params: { started_on: '2030-01-01' },
      },
      {
        field: 'started_on',
        message: 'too young',
        code: 'too_young',
        params: { min_years: 1, group: 'replikasi', started_on: '2024-02-29', old_enough_on: '2025-02-28' },
      },
      {
        field: 'attachments',
        message: '1 uploaded; at least 2 required',
        code: 'too_few_attachments',
        params: { count: 1, required: 2 },
      },
      { field: 'video_url', message: 'a finding this client does not know', code: 'brand_new', params: {} },
    ]
    const items = mountPanel({ readiness: { ready: false, problems } })
      .findAll('li')
      .map((li) => li.text())
    expect(items).toEqual([
      'Ringkasan: not filled in',
      'Kontribusi terhadap TPB (SDGs): 205 words, over the limit of 200',
      'Attachments: 0 attachments uploaded, at least 1 needed',
      'Implemented since: an innovation in the General (umum) group must have run for at least 2 years; started 1 June 2025, it qualifies on 1 June 2027',
      'Implemented since: not filled in: when did the innovation start?',
      'Implemented since: the start date 1 January 2030 is in the future',
      'Implemented since: an innovation in the Replication (replikasi) group must have run for at least 1 year; started 29 February 2024, it qualifies on 28 February 2025',
      'Attachments: 1 attachment uploaded, at least 2 needed',
      'Video link: a finding this client does not know',
    ])
  })
})
