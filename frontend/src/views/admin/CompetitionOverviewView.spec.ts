import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { writeTokens } from '@/api/tokens'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { competitionAt } from './adminFixtures'
import CompetitionOverviewView from './CompetitionOverviewView.vue'

const competition = (current: string) => competitionAt(current)

const innovation = (id: number, status: string) => ({
  id,
  title: `Inovasi ${id}`,
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
})

const SCORING_BLOCKER = {
  code: 'scoresheets_missing',
  message: '1 assignment has no final scoresheet',
  count: 1,
  ids: [2],
  forceable: true,
}

function server() {
  let current = 'presentation'
  const advances: unknown[] = []
  const fetch = fakeServer({
    'GET /api/v1/me': () =>
      json({ id: 1, email: 'admin@demo.kipp.id', full_name: 'Admin', role: 'admin', agency_id: null }),
    'GET /api/v1/competitions/1': () => json(competition(current)),
    'GET /api/v1/competitions/1/innovations': () =>
      json({ items: [innovation(1, 'eligible'), innovation(2, 'eligible'), innovation(3, 'ineligible')], total: 3 }),
    'GET /api/v1/competitions/1/judging-progress': () =>
      json({
        judges: [
          { judge_id: 10, full_name: 'Juri Satu', agency_code: 'OPD1', final: 1, draft: 0, to_do: 0, total: 1 },
          { judge_id: 11, full_name: 'Juri Dua', agency_code: null, final: 1, draft: 1, to_do: 0, total: 2 },
        ],
        progress: { final: 2, draft: 1, to_do: 0, total: 3 },
      }),
    'GET /api/v1/competitions/1/advance': () =>
      json({
        current_stage: current,
        next_stage: 'nomination',
        can_advance: current !== 'presentation',
        blockers: current === 'presentation' ? [SCORING_BLOCKER] : [],
      }),
    'POST /api/v1/competitions/1/advance': async (request) => {
      const body = (await request.json()) as { force: boolean; reason: string | null }
      advances.push(body)
      if (!body.force) return problem(409, 'Langkah ini tidak diizinkan sekarang', { blockers: [SCORING_BLOCKER] })
      current = 'nomination'
      return json(competition(current))
    },
  })
  return { fetch, advances }
}

async function mountAt(path: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  writeTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(CompetitionOverviewView, {
    global: { plugins: [pinia, router, i18n] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

describe('CompetitionOverviewView', () => {
  beforeEach(() => {
    setLocale('id')
    localStorage.clear()
    document.body.innerHTML = ''
  })

  it('counts proposals per status and each judge’s progress without their conflicts', async () => {
    server()
    const wrapper = await mountAt('/admin/competitions/1')
    const counts = Object.fromEntries(wrapper.findAll('.count').map((c) => [c.find('dt').text(), c.find('dd').text()]))
    expect(counts['Lolos administrasi']).toBe('2')
    expect(counts['Tidak lolos']).toBe('1')
    const judges = wrapper.findAll('.judge')
    expect(judges[0]!.text()).toContain('1 dari 1 final') // the server leaves out Juri Satu's own agency
    expect(judges[0]!.text()).not.toContain('draf')
    expect(judges[1]!.text()).toContain('1 dari 2 final · 1 draf')
    expect(judges[1]!.find('[role="img"]').attributes('aria-label')).toBe(
      'Kemajuan Juri Dua: 1 final, 1 draf, 0 belum dinilai',
    )
    expect(judges[1]!.find('.bar .final').attributes('style')).toContain('width: 50%')
    expect(judges[1]!.find('.bar .draft').attributes('style')).toContain('width: 50%')
    expect(wrapper.text()).toContain('Seluruh Tim Penilai: 2 dari 3 lembar nilai final')
  })

  it('says when there is no panel, and when nothing is to be scored yet', async () => {
    const fetch = server().fetch
    const routes: Record<string, unknown> = {
      judges: [],
      progress: { final: 0, draft: 0, to_do: 0, total: 0 },
    }
    fetch.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init)
      const { pathname } = new URL(request.url)
      if (pathname === '/api/v1/competitions/1/judging-progress') return json(routes)
      if (pathname === '/api/v1/me')
        return json({ id: 1, email: 'a@x.id', full_name: 'Admin', role: 'admin', agency_id: null })
      if (pathname === '/api/v1/competitions/1') return json(competition('submission'))
      if (pathname === '/api/v1/competitions/1/innovations') return json({ items: [], total: 0 })
      if (pathname === '/api/v1/competitions/1/advance')
        return json({ current_stage: 'submission', next_stage: 'administrative', can_advance: true, blockers: [] })
      return problem(404)
    })
    let wrapper = await mountAt('/admin/competitions/1')
    expect(wrapper.text()).toContain('Tim Penilai belum ditetapkan.')
    expect(wrapper.text()).toContain('Belum ada proposal.')
    wrapper.unmount()

    routes.judges = [
      { judge_id: 10, full_name: 'Juri Satu', agency_code: 'OPD1', final: 0, draft: 0, to_do: 0, total: 0 },
    ]
    wrapper = await mountAt('/admin/competitions/1')
    expect(wrapper.text()).toContain('Belum ada inovasi yang perlu dinilai')
    expect(wrapper.find('.judge').text()).toContain('Tidak ada yang perlu dinilai')
    expect(wrapper.find('.bar').exists()).toBe(false)
    wrapper.unmount()
  })

  it('keeps the judges’ progress on screen when the proposals fail to load', async () => {
    const fetch = server().fetch
    const original = fetch.getMockImplementation()!
    fetch.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init)
      if (new URL(request.url).pathname === '/api/v1/competitions/1/innovations')
        return problem(500, 'Kesalahan server')
      return original(input, init)
    })
    const wrapper = await mountAt('/admin/competitions/1')
    expect(wrapper.text()).toContain('Server sedang bermasalah')
    expect(wrapper.findAll('.judge')).toHaveLength(2)
  })

  it('shows what blocks the next stage and forces past it only with a reason', async () => {
    const { advances } = server()
    const wrapper = await mountAt('/admin/competitions/1')
    expect(wrapper.text()).toContain('1 penugasan belum memiliki lembar nilai final.')
    const advance = wrapper.findAll('button').find((b) => b.text() === 'Lanjut ke Penetapan nominasi')!
    expect(advance.attributes('disabled')).toBeDefined()

    await wrapper.find('#advance-force').setValue(true)
    expect(wrapper.text()).toContain('Tuliskan alasan untuk melewati hambatan.')
    expect(advance.attributes('disabled')).toBeDefined()

    await wrapper.find('#advance-reason').setValue('Juri Dua sakit; disepakati rapat pleno.')
    expect(advance.attributes('disabled')).toBeUndefined()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const dialog = wrapper.find('dialog')
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Ya, lanjutkan')!
      .trigger('click')
    await flushPromises()
    expect(advances).toEqual([{ reason: 'Juri Dua sakit; disepakati rapat pleno.', force: true, ends_at: null }])
    expect(wrapper.text()).toContain('Kompetisi kini di tahap Penetapan nominasi.')
  })
})
