import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'

import type { Stage } from '@/api'
import { i18n, setLocale } from '@/i18n'

import StageTimeline from './StageTimeline.vue'

const stage = (key: string, position: number, state: Stage['state'], open = false): Stage => ({
  key,
  name: key,
  position,
  state,
  open,
  starts_at: `2021-10-${String(position * 5).padStart(2, '0')}T16:00:00Z`,
  ends_at: `2021-10-${String(position * 5 + 4).padStart(2, '0')}T16:00:00Z`,
})
const STAGES = [
  stage('submission', 1, 'past'),
  stage('administrative', 2, 'past'),
  stage('presentation', 3, 'current', true),
  stage('nomination', 4, 'upcoming'),
  stage('announcement', 5, 'upcoming'),
]

describe('StageTimeline', () => {
  beforeEach(() => setLocale('id'))

  it('lists the five stages in order with their state in words', () => {
    const wrapper = mount(StageTimeline, {
      props: { stages: STAGES, timezone: 'Asia/Makassar', currentStage: 'presentation' },
      global: { plugins: [i18n] },
    })
    const items = wrapper.findAll('li')
    expect(items.map((li) => li.find('h3').text())).toEqual([
      'Pengajuan proposal',
      'Seleksi administrasi',
      'Presentasi dan penilaian',
      'Penetapan nominasi',
      'Pengumuman',
    ])
    expect(items[0]!.text()).toContain('Selesai')
    expect(items[2]!.text()).toContain('Berlangsung')
    expect(items[2]!.text()).toContain('jadwal sedang dibuka')
    expect(items[4]!.text()).toContain('Akan datang')
  })

  it('tells a window that has not opened yet from one that has closed', () => {
    // An admin may move a stage on before its window: the window is then still to come.
    const future = {
      ...stage('announcement', 5, 'current'),
      starts_at: '2999-01-01T00:00:00Z',
      ends_at: '2999-01-08T00:00:00Z',
    }
    const early = mount(StageTimeline, {
      props: { stages: [...STAGES.slice(0, 4), future], timezone: 'Asia/Makassar', currentStage: 'announcement' },
      global: { plugins: [i18n] },
    })
    expect(early.findAll('li')[4]!.text()).toContain('jadwal belum dimulai')
    const late = mount(StageTimeline, {
      props: {
        stages: [...STAGES.slice(0, 4), stage('announcement', 5, 'current')],
        timezone: 'Asia/Makassar',
        currentStage: 'announcement',
      },
      global: { plugins: [i18n] },
    })
    expect(late.findAll('li')[4]!.text()).toContain('jadwal sudah ditutup')
  })

  it('marks only the current stage with aria-current="step"', () => {
    const wrapper = mount(StageTimeline, {
      props: { stages: STAGES, timezone: 'Asia/Makassar', currentStage: 'presentation' },
      global: { plugins: [i18n] },
    })
    const current = wrapper.findAll('li').filter((li) => li.attributes('aria-current') === 'step')
    expect(current).toHaveLength(1)
    expect(current[0]!.classes()).toContain('stage-current')
  })

  it("shows the windows in the competition's time zone", () => {
    // 16:00 UTC is midnight in Makassar (UTC+8) and 23:00 the day before in Jakarta (UTC+7).
    const wita = mount(StageTimeline, {
      props: { stages: STAGES, timezone: 'Asia/Makassar', currentStage: 'presentation' },
      global: { plugins: [i18n] },
    })
    expect(wita.find('li time').text()).toMatch(/6 Okt 2021.*00[.:]00 WITA/)
    const wib = mount(StageTimeline, {
      props: { stages: STAGES, timezone: 'Asia/Jakarta', currentStage: 'presentation' },
      global: { plugins: [i18n] },
    })
    expect(wib.find('li time').text()).toMatch(/5 Okt 2021.*23[.:]00 WIB/)
  })
})
