import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { i18n, setLocale } from '@/i18n'
import { COMPETITION } from '@/composables/useProposal.fixtures'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

import ProposalsView from './ProposalsView.vue'

const OPEN = COMPETITION
const CLOSED = {
  ...COMPETITION,
  id: 1,
  name: 'KIPP Kabupaten Luwu Utara 2021',
  year: 2021,
  current_stage: 'nomination',
  stages: [{ ...COMPETITION.stages[0]!, state: 'past' as const, open: false }],
}
const OLD_EMPTY = { ...CLOSED, id: 3, name: 'KIPP 2019', year: 2019 }
const item = (id: number, title: string, status: string, competition_id: number) => ({
  id,
  title,
  agency_id: 3,
  agency_code: 'DLH',
  agency_name: 'Dinas Lingkungan Hidup',
  group: 'umum',
  category: 'Lingkungan hidup',
  competition_id,
  status,
  version: 1,
  submitted_at: status === 'draft' ? null : '2021-10-20T02:00:00Z',
  updated_at: '2021-10-20T02:00:00Z',
})

function mountList(role: 'innovator' | 'agency_admin' = 'innovator') {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().user = {
    id: 11,
    email: 'x@demo.kipp.id',
    full_name: 'Inovator DLH',
    role,
    organisation_id: 1,
    agency_id: 3,
    locale: 'id',
  }
  return mount(ProposalsView, { global: { plugins: [pinia, i18n], stubs: { RouterLink: RouterLinkStub } } })
}

describe('ProposalsView', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('id')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('groups proposals by competition, open competition first, with the deadline in its zone', async () => {
    fakeServer({
      'GET /api/v1/competitions': () => json({ items: [CLOSED, OPEN, OLD_EMPTY], total: 3 }),
      'GET /api/v1/competitions/1/innovations': () => json({ items: [item(3, 'Gersipah', 'eligible', 1)], total: 1 }),
      'GET /api/v1/competitions/2/innovations': () => json({ items: [item(9, 'Bank Sampah', 'draft', 2)], total: 1 }),
      'GET /api/v1/competitions/3/innovations': () => json({ items: [], total: 0 }),
    })
    const wrapper = mountList()
    await flushPromises()
    const sections = wrapper.findAll('section')
    expect(sections.map((s) => s.find('h2').text())).toEqual([OPEN.name, CLOSED.name]) // 2019: nothing to show
    expect(sections[0]!.text()).toContain('Batas pengajuan: 21 Des 2026, 00.00 WITA')
    expect(sections[0]!.text()).toContain('Proposal baru')
    expect(sections[0]!.find('.badge').text()).toBe('Draf')
    expect(sections[1]!.text()).toContain('Pengajuan proposal sudah ditutup.')
    expect(sections[1]!.text()).not.toContain('Proposal baru')
    expect(sections[1]!.find('.badge').text()).toBe('Lolos administrasi')
    const links = wrapper.findAllComponents(RouterLinkStub).map((l) => l.props('to'))
    expect(links).toContainEqual({ name: 'innovator-new', params: { competitionId: 2 } })
    expect(links).toContainEqual({ name: 'innovator-proposal', params: { id: 9 } })
  })

  it('tells an agency admin the list is their agency', async () => {
    fakeServer({
      'GET /api/v1/competitions': () => json({ items: [OPEN], total: 1 }),
      'GET /api/v1/competitions/2/innovations': () => json({ items: [], total: 0 }),
    })
    const wrapper = mountList('agency_admin')
    await flushPromises()
    expect(wrapper.text()).toContain('Semua proposal inovasi perangkat daerah Anda.')
    expect(wrapper.text()).toContain('Belum ada proposal pada kompetisi ini.')
  })

  it('shows an error with a way to try again', async () => {
    fakeServer({ 'GET /api/v1/competitions': () => problem(503, 'Layanan tidak tersedia') })
    const wrapper = mountList()
    await flushPromises()
    expect(wrapper.find('[role="alert"]').exists()).toBe(true)
    expect(wrapper.find('button').text()).toBe('Coba lagi')
  })
})
