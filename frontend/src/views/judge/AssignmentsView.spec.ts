import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { writeTokens } from '@/api/tokens'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

import AssignmentsView from './AssignmentsView.vue'
import { judgeNotice } from './notice'

const JUDGE = {
  id: 8,
  email: 'juri1@demo.kipp.id',
  full_name: 'Kepala Diskominfo SP',
  role: 'judge' as const,
  agency_id: 9,
  organisation_id: 1,
  locale: 'id' as const,
}
const item = (competition_id: number, innovation_id: number, title: string, status: string) => ({
  competition_id,
  competition_name: competition_id === 5 ? 'KIPP Kabupaten Luwu Utara 2025' : 'KIPP Kabupaten Luwu Utara 2021',
  innovation_id,
  title,
  agency_code: 'DLH',
  group: 'umum',
  category: '',
  status,
  updated_at: null,
})
// As the API orders them: by competition, then title.
const ITEMS = [
  item(1, 3, 'Si Mira Bersantai', 'final'),
  item(5, 21, 'Bank Sampah Digital', 'final'),
  item(5, 22, 'Gersipah', 'to_do'),
  item(5, 23, 'Sim B', 'draft'),
]
const COMPETITIONS = {
  items: [
    {
      id: 5,
      timezone: 'Asia/Makassar',
      current_stage: 'presentation',
      stages: [
        {
          key: 'presentation',
          starts_at: '2025-01-01T00:00:00+08:00',
          ends_at: '2025-01-15T00:00:00+08:00',
          state: 'current',
          open: true,
        },
      ],
    },
    {
      id: 1,
      timezone: 'Asia/Makassar',
      current_stage: 'nomination',
      stages: [
        {
          key: 'presentation',
          starts_at: '2021-11-15T00:00:00+08:00',
          ends_at: '2021-12-01T00:00:00+08:00',
          state: 'past',
          open: false,
        },
      ],
    },
  ],
  total: 2,
}

async function mountList(items: unknown[] = ITEMS, assignments?: () => Response) {
  fakeServer({
    'GET /api/v1/me/assignments':
      assignments ?? (() => json({ items, total: items.length, progress: { final: 0, draft: 0, to_do: 0, total: 0 } })),
    'GET /api/v1/competitions': () => json(COMPETITIONS),
  })
  const pinia = createPinia()
  setActivePinia(pinia)
  writeTokens({ access_token: 'acc', token_type: 'bearer', expires_in: 900, refresh_token: 'ref' })
  useSessionStore().user = JUDGE
  const router = createAppRouter(createMemoryHistory())
  await router.push('/judge')
  const wrapper = mount(AssignmentsView, { global: { plugins: [pinia, i18n, router] } })
  await flushPromises()
  return wrapper
}

describe('AssignmentsView', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('id')
    judgeNotice.value = null
  })

  it('groups the assignments per competition, open ones first, with a progress bar and the scoring window', async () => {
    const wrapper = await mountList()
    const groups = wrapper.findAll('section.group')
    expect(groups.map((g) => g.find('h2').text())).toEqual([
      'KIPP Kabupaten Luwu Utara 2025',
      'KIPP Kabupaten Luwu Utara 2021',
    ])
    const current = groups[0]!
    expect(current.find('progress').attributes('value')).toBe('1')
    expect(current.find('progress').attributes('max')).toBe('3')
    expect(current.text()).toContain('1 dari 3 final')
    expect(current.text()).toContain('Penilaian dibuka sampai 15 Jan 2025, 00.00 WITA')
    expect(groups[1]!.text()).toContain('Penilaian sudah ditutup')
  })

  it('lists drafts first, then what is to do, then the final ones, each with its state', async () => {
    const wrapper = await mountList()
    const links = wrapper.findAll('section.group')[0]!.findAll('a')
    expect(links.map((a) => a.find('.item-title').text())).toEqual(['Sim B', 'Gersipah', 'Bank Sampah Digital'])
    expect(links.map((a) => a.find('.badge').text())).toEqual(['Draf', 'Belum dinilai', 'Final'])
    expect(links[0]!.attributes('href')).toBe('/judge/innovations/23')
  })

  it('marks an innovation whose scores are still only on this device', async () => {
    localStorage.setItem('kipp.scoresheet.8.22', JSON.stringify({ scores: { kebaruan: 3 }, comment: '', at: 1 }))
    const wrapper = await mountList()
    const gersipah = wrapper.findAll('a').find((a) => a.text().includes('Gersipah'))!
    expect(gersipah.text()).toContain('Ada nilai di perangkat ini yang belum terkirim')
  })

  it('says when there is nothing to score, and shows a notice left by the scoring screen', async () => {
    judgeNotice.value = 'Konflik kepentingan untuk "Gersipah" dicatat.'
    const wrapper = await mountList([])
    expect(wrapper.text()).toContain('Belum ada inovasi untuk dinilai')
    expect(wrapper.find('.alert-success').text()).toContain('Gersipah')
  })

  it('shows the problem and a retry button when the list cannot be loaded', async () => {
    const wrapper = await mountList([], () => problem(503, 'Layanan sedang sibuk'))
    expect(wrapper.find('[role="alert"]').text()).toContain('kode 503')
    expect(wrapper.findAll('button').some((b) => b.text() === 'Coba lagi')).toBe(true)
  })
})
