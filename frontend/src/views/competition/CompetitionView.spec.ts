import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import CompetitionView from './CompetitionView.vue'

const stages = ['submission', 'administrative', 'presentation', 'nomination', 'announcement'].map((key, i) => ({
  key,
  name: key,
  position: i + 1,
  state: i < 4 ? 'past' : 'current',
  open: i === 4,
  starts_at: '2021-10-11T00:00:00+08:00',
  ends_at: '2021-10-20T00:00:00+08:00',
}))
const COMPETITION = {
  id: 1,
  name: 'KIPP Kabupaten Luwu Utara 2021',
  year: 2021,
  level: 'kabupaten',
  region: 'Kabupaten Luwu Utara',
  description: 'Demo',
  timezone: 'Asia/Makassar',
  top_n: 2,
  current_stage: 'announcement',
  stages,
}
const INNOVATIONS = {
  items: [
    {
      id: 17,
      title: 'Kampung Berdaya',
      agency_id: 10,
      agency_code: 'DPMD',
      agency_name: 'Dinas PMD',
      group: 'umum',
      category: '',
    },
    {
      id: 7,
      title: 'Sister Rina',
      agency_id: 5,
      agency_code: 'DISTAN',
      agency_name: 'Dinas Pertanian',
      group: 'replikasi',
      category: '',
    },
  ],
  total: 2,
}
const RESULTS = {
  competition_id: 1,
  final: false,
  announced_at: '2021-11-01T02:00:00Z',
  finalised_at: null,
  objection_period: { starts_at: '2021-11-01T02:00:00Z', ends_at: '2021-11-06T02:00:00Z', open: true },
  top: [
    { rank: 1, innovation_id: 17, title: 'Kampung Berdaya', agency_code: 'DPMD' },
    { rank: 2, innovation_id: 7, title: 'Sister Rina', agency_code: 'DISTAN' },
  ],
  honourable_mentions: [],
}

async function mountView() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  await router.push('/competitions/1')
  const wrapper = mount(CompetitionView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('CompetitionView', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('id')
    document.body.innerHTML = ''
  })

  it('shows the timeline and the eligible innovations, and no results before the announcement', async () => {
    const requests: string[] = []
    fakeServer({
      'GET /api/v1/competitions/1': () => json({ ...COMPETITION, current_stage: 'nomination' }),
      'GET /api/v1/competitions/1/innovations': (request) => {
        requests.push(new URL(request.url).search)
        return json(INNOVATIONS)
      },
      'GET /api/v1/competitions/1/results': () => {
        requests.push('results') // not asked before the announcement: no 404 in the console
        return problem(404, 'Tidak ditemukan')
      },
    })
    const wrapper = await mountView()
    expect(wrapper.find('h1').text()).toBe('KIPP Kabupaten Luwu Utara 2021')
    expect(wrapper.findAll('ol.timeline li')).toHaveLength(5)
    expect(wrapper.text()).toContain('Tahap saat ini: Penetapan nominasi')
    expect(wrapper.findAll('.innovation-list li').map((li) => li.find('h3').text())).toEqual([
      'Kampung Berdaya',
      'Sister Rina',
    ])
    expect(wrapper.text()).toContain('Replikasi')
    expect(requests).toEqual(['?public=true&limit=500'])
    expect(wrapper.find('#results-title').exists()).toBe(false)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false) // a 404 there is the normal case
    expect(wrapper.find('#objection-title').exists()).toBe(false)
  })

  it('explains an empty list before the presentation stage', async () => {
    fakeServer({
      'GET /api/v1/competitions/1': () => json({ ...COMPETITION, current_stage: 'submission' }),
      'GET /api/v1/competitions/1/innovations': () => json({ items: [], total: 0 }),
      'GET /api/v1/competitions/1/results': () => problem(404),
    })
    const wrapper = await mountView()
    expect(wrapper.text()).toContain('diumumkan saat tahap presentasi dimulai')
  })

  it('shows the announced TOP N and files an objection while the period is open', async () => {
    const posted: unknown[] = []
    fakeServer({
      'GET /api/v1/competitions/1': () => json(COMPETITION),
      'GET /api/v1/competitions/1/innovations': () => json(INNOVATIONS),
      'GET /api/v1/competitions/1/results': () => json(RESULTS),
      'POST /api/v1/competitions/1/objections': async (request) => {
        const body = (await request.json()) as { text: string }
        posted.push(body)
        if (body.text.length < 20)
          return problem(422, 'Permintaan tidak valid', {
            errors: [{ field: 'text', message: 'at least 20 characters' }],
          })
        return json({ id: 42, innovation_id: 7, name: 'Warga', created_at: '2021-11-02T00:00:00Z' }, 201)
      },
    })
    const wrapper = await mountView()
    const top = wrapper.findAll('ol.results li')
    expect(top.map((li) => li.text())).toEqual([
      expect.stringContaining('Kampung Berdaya'),
      expect.stringContaining('Sister Rina'),
    ])
    expect(wrapper.text()).toContain('Sementara, dalam masa sanggah')
    expect(wrapper.find('#objection-innovation').findAll('option')).toHaveLength(3)

    await wrapper.find('#objection-innovation').setValue('7')
    await wrapper.find('#objection-name').setValue('Warga')
    await wrapper.find('#objection-email').setValue('warga@example.id')
    await wrapper.find('#objection-text').setValue('terlalu pendek')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('form [role="alert"]').text()).toContain('at least 20 characters')

    await wrapper
      .find('#objection-text')
      .setValue('Inovasi ini sudah berjalan sebelum tahun yang disebutkan dalam proposal.')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(posted.at(-1)).toEqual({
      innovation_id: 7,
      name: 'Warga',
      email: 'warga@example.id',
      text: 'Inovasi ini sudah berjalan sebelum tahun yang disebutkan dalam proposal.',
    })
    expect(wrapper.find('[role="status"]').text()).toContain('Nomor tanda terima: 42')
  })

  it('hides the objection form once the result is final', async () => {
    fakeServer({
      'GET /api/v1/competitions/1': () => json(COMPETITION),
      'GET /api/v1/competitions/1/innovations': () => json(INNOVATIONS),
      'GET /api/v1/competitions/1/results': () =>
        json({ ...RESULTS, final: true, objection_period: { ...RESULTS.objection_period, open: false } }),
    })
    const wrapper = await mountView()
    expect(wrapper.text()).toContain('Final')
    expect(wrapper.find('#objection-title').exists()).toBe(false)
  })

  it('opens the public summary of a listed innovation in place', async () => {
    const asked: string[] = []
    fakeServer({
      'GET /api/v1/competitions/1': () => json({ ...COMPETITION, current_stage: 'presentation' }),
      'GET /api/v1/competitions/1/innovations': () => json(INNOVATIONS),
      'GET /api/v1/competitions/1/innovations/17/summary': (request) => {
        asked.push(new URL(request.url).pathname)
        return json({
          ...INNOVATIONS.items[0],
          competition_id: 1,
          sections: [{ key: 'ringkasan', title: 'Ringkasan', text: 'Desa mandiri data.' }],
        })
      },
    })
    const wrapper = await mountView()
    const item = wrapper.findAll('.innovation-list li')[0]!
    const button = item.find('button')
    expect(button.text()).toBe('Baca ringkasan publik')
    expect(button.attributes('aria-expanded')).toBe('false')
    await button.trigger('click')
    await flushPromises()
    expect(button.attributes('aria-expanded')).toBe('true')
    expect(item.find('.public-summary h4').text()).toBe('Ringkasan')
    expect(item.find('.public-summary').text()).toContain('Desa mandiri data.')
    await button.trigger('click') // closing and opening again asks only once
    await button.trigger('click')
    await flushPromises()
    expect(asked).toEqual(['/api/v1/competitions/1/innovations/17/summary'])
  })
})
