import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { ADMIN_ME, PANEL, competitionAt, listItem, signedIn } from './adminFixtures'
import ScoresheetsView from './ScoresheetsView.vue'

const RUBRIC = {
  locked: true,
  total: 2,
  items: [
    { key: 'presentasi', name: 'Penguasaan materi', description: '', weight: 40, min_score: 1, max_score: 10 },
    { key: 'kebaruan', name: 'Kebaruan', description: '', weight: 60, min_score: 1, max_score: 10 },
  ],
}

function sheet(judgeId: number, name: string, status: 'draft' | 'final', scores: Record<string, number>) {
  return {
    id: judgeId,
    competition_id: 1,
    innovation_id: 2,
    judge_id: judgeId,
    judge_name: name,
    status,
    scores,
    comment: status === 'final' ? 'Sangat bermanfaat bagi warga.' : '',
    weighted_total: status === 'final' ? 62.5 : null,
    submitted_at: status === 'final' ? '2021-11-25T16:00:00Z' : null,
    updated_at: '2021-11-25T16:00:00Z',
    version: 1,
  }
}

function server(stage: string) {
  const reopened: unknown[] = []
  let juri2Status: 'final' | 'draft' = 'final'
  fakeServer({
    'GET /api/v1/me': () => json(ADMIN_ME),
    'GET /api/v1/competitions/1': () => json(competitionAt(stage)),
    'GET /api/v1/competitions/1/innovations': () =>
      json({
        items: [listItem(3, 'ineligible'), listItem(2, 'eligible', 'Go Pasar Indah'), listItem(4, 'draft')],
        total: 3,
      }),
    'GET /api/v1/competitions/1/criteria': () => json(RUBRIC),
    'GET /api/v1/competitions/1/judges': () => json(PANEL),
    'GET /api/v1/competitions/1/conflicts': () =>
      json({
        items: [
          {
            id: null,
            competition_id: 1,
            innovation_id: 2,
            innovation_title: 'Go Pasar Indah',
            agency_code: 'OPD1',
            judge_id: 10,
            judge_name: 'Juri Satu',
            source: 'agency',
            reason: 'own agency',
            created_at: null,
          },
        ],
        total: 1,
      }),
    'GET /api/v1/innovations/2/scores': () =>
      json({ items: [sheet(11, 'Juri Dua', juri2Status, { kebaruan: 7, presentasi: 5 })], total: 1 }),
    'POST /api/v1/innovations/2/scores/11/reopen': async (request) => {
      reopened.push(await request.json())
      if (stage !== 'presentation') {
        return problem(409, 'Langkah ini tidak diizinkan sekarang', {
          detail:
            'Scoresheets can be reopened only during the presentation stage; the competition is in the nomination stage.',
        })
      }
      juri2Status = 'draft'
      return json(sheet(11, 'Juri Dua', 'draft', { kebaruan: 7, presentasi: 5 }))
    },
  })
  return { reopened }
}

async function mountAt(path: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  signedIn()
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(ScoresheetsView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const button = (wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper'], text: string) =>
  wrapper.findAll('button').find((b) => b.text() === text)

describe('ScoresheetsView', () => {
  beforeEach(() => {
    setLocale('id')
    localStorage.clear()
    document.body.innerHTML = ''
  })

  it('offers only judged innovations and places every panel judge', async () => {
    server('presentation')
    const { wrapper, router } = await mountAt('/admin/competitions/1/scores')
    expect(wrapper.findAll('select option').map((o) => o.text())).toEqual(['Pilih inovasi', 'Go Pasar Indah (OPD2)'])
    expect(wrapper.text()).toContain('Pilih inovasi untuk melihat lembar nilai para juri.')

    await wrapper.find('select').setValue('2')
    await flushPromises()
    expect(router.currentRoute.value.query.i).toBe('2')
    await flushPromises()
    expect(document.activeElement?.id).toBe('sheets-title')
    expect(wrapper.text()).toContain('1 dari 2 juri sudah final · 1 belum mulai · 1 berkonflik')
    const cards = wrapper.findAll('li.sheet')
    expect(cards.map((c) => c.find('h3').text())).toEqual(['Juri Dua OPD9', 'Juri Tiga OPD8', 'Juri Satu OPD1'])
    // Criteria by weight, each score against the scale; the total and the comment.
    expect(cards[0]!.findAll('tbody tr').map((r) => r.text())).toEqual([
      'Kebaruan (60%)7/10',
      'Penguasaan materi (40%)5/10',
    ])
    expect(cards[0]!.text()).toContain('62,5')
    expect(cards[0]!.text()).toContain('Sangat bermanfaat bagi warga.')
    expect(cards[2]!.text()).toContain('Inovasi dari perangkat daerah juri sendiri (OPD1).')
  })

  it('reopens a final scoresheet with a reason during the presentation stage', async () => {
    const { reopened } = server('presentation')
    const { wrapper } = await mountAt('/admin/competitions/1/scores?i=2')
    await button(wrapper, 'Buka kembali')!.trigger('click')
    await flushPromises()
    expect(document.activeElement?.tagName).toBe('TEXTAREA')
    await wrapper.find('form.reopen').trigger('submit')
    expect(wrapper.text()).toContain('Tuliskan alasannya.')
    expect(reopened).toEqual([])

    await wrapper.find('form.reopen textarea').setValue('Juri salah memasukkan nilai kebaruan.')
    await wrapper.find('form.reopen').trigger('submit')
    await flushPromises()
    expect(reopened).toEqual([{ reason: 'Juri salah memasukkan nilai kebaruan.' }])
    expect(wrapper.text()).toContain('Lembar nilai Juri Dua dibuka kembali menjadi draf.')
    expect(wrapper.find('li.sheet .badge').text()).toBe('Draf')
    expect(button(wrapper, 'Buka kembali')).toBeUndefined()
  })

  it("shows the server's refusal outside the presentation stage", async () => {
    server('nomination')
    const { wrapper } = await mountAt('/admin/competitions/1/scores?i=2')
    expect(wrapper.text()).toContain(
      'hanya dapat dibuka kembali pada tahap presentasi dan penilaian; sekarang tahap Penetapan nominasi',
    )
    await button(wrapper, 'Buka kembali')!.trigger('click')
    await wrapper.find('form.reopen textarea').setValue('Salah input.')
    await wrapper.find('form.reopen').trigger('submit')
    await flushPromises()
    const alert = wrapper.find('form.reopen [role="alert"]')
    expect(alert.text()).toContain('Langkah ini tidak diizinkan sekarang')
    expect(alert.text()).toContain('only during the presentation stage')
    expect(wrapper.find('li.sheet .badge').text()).toBe('Final')
  })
})
