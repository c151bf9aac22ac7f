import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { ADMIN_ME, competitionAt, listItem, signedIn } from './adminFixtures'
import ScheduleView from './ScheduleView.vue'

function slot(id: number | null, innovationId: number | null, startsAt: string, minutes = 30) {
  const end = new Date(new Date(startsAt).getTime() + minutes * 60_000)
  const wall = new Date(end.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)
  return {
    id,
    innovation_id: innovationId,
    title: innovationId ? `Inovasi ${innovationId}` : null,
    agency_code: innovationId ? `OPD${innovationId}` : null,
    starts_at: startsAt,
    ends_at: `${wall}+08:00`,
    duration_minutes: minutes,
    place: 'Aula',
    online_url: null,
    note: '',
    sequence: 0,
    own: false,
  }
}

const EMPTY = {
  competition_id: 1,
  timezone: 'Asia/Makassar',
  version: 0,
  published: false,
  published_at: null,
  items: [],
  total: 0,
}

function server() {
  const put: {
    version: number
    published: boolean
    slots: { id: number | null; innovation_id: number | null; starts_at: string }[]
  }[] = []
  const fills: unknown[] = []
  let saved: Record<string, unknown> = EMPTY
  fakeServer({
    'GET /api/v1/me': () => json(ADMIN_ME),
    'GET /api/v1/competitions/1': () => json(competitionAt('presentation')),
    'GET /api/v1/competitions/1/innovations': () =>
      json({ items: [listItem(1, 'eligible'), listItem(2, 'eligible'), listItem(3, 'submitted')], total: 3 }),
    'GET /api/v1/competitions/1/schedule': () => json(saved),
    'POST /api/v1/competitions/1/schedule/fill': async (request) => {
      fills.push(await request.json())
      const items = [
        slot(null, 1, '2021-11-15T08:30:00+08:00'),
        slot(null, null, '2021-11-15T09:00:00+08:00', 15),
        slot(null, 2, '2021-11-15T09:15:00+08:00'),
      ]
      return json({ ...EMPTY, items, total: 3 })
    },
    'PUT /api/v1/competitions/1/schedule': async (request) => {
      const body = (await request.json()) as (typeof put)[number]
      put.push(body)
      if (body.slots.length === 1) {
        return problem(422, 'Permintaan tidak valid', {
          detail: 'Jadwal tidak dapat disimpan.',
          errors: [{ field: 'slots.0.starts_at', message: 'bertabrakan dengan slot nomor 1 di tempat yang sama' }],
        })
      }
      const items = body.slots.map((s, i) => ({ ...slot(10 + i, s.innovation_id, s.starts_at) }))
      saved = {
        ...EMPTY,
        version: 1,
        published: body.published,
        published_at: '2021-11-12T00:00:00+08:00',
        items,
        total: items.length,
      }
      return json(saved)
    },
  })
  return { put, fills }
}

async function mountView() {
  const pinia = createPinia()
  setActivePinia(pinia)
  signedIn()
  const router = createAppRouter(createMemoryHistory())
  await router.push('/admin/competitions/1/schedule')
  const wrapper = mount(ScheduleView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('ScheduleView', () => {
  beforeEach(() => {
    setLocale('id')
    localStorage.clear()
    document.body.innerHTML = ''
  })

  // The first mount loads the admin chunk through the router: slow on a busy machine.
  it('proposes a fill, lets the admin reorder it and saves it published', { timeout: 20_000 }, async () => {
    const { put, fills } = server()
    const wrapper = await mountView()
    expect(wrapper.text()).toContain('Belum ada slot')
    expect(wrapper.text()).toContain('Belum mendapat slot (2)') // the submitted one is not offered

    await wrapper.find('.fill form').trigger('submit')
    await flushPromises()
    expect(fills[0]).toMatchObject({ days: ['2021-12-01'], day_start: '08:30', duration_minutes: 30, order: 'title' })
    const rows = () => wrapper.findAll('li.slot').map((li) => li.find('.what').text())
    expect(rows()).toEqual(['Inovasi 1', 'Istirahat', 'Inovasi 2'])

    // Move the break below the second presentation: it takes the 09:00 start, the break follows.
    await wrapper.findAll('li.slot')[1]!.findAll('.moves button')[1]!.trigger('click')
    expect(rows()).toEqual(['Inovasi 1', 'Inovasi 2', 'Istirahat'])
    await wrapper.find('.save input[type="checkbox"]').setValue(true)
    await wrapper.find('form.save').trigger('submit')
    await flushPromises()

    expect(put[0]!.version).toBe(0)
    expect(put[0]!.published).toBe(true)
    expect(put[0]!.slots.map((s) => [s.innovation_id, s.starts_at])).toEqual([
      [1, '2021-11-15T08:30:00+08:00'],
      [2, '2021-11-15T09:00:00+08:00'],
      [null, '2021-11-15T09:30:00+08:00'],
    ])
    expect(wrapper.text()).toContain('Jadwal disimpan dan diterbitkan.')
    expect(wrapper.find('a[href="/api/v1/competitions/1/schedule.ics"]').exists()).toBe(true)
  })

  it('shows the server’s problem beside the slot it is about', async () => {
    server()
    const wrapper = await mountView()
    const add = wrapper.findAll('.add-row button')
    await add[0]!.trigger('click')
    await wrapper.find('form.save').trigger('submit')
    await flushPromises()
    expect(wrapper.find('li.slot .row-errors').text()).toContain('bertabrakan dengan slot nomor 1')
  })
})
