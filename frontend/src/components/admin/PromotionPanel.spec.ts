import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'

import { i18n, setLocale } from '@/i18n'
import { fakeServer, json, problem } from '@/test/fakeServer'
import '@/views/admin' // the admin area's messages
import { signedIn } from '@/views/admin/adminFixtures'

import PromotionPanel from './PromotionPanel.vue'

const candidate = (rank: number, promoted = false) => ({
  rank,
  innovation_id: 100 + rank,
  title: `Inovasi ${rank}`,
  agency_code: 'DPMD',
  score: 90 - rank * 3.25,
  promoted,
  target_competition_id: promoted ? 9 : null,
  target_innovation_id: promoted ? 200 + rank : null,
  promoted_at: promoted ? '2021-12-09T01:00:00Z' : null,
})

const board = (promotedRanks: number[] = [], open = true) => ({
  competition_id: 1,
  parent: {
    id: 9,
    name: 'KIPP Provinsi Sulawesi Selatan 2021',
    year: 2021,
    level: 'provinsi',
    organisation_name: 'Pemprov Sulsel',
  },
  announced: true,
  manifest_sha256: 'a'.repeat(64),
  submission_open: open,
  candidates: [1, 2, 3].map((rank) => candidate(rank, promotedRanks.includes(rank))),
})

describe('PromotionPanel', () => {
  beforeEach(() => {
    setLocale('id')
    document.body.innerHTML = ''
    signedIn()
  })

  it('promotes the chosen TOP N after a confirmation and shows what went', async () => {
    const posted: unknown[] = []
    fakeServer({
      'GET /api/v1/competitions/1/promotions': () => json(board([1])),
      'POST /api/v1/competitions/1/promotions': async (request) => {
        posted.push(await request.json())
        return json({
          created_innovation_ids: [203],
          already_promoted_ids: [],
          detail: '1 inovasi diteruskan ke KIPP Provinsi Sulawesi Selatan 2021; 0 sudah diteruskan sebelumnya.',
          board: board([1, 3]),
        })
      },
    })
    const wrapper = mount(PromotionPanel, {
      props: { competitionId: 1 },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(wrapper.text()).toContain('KIPP Provinsi Sulawesi Selatan 2021 (Pemprov Sulsel)')
    expect(wrapper.text()).toContain('skor 86,8')
    const boxes = wrapper.findAll('input[type=checkbox]')
    expect(boxes.map((b) => (b.element as HTMLInputElement).disabled)).toEqual([true, false, false])
    await boxes[1]!.setValue(false) // leave rank 2 out
    await wrapper.find('button.btn').trigger('click')
    await flushPromises()
    const confirm = [...document.querySelectorAll('dialog button, [role=dialog] button')].find((b) =>
      b.textContent?.includes('Teruskan (1)'),
    ) as HTMLButtonElement
    confirm.click()
    await flushPromises()
    expect(posted).toEqual([{ innovation_ids: [103] }])
    expect(wrapper.text()).toContain('1 inovasi diteruskan')
    expect(wrapper.findAll('.badge-success')).toHaveLength(2)
  })

  it('says when the parent is not open and shows the server problem', async () => {
    fakeServer({
      'GET /api/v1/competitions/1/promotions': () => json(board([], false)),
      'POST /api/v1/competitions/1/promotions': () =>
        problem(409, 'Jadwal tahapan sudah ditutup', { detail: 'Jadwal tahapan Pengajuan ditutup pada 1 Nov 2021.' }),
    })
    const wrapper = mount(PromotionPanel, {
      props: { competitionId: 1 },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(wrapper.text()).toContain('sedang tidak dibuka')
    await wrapper.find('button.btn').trigger('click')
    await flushPromises()
    const confirm = [...document.querySelectorAll('dialog button, [role=dialog] button')].find((b) =>
      b.textContent?.includes('Teruskan (3)'),
    ) as HTMLButtonElement
    confirm.click()
    await flushPromises()
    expect(wrapper.text()).toContain('ditutup pada 1 Nov 2021')
  })
})
