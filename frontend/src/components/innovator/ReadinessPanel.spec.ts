import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'

import { i18n, setLocale } from '@/i18n'

import ReadinessPanel from './ReadinessPanel.vue'

const TITLES = { ringkasan: 'Ringkasan', kontribusi_tpb: 'Kontribusi terhadap TPB (SDGs)' }
const PROBLEMS = [
  { field: 'sections.ringkasan', message: 'required; it is empty' },
  { field: 'sections.kontribusi_tpb', message: '205 words; the limit is 200' },
  { field: 'attachments', message: '0 uploaded; at least 1 required' },
  {
    field: 'started_on',
    message: 'the innovation must have run at least 2 year(s) for group umum; started on 2025-06-01, it is old enough on 2027-06-01',
  },
]

function mountPanel(props: Record<string, unknown>) {
  return mount(ReadinessPanel, {
    props: { readiness: null, sectionTitles: TITLES, timeZone: 'Asia/Makassar', ...props },
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
      'Mulai diterapkan: inovasi harus sudah berjalan minimal 2 tahun untuk kelompok ini; syarat terpenuhi pada 1 Juni 2027',
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
})
