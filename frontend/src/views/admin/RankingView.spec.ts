import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import type { Ranking, RankingEntry } from '@/api'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json } from '@/test/fakeServer'

import { ADMIN_ME, competitionAt, signedIn } from './adminFixtures'
import RankingView from './RankingView.vue'

function entry(
  rank: number,
  title: string,
  p_top: number,
  moves: RankingEntry['calibration_moves'] = [],
): RankingEntry {
  return {
    rank,
    innovation_id: rank,
    title,
    agency_code: `OPD${rank}`,
    score: 90 - rank * 5,
    raw_score: 91 - rank * 5,
    calibrated_score: 1 - rank * 0.3,
    adjusted_score: 89.5 - rank * 5,
    judge_count: 3,
    criteria: {},
    judge_totals: [80, 85, 90],
    tie: false,
    in_top: rank <= 2,
    p_top,
    calibration_moves: moves,
  }
}

function ranking(method: Ranking['method'], explanation: string): Ranking {
  return {
    method,
    top_n: 2,
    min_judges: 1,
    tie_at_cutoff: false,
    seed: 1,
    bootstrap_samples: 1000,
    explanation,
    agreement: { kendalls_w: 0.72, kendalls_w_innovations: 3, krippendorffs_alpha: 0.41 },
    uncertainty: { draws: 1000, p_exact_top: 0.87, expected_top_overlap: 1.87 },
    judges: [
      {
        judge_id: 10,
        full_name: 'Juri Satu',
        scored: 3,
        mean_total: 70,
        sd_total: 8,
        offset: -5,
        centre: -5.2,
        spread: 0.8,
        noise: 3.1,
      },
      {
        judge_id: 11,
        full_name: 'Juri Dua',
        scored: 3,
        mean_total: 75,
        sd_total: 8,
        offset: 1,
        centre: 1.1,
        spread: 1.02,
        noise: 2.9,
      },
    ],
    entries: [
      entry(1, 'Kampung Berdaya', 1),
      entry(2, 'Sikamase', 0.87, [
        { judge_id: 10, full_name: 'Juri Satu', points: 2.14 },
        { judge_id: 11, full_name: 'Juri Dua', points: -0.42 },
      ]),
      entry(3, 'Sim B', 0.13),
    ],
    unranked: [],
  }
}

function server() {
  const asked: { method: string | null; language: string | null }[] = []
  fakeServer({
    'GET /api/v1/me': () => json(ADMIN_ME),
    'GET /api/v1/competitions/1': () => json(competitionAt('nomination')),
    'GET /api/v1/competitions/1/ranking': (request) => {
      const method = new URL(request.url).searchParams.get('method')
      const language = request.headers.get('Accept-Language')
      asked.push({ method, language })
      const english = language?.startsWith('en') ?? false
      return json(
        ranking(
          (method as Ranking['method'] | null) ?? 'judge_effects',
          english ? 'In English.' : 'Dalam bahasa Indonesia.',
        ),
      )
    },
  })
  return asked
}

async function mountAt(path: string) {
  setActivePinia(createPinia())
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(RankingView, {
    // The charts draw on a canvas, which happy-dom has not: their numbers are in the tables.
    global: { plugins: [router, i18n], stubs: { BarChart: true, StripPlot: true } },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

const headers = (wrapper: Awaited<ReturnType<typeof mountAt>>['wrapper']) =>
  wrapper.findAll('table.ranking thead th').map((th) => th.text())

describe('RankingView', () => {
  beforeEach(() => {
    localStorage.clear()
    signedIn()
    setLocale('id')
  })

  it('explains the method, names each score column for what it is, and never repeats the score', async () => {
    server()
    const { wrapper, router } = await mountAt('/admin/competitions/1/ranking')
    expect(wrapper.find('.explanation p').text()).toBe('Dalam bahasa Indonesia.')
    expect(headers(wrapper)).toEqual([
      'Peringkat',
      'Inovasi',
      'Skor (efek juri)',
      'Peluang TOP 2',
      'Rata-rata mentah',
      'Juri',
    ])

    await router.replace({ query: { method: 'mean' } })
    await flushPromises()
    expect(headers(wrapper)).toEqual([
      'Peringkat',
      'Inovasi',
      'Skor (rata-rata)',
      'Peluang TOP 2',
      'Skor terkalibrasi (efek juri)',
      'Juri',
    ])
  })

  it('says p(TOP N) in words and which judges’ calibration moved an innovation', async () => {
    server()
    const { wrapper } = await mountAt('/admin/competitions/1/ranking')
    const detail = wrapper.get('#ranking-detail-2')
    expect(detail.isVisible()).toBe(true) // open: calibration moved it
    expect(detail.text()).toContain('Dalam 870 dari 1.000 undian ulang skor panel, inovasi ini masuk TOP 2.')
    expect(detail.text()).toContain('+2,1 poin dari Juri Satu (ketat, rentang sempit)')
    expect(detail.text()).toContain('−0,4 poin dari Juri Dua')
    expect(wrapper.get('#ranking-detail-3').isVisible()).toBe(false)
    expect(wrapper.findAll('td.p-top')[2]!.attributes('title')).toBe(
      'Dalam 130 dari 1.000 undian ulang skor panel, inovasi ini masuk TOP 2.',
    )

    const toggle = wrapper.get('button[aria-controls="ranking-detail-3"]')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    expect(wrapper.get('#ranking-detail-3').isVisible()).toBe(true)
  })

  it('words agreement and certainty, and shows each judge’s centre and spread', async () => {
    server()
    const { wrapper } = await mountAt('/admin/competitions/1/ranking')
    const text = wrapper.text()
    expect(text).toContain('Kendall W = 0,72 atas 3 inovasi yang dinilai semua juri — kesepakatan kuat')
    expect(text).toContain('α Krippendorff = 0,41 — kesepakatan lemah')
    expect(text).toContain('Dalam 870 dari 1.000 undian ulang skor panel, TOP 2 persis sama dengan daftar ini.')
    const firstJudge = wrapper.findAll('.judges-table tbody tr')[0]!
    expect(firstJudge.text()).toContain('ketat, rentang sempit')
    expect(firstJudge.findAll('td').map((td) => td.text())).toEqual(['−5,2', '×0,80', '3,1', '3', '70,0'])
  })

  it('asks again in English when the language changes (the explanation comes from the server)', async () => {
    const asked = server()
    const { wrapper } = await mountAt('/admin/competitions/1/ranking')
    setLocale('en')
    await flushPromises()
    expect(asked.at(-1)?.language).toMatch(/^en/)
    expect(wrapper.find('.explanation p').text()).toBe('In English.')
    expect(headers(wrapper)).toContain('Raw mean')
  })
})
