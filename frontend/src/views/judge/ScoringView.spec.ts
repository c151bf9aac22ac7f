import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { writeTokens } from '@/api/tokens'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { judgeNotice } from './notice'
import ScoringView from './ScoringView.vue'

const JUDGE = {
  id: 8,
  email: 'juri1@demo.kipp.id',
  full_name: 'Kepala Diskominfo SP',
  role: 'judge' as const,
  agency_id: 9,
  organisation_id: 1,
  locale: 'id' as const,
}
const INNOVATION = {
  id: 24,
  competition_id: 5,
  agency_id: 3,
  agency_code: 'DLH',
  title: 'Bank Sampah Digital',
  group: 'umum',
  category: 'Lingkungan hidup',
  summary: 'Warga menabung sampah terpilah dan menerima saldo e-wallet.',
  sections: { ringkasan: 'Sampah jadi saldo.', ide_inovatif: 'Aplikasi bank sampah.' },
  video_url: null,
  links: ['https://contoh.id/bank-sampah'],
  status: 'eligible',
  team: [{ id: 31, full_name: 'Rina Wulandari' }],
}
const ATTACHMENTS = {
  items: [
    { id: 71, innovation_id: 24, filename: 'sk-bupati.pdf', content_type: 'application/pdf', size: 2048 },
    { id: 72, innovation_id: 24, filename: 'foto.png', content_type: 'image/png', size: 4096 },
  ],
  total: 2,
}
const RUBRIC = {
  items: [
    {
      key: 'kebaruan',
      name: 'Kebaruan',
      description: '',
      low_means: 'Meniru praktik umum',
      high_means: 'Belum pernah ada',
      weight: 60,
      min_score: 1,
      max_score: 10,
    },
    { key: 'kemanfaatan', name: 'Kemanfaatan', description: '', weight: 40, min_score: 1, max_score: 5 },
  ],
  total: 2,
  locked: true,
}
function competition(open = true) {
  return {
    id: 5,
    name: 'KIPP Kabupaten Luwu Utara 2025',
    timezone: 'Asia/Makassar',
    proposal_template: {
      sections: [
        { key: 'ringkasan', title: 'Ringkasan', max_words: 200, required: true, public: true, groups: ['umum'] },
        { key: 'ide_inovatif', title: 'Ide Inovatif', max_words: 600, required: true, public: false, groups: ['umum'] },
        { key: 'inspirasi', title: 'Inspirasi', max_words: 100, required: true, public: false, groups: ['replikasi'] },
      ],
    },
    current_stage: 'presentation',
    stages: [
      {
        key: 'presentation',
        starts_at: '2025-01-01T00:00:00+08:00',
        ends_at: '2025-01-15T00:00:00+08:00',
        state: 'current',
        open,
      },
    ],
  }
}
const sheet = (extra: Record<string, unknown>) => ({
  id: 1,
  competition_id: 5,
  innovation_id: 24,
  judge_id: JUDGE.id,
  judge_name: JUDGE.full_name,
  status: 'draft',
  scores: {},
  comment: '',
  weighted_total: null,
  submitted_at: null,
  updated_at: '2025-01-02T00:00:00Z',
  version: 1,
  ...extra,
})

function server(options: { sheets?: unknown[]; open?: boolean } = {}) {
  const saved: unknown[] = []
  const calls: string[] = []
  let current = options.sheets ?? []
  fakeServer({
    'GET /api/v1/innovations/24': () => json(INNOVATION),
    'GET /api/v1/innovations/24/scores': () => json({ items: current, total: current.length }),
    'GET /api/v1/competitions/5/criteria': () => json(RUBRIC),
    'GET /api/v1/competitions/5': () => json(competition(options.open ?? true)),
    'GET /api/v1/innovations/24/attachments': () => json(ATTACHMENTS),
    'GET /api/v1/innovations/24/attachments/71': () =>
      new Response(new Blob(['%PDF-1.7'], { type: 'application/pdf' }), {
        headers: { 'Content-Type': 'application/pdf' },
      }),
    'PUT /api/v1/innovations/24/scores/me': async (request) => {
      const body = (await request.json()) as { scores: Record<string, number>; comment: string }
      saved.push(body)
      current = [sheet(body)]
      return json(current[0])
    },
    'POST /api/v1/innovations/24/scores/me/submit': () => {
      calls.push('submit')
      return json(sheet({ ...(saved.at(-1) as object), status: 'final', submitted_at: '2025-01-03T01:30:00Z' }))
    },
    'POST /api/v1/innovations/24/conflicts': async (request) => {
      calls.push(`conflict ${JSON.stringify(await request.json())}`)
      return json({}, 201)
    },
  })
  return { saved, calls }
}

async function mountScoring() {
  const pinia = createPinia()
  setActivePinia(pinia)
  writeTokens({ access_token: 'acc', token_type: 'bearer', expires_in: 900, refresh_token: 'ref' })
  useSessionStore().user = JUDGE
  const router = createAppRouter(createMemoryHistory())
  await router.push('/judge/innovations/24')
  const wrapper = mount(ScoringView, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const tap = async (wrapper: Awaited<ReturnType<typeof mountScoring>>['wrapper'], key: string, value: number) => {
  await wrapper.find(`#criterion-${key} input[value="${value}"]`).setValue(true)
}

describe('ScoringView', () => {
  beforeEach(() => {
    localStorage.clear()
    document.body.innerHTML = ''
    setLocale('id')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('shows the innovation, the rubric and a running weighted total', async () => {
    server()
    const { wrapper } = await mountScoring()
    expect(wrapper.find('h1').text()).toBe('Bank Sampah Digital')
    expect(wrapper.text()).toContain('Warga menabung sampah terpilah')
    expect(wrapper.findAll('fieldset')).toHaveLength(2)
    expect(wrapper.find('[data-testid="running-total"]').text()).toBe('0 / 100')
    await tap(wrapper, 'kebaruan', 10)
    expect(wrapper.find('[data-testid="running-total"]').text()).toBe('60 / 100')
    await tap(wrapper, 'kemanfaatan', 2)
    // 60·100 + 40·25 = 7000 / 100
    expect(wrapper.find('[data-testid="running-total"]').text()).toBe('70 / 100')
    expect(wrapper.text()).toContain('2 dari 2 kriteria dinilai')
  })

  it('autosaves the whole sheet after a pause and says so', async () => {
    const { saved } = server()
    const { wrapper } = await mountScoring()
    await tap(wrapper, 'kebaruan', 7)
    await wrapper.find('#score-comment').setValue('Dampak jelas')
    expect(wrapper.find('.autosave').text()).toBe('Ada perubahan yang belum tersimpan')
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(saved).toEqual([{ scores: { kebaruan: 7 }, comment: 'Dampak jelas' }])
    expect(wrapper.find('.autosave').text()).toBe('Tersimpan')
    expect(localStorage.getItem('kipp.scoresheet.8.24')).toBeNull()
  })

  it('reviews before submitting: missing criteria block it, then it becomes final and read-only', async () => {
    const { saved, calls } = server()
    const { wrapper } = await mountScoring()
    await tap(wrapper, 'kebaruan', 7)
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Tinjau dan kirim')!
      .trigger('click')
    const review = wrapper.find('section.review')
    expect(review.find('[role="alert"]').text()).toContain('Masih ada 1 kriteria')
    expect(review.text()).toContain('Belum dinilai')
    const send = () => wrapper.findAll('section.review button').find((b) => b.text() === 'Kirim nilai final')!
    expect(send().attributes('disabled')).toBeDefined()

    await review
      .findAll('button')
      .find((b) => b.text() === 'Nilai Kemanfaatan')!
      .trigger('click')
    await flushPromises()
    expect(wrapper.find('section.review').exists()).toBe(false)
    await tap(wrapper, 'kemanfaatan', 5)
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Tinjau dan kirim')!
      .trigger('click')
    expect(wrapper.find('section.review [role="alert"]').exists()).toBe(false)
    await send().trigger('click')
    await flushPromises()
    expect(saved.at(-1)).toEqual({ scores: { kebaruan: 7, kemanfaatan: 5 }, comment: '' })
    expect(calls).toEqual(['submit'])
    expect(wrapper.text()).toContain('Nilai final terkirim')
    expect(wrapper.text()).toContain('Lembar nilai ini final (dikirim 3 Jan 2025')
    expect(wrapper.findAll('input[type="radio"]').every((r) => (r.element as HTMLInputElement).disabled)).toBe(true)
    expect(wrapper.find('.conflict').exists()).toBe(false)
  })

  it('restores an unsynced draft kept on the device and sends it', async () => {
    localStorage.setItem(
      'kipp.scoresheet.8.24',
      JSON.stringify({ scores: { kebaruan: 4 }, comment: 'luring', at: Date.now() }),
    )
    const { saved } = server({ sheets: [sheet({ scores: { kebaruan: 9 } })] })
    const { wrapper } = await mountScoring()
    expect(wrapper.text()).toContain('dipulihkan dan sedang dikirim')
    expect((wrapper.find('#criterion-kebaruan input[value="4"]').element as HTMLInputElement).checked).toBe(true)
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(saved).toEqual([{ scores: { kebaruan: 4 }, comment: 'luring' }])
  })

  it('is read-only while the scoring window is closed', async () => {
    server({ open: false })
    const { wrapper } = await mountScoring()
    expect(wrapper.text()).toContain('Penilaian tahap presentasi sedang tidak dibuka')
    expect(wrapper.findAll('input[type="radio"]').every((r) => (r.element as HTMLInputElement).disabled)).toBe(true)
    expect(wrapper.find('#score-comment').attributes('readonly')).toBeDefined()
  })

  it('declares a conflict of interest with a reason and returns to the list', async () => {
    const { calls } = server()
    const { wrapper, router } = await mountScoring()
    await wrapper.find('.conflict button').trigger('click')
    const form = wrapper.find('form.conflict-form')
    await form.trigger('submit')
    expect(wrapper.find('#conflict-reason-error').text()).toBe('Tuliskan alasannya.')
    expect(calls).toEqual([])
    await wrapper.find('#conflict-reason').setValue('Adik saya anggota tim.')
    await wrapper.find('form.conflict-form').trigger('submit')
    await flushPromises()
    expect(calls).toEqual(['conflict {"reason":"Adik saya anggota tim."}'])
    expect(router.currentRoute.value.name).toBe('judge-home')
    expect(judgeNotice.value).toContain('Bank Sampah Digital')
  })

  it('shows a problem when the innovation cannot be loaded', async () => {
    fakeServer({ 'GET /api/v1/innovations/24': () => problem(404, 'Inovasi tidak ditemukan') })
    const { wrapper } = await mountScoring()
    expect(wrapper.find('[role="alert"]').text()).toContain('Inovasi tidak ditemukan')
    expect(wrapper.findAll('button').some((b) => b.text() === 'Coba lagi')).toBe(true)
  })

  it('reads the whole proposal in its own tab and keeps the draft across the switch', async () => {
    server()
    const { wrapper } = await mountScoring()
    expect(wrapper.text()).toContain('Umum') // the group's label, not its raw value
    await tap(wrapper, 'kebaruan', 8)
    await wrapper.find('#score-comment').setValue('Catatan sementara')
    const tabs = wrapper.findAll('[role="tab"]')
    expect(tabs.map((tab) => tab.text())).toEqual(['Proposal', 'Nilai'])
    await tabs[0]!.trigger('click')
    await flushPromises()
    await vi.dynamicImportSettled()
    await flushPromises()
    const reader = wrapper.find('#panel-proposal')
    expect(tabs[0]!.attributes('aria-selected')).toBe('true')
    expect(wrapper.find('#panel-score').isVisible()).toBe(false)
    // Every template section of the group under its title (not another group's), the team, links.
    const titles = reader.findAll('h3').map((h) => h.text())
    expect(titles.slice(0, 2)).toEqual(['Ringkasan', 'Ide Inovatif'])
    expect(titles).not.toContain('Inspirasi')
    expect(reader.text()).toContain('Aplikasi bank sampah.')
    expect(reader.text()).toContain('Rina Wulandari')
    expect(reader.find('a[href="https://contoh.id/bank-sampah"]').attributes('target')).toBe('_blank')
    expect(reader.text()).toContain('sk-bupati.pdf')
    // A PDF opens in a new tab, opened inside the tap and pointed at the fetched copy.
    const tab = { opener: {}, location: { href: '' }, close: vi.fn() }
    const opened = vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window)
    URL.createObjectURL = vi.fn(() => 'blob:pdf-copy')
    URL.revokeObjectURL = vi.fn()
    await reader.find('button[aria-label="Buka sk-bupati.pdf"]').trigger('click')
    expect(opened).toHaveBeenCalledWith('', '_blank')
    await flushPromises()
    expect(tab.location.href).toBe('blob:pdf-copy')
    expect(tab.opener).toBeNull()
    opened.mockRestore()
    // Back to the score: the draft is as it was.
    await tabs[1]!.trigger('click')
    expect(wrapper.find('#panel-score').isVisible()).toBe(true)
    expect((wrapper.find('#criterion-kebaruan input[value="8"]').element as HTMLInputElement).checked).toBe(true)
    expect((wrapper.find('#score-comment').element as HTMLTextAreaElement).value).toBe('Catatan sementara')
  })

  it('says what the ends of each scale mean and how the total is computed', async () => {
    server()
    const { wrapper } = await mountScoring()
    expect(wrapper.find('#criterion-kebaruan .ends').text()).toContain('Belum pernah ada')
    expect(wrapper.find('.how-total').text()).toContain('diubah ke 0–100, dikalikan bobotnya')
  })
})
