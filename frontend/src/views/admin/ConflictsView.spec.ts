import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { ADMIN_ME, PANEL, competitionAt, listItem, signedIn } from './adminFixtures'
import ConflictsView from './ConflictsView.vue'

const conflict = (
  judgeId: number,
  judgeName: string,
  innovationId: number,
  source: string,
  reason: string,
  createdAt: string | null = null,
) => ({
  id: source === 'agency' ? null : judgeId * 100 + innovationId,
  competition_id: 1,
  innovation_id: innovationId,
  innovation_title: `Inovasi ${innovationId}`,
  agency_code: `OPD${innovationId}`,
  judge_id: judgeId,
  judge_name: judgeName,
  source,
  reason,
  created_at: createdAt,
})

function server() {
  const queries: string[] = []
  const posted: unknown[] = []
  let list = [
    conflict(10, 'Juri Satu', 1, 'agency', 'own agency'),
    conflict(11, 'Juri Dua', 2, 'declared', 'Saya pembina tim inovasi ini.', '2021-11-20T02:00:00Z'),
  ]
  fakeServer({
    'GET /api/v1/me': () => json(ADMIN_ME),
    'GET /api/v1/competitions/1': () => json(competitionAt('presentation')),
    'GET /api/v1/competitions/1/judges': () => json(PANEL),
    'GET /api/v1/competitions/1/innovations': () =>
      json({ items: [listItem(1, 'eligible'), listItem(2, 'eligible'), listItem(5, 'draft')], total: 3 }),
    'GET /api/v1/competitions/1/conflicts': (request) => {
      const judge = new URL(request.url).searchParams.get('judge_id')
      queries.push(judge ?? '')
      const items = judge ? list.filter((c) => c.judge_id === Number(judge)) : list
      return json({ items, total: items.length })
    },
    'POST /api/v1/competitions/1/conflicts': async (request) => {
      const body = (await request.json()) as { innovation_id: number; judge_id: number; reason: string }
      posted.push(body)
      if (body.innovation_id === 1 && body.judge_id === 10) {
        return problem(409, 'Bertentangan dengan keadaan saat ini', {
          detail: "This innovation comes from the judge's own agency: the conflict is already automatic.",
        })
      }
      const made = conflict(
        body.judge_id,
        'Juri Tiga',
        body.innovation_id,
        'admin',
        body.reason,
        '2021-11-22T03:00:00Z',
      )
      list = [...list, made]
      return json(made, 201)
    },
  })
  return { queries, posted }
}

async function mountView() {
  const pinia = createPinia()
  setActivePinia(pinia)
  signedIn()
  const router = createAppRouter(createMemoryHistory())
  await router.push('/admin/competitions/1/conflicts')
  const wrapper = mount(ConflictsView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('ConflictsView', () => {
  beforeEach(() => {
    setLocale('id')
    localStorage.clear()
    document.body.innerHTML = ''
  })

  it('lists every conflict with its source and reason, in the UI language', async () => {
    server()
    const wrapper = await mountView()
    const items = wrapper.findAll('li.conflict')
    expect(items).toHaveLength(2)
    expect(items[0]!.text()).toContain('Juri Dua')
    expect(items[0]!.text()).toContain('Dinyatakan juri')
    expect(items[0]!.text()).toContain('Saya pembina tim inovasi ini.')
    expect(items[0]!.text()).toContain('Dicatat 20 Nov 2021')
    expect(items[1]!.text()).toContain('Otomatis: OPD sendiri')
    expect(items[1]!.text()).toContain('Inovasi dari perangkat daerah juri sendiri (OPD1).')
    setLocale('en')
    await flushPromises()
    expect(wrapper.findAll('li.conflict')[1]!.text()).toContain("An innovation of the judge's own agency (OPD1).")
  })

  it('filters by judge on the server and by source here', async () => {
    const { queries } = server()
    const wrapper = await mountView()
    const [judgeSelect, sourceSelect] = wrapper.findAll('.filters select')
    await judgeSelect!.setValue('11')
    await flushPromises()
    expect(queries).toEqual(['', '11'])
    expect(wrapper.findAll('li.conflict')).toHaveLength(1)
    await judgeSelect!.setValue('')
    await flushPromises()
    await sourceSelect!.setValue('admin')
    expect(wrapper.text()).toContain('Tidak ada konflik yang cocok dengan saringan.')
  })

  it('records one: fields checked first, the server refusal shown, then saved and listed', async () => {
    const { posted } = server()
    const wrapper = await mountView()
    const form = wrapper.find('.record form')
    await form.trigger('submit')
    expect(form.text()).toContain('Pilih inovasinya.')
    expect(form.text()).toContain('Pilih jurinya.')
    expect(form.text()).toContain('Tuliskan alasannya.')
    expect(posted).toEqual([])
    // Only proposals past the draft can be chosen.
    expect(
      form
        .findAll('select')[0]!
        .findAll('option')
        .map((o) => o.text()),
    ).toEqual(['Pilih inovasi', 'Inovasi 1 (OPD1)', 'Inovasi 2 (OPD2)'])

    const [innovation, judge] = form.findAll('select')
    await innovation!.setValue('1')
    await judge!.setValue('10')
    await form.find('textarea').setValue('Satu perangkat daerah.')
    await form.trigger('submit')
    await flushPromises()
    expect(form.find('[role="alert"]').text()).toContain('already automatic')

    await innovation!.setValue('2')
    await judge!.setValue('12')
    await form.trigger('submit')
    await flushPromises()
    expect(posted).toHaveLength(2)
    expect(posted[1]).toEqual({ innovation_id: 2, judge_id: 12, reason: 'Satu perangkat daerah.' })
    expect(wrapper.text()).toContain('Konflik kepentingan Juri Tiga pada “Inovasi 2” dicatat.')
    expect(wrapper.findAll('li.conflict')).toHaveLength(3)
    expect((form.find('textarea').element as HTMLTextAreaElement).value).toBe('')
  })
})
