import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { RouterView, createMemoryHistory, createRouter } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { routes } from '@/router/routes'
import { COMPETITION, PROPOSAL } from '@/composables/useProposal.fixtures'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

const NOT_READY = {
  ready: false,
  problems: [
    { field: 'sections.ide_inovatif', message: 'required; it is empty', code: 'empty', params: {} },
    { field: 'started_on', message: 'required; when did the innovation start?', code: 'empty', params: {} },
  ],
}

async function mountEditor(role?: 'innovator' | 'agency_admin' | 'admin') {
  const pinia = createPinia()
  setActivePinia(pinia)
  if (role)
    useSessionStore().user = {
      id: 2,
      email: 'admin.dlh@x.id',
      full_name: 'Admin DLH',
      role,
      organisation_id: 1,
      agency_id: 3,
      locale: 'id',
    }
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/innovator/proposals/7')
  // Inside a RouterView, as in the app: the route's props give the id, the leave guard has its record.
  const wrapper = mount(defineComponent({ render: () => h(RouterView) }), {
    global: { plugins: [pinia, i18n, router] },
    attachTo: document.body,
  })
  await vi.waitFor(() => expect(wrapper.find('h1').exists()).toBe(true))
  await flushPromises()
  return wrapper
}

function button(wrapper: Pick<ReturnType<typeof mount>, 'findAll'>, text: string) {
  const found = wrapper.findAll('button').find((b) => b.text() === text)
  if (!found) throw new Error(`no button "${text}"`)
  return found
}

function dialog(wrapper: ReturnType<typeof mount>, title: string) {
  const found = wrapper.findAll('dialog').find((d) => d.find('h2').text() === title)
  if (!found) throw new Error(`no dialog "${title}"`)
  return found
}

function server(readiness: unknown, submit: () => Response) {
  return fakeServer({
    'GET /api/v1/innovations/7': () => json(PROPOSAL),
    'GET /api/v1/competitions/2': () => json(COMPETITION),
    'GET /api/v1/innovations/7/readiness': () => json(readiness),
    'GET /api/v1/innovations/7/attachments': () => json({ items: [], total: 0 }),
    'GET /api/v1/innovations/7/replications': () => json({ items: [], total: 0, replica_of: [] }),
    'POST /api/v1/innovations/7/submit': submit,
  })
}

describe('ProposalEditorView', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('id')
    document.body.innerHTML = ''
  })
  afterEach(() => vi.unstubAllGlobals())

  it('shows one field per section of the group, each with its word counter', async () => {
    server(NOT_READY, () => problem(500))
    const wrapper = await mountEditor()
    expect(wrapper.find('h1').text()).toBe('Bank Sampah Digital')
    const labels = wrapper.findAll('.section-field label').map((l) => l.text())
    expect(labels).toEqual(['Ringkasan', 'Ide Inovatif']) // `inspirasi` is for replikasi only
    expect(wrapper.find('.section-field .counter').text()).toBe('3 dari 200 kata')
    expect(wrapper.text()).toContain('Perlu dilengkapi: 2')
    // Replication fields appear with the group.
    expect(wrapper.text()).not.toContain('Inovasi yang direplikasi')
    await wrapper.find('input[type="radio"][value="replikasi"]').setValue()
    expect(wrapper.findAll('.section-field label').map((l) => l.text())).toEqual(['Ringkasan', 'Inspirasi'])
    expect(wrapper.text()).toContain('Inovasi yang direplikasi')
    wrapper.unmount()
  })

  it('labels every control', async () => {
    server(NOT_READY, () => problem(500))
    const wrapper = await mountEditor()
    for (const control of wrapper.findAll('input:not([type="radio"]), select, textarea')) {
      const id = control.attributes('id')
      expect(id, control.html()).toBeTruthy()
      expect(wrapper.find(`label[for="${id}"]`).exists(), control.html()).toBe(true)
    }
    for (const radio of wrapper.findAll('input[type="radio"]')) expect(radio.element.closest('label')).not.toBeNull()
    wrapper.unmount()
  })

  it('explains a malformed video link and does not send it', async () => {
    server(NOT_READY, () => problem(500))
    const wrapper = await mountEditor()
    await wrapper.find('input[type="url"]').setValue('youtube.com/watch?v=1')
    expect(wrapper.find('input[type="url"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.text()).toContain('Tautan harus diawali http:// atau https://')
    wrapper.unmount()
  })

  it('does not open the confirmation while the readiness check finds problems', async () => {
    const submit = vi.fn(() => problem(500))
    server(NOT_READY, submit)
    const wrapper = await mountEditor()
    await button(wrapper, 'Ajukan proposal').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('Proposal belum siap diajukan')
    expect((dialog(wrapper, 'Ajukan proposal ini?').element as HTMLDialogElement).open).toBe(false)
    expect(submit).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('keeps the irreversible withdrawal apart from submitting, and asks first', async () => {
    const withdraw = vi.fn(() => json({ ...PROPOSAL, status: 'withdrawn', version: 4 }))
    fakeServer({
      'GET /api/v1/innovations/7': () => json(PROPOSAL),
      'GET /api/v1/competitions/2': () => json(COMPETITION),
      'GET /api/v1/innovations/7/readiness': () => json({ ready: true, problems: [] }),
      'GET /api/v1/innovations/7/attachments': () => json({ items: [], total: 0 }),
      'GET /api/v1/innovations/7/replications': () => json({ items: [], total: 0, replica_of: [] }),
      'POST /api/v1/innovations/7/withdraw': withdraw,
    })
    const wrapper = await mountEditor()
    const submitSection = button(wrapper, 'Ajukan proposal').element.closest('section')
    const withdrawButton = button(wrapper, 'Tarik proposal')
    expect(withdrawButton.element.closest('section')).not.toBe(submitSection)
    expect(withdrawButton.element.closest('section')?.textContent).toContain('tidak dapat diajukan kembali')
    await withdrawButton.trigger('click')
    await flushPromises()
    expect(withdraw).not.toHaveBeenCalled()
    expect((dialog(wrapper, 'Tarik proposal ini?').element as HTMLDialogElement).open).toBe(true)
    wrapper.unmount()
  })

  it('submits after confirmation and becomes read-only', async () => {
    server({ ready: true, problems: [] }, () =>
      json({ ...PROPOSAL, status: 'submitted', submitted_at: '2026-11-30T01:30:00Z', version: 4 }),
    )
    const wrapper = await mountEditor()
    await button(wrapper, 'Ajukan proposal').trigger('click')
    await flushPromises()
    const confirm = dialog(wrapper, 'Ajukan proposal ini?')
    expect((confirm.element as HTMLDialogElement).open).toBe(true)
    await button(confirm, 'Ya, ajukan').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('Proposal sudah diajukan.')
    expect(wrapper.find('.head .badge').text()).toBe('Diajukan')
    expect(wrapper.find('textarea').exists()).toBe(false)
    expect(wrapper.text()).toContain('Anda masih dapat menarik proposal ini sampai')
    wrapper.unmount()
  })

  it('shows the problems the server found when it refuses the submission (422)', async () => {
    server({ ready: true, problems: [] }, () =>
      problem(422, 'Permintaan tidak valid', {
        errors: [
          { field: 'sections.ide_inovatif', message: 'required; it is empty', code: 'empty', params: {} },
          {
            field: 'sections.ringkasan',
            message: '205 words; the limit is 200',
            code: 'too_many_words',
            params: { words: 205, limit: 200 },
          },
        ],
      }),
    )
    const wrapper = await mountEditor()
    await button(wrapper, 'Ajukan proposal').trigger('click')
    await flushPromises()
    await button(dialog(wrapper, 'Ajukan proposal ini?'), 'Ya, ajukan').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('Proposal belum siap diajukan')
    expect(wrapper.find('.readiness').text()).toContain('Ide Inovatif: belum diisi')
    expect(wrapper.find('.readiness').text()).toContain('Ringkasan: 205 kata, melebihi batas 200 kata')
    wrapper.unmount()
  })

  describe('the team', () => {
    const innovator = (id: number, full_name: string) => ({
      id,
      email: `u${id}@x.id`,
      full_name,
      role: 'innovator',
      agency_id: 3,
      agency_code: 'DLH',
      is_active: true,
      created_at: '2021-01-01T00:00:00Z',
    })

    function teamServer(patch: (body: Record<string, unknown>) => Response) {
      const users: string[] = []
      const fetch = fakeServer({
        'GET /api/v1/innovations/7': () => json(PROPOSAL),
        'GET /api/v1/competitions/2': () => json(COMPETITION),
        'GET /api/v1/innovations/7/readiness': () => json(NOT_READY),
        'GET /api/v1/innovations/7/attachments': () => json({ items: [], total: 0 }),
        'GET /api/v1/innovations/7/replications': () => json({ items: [], total: 0, replica_of: [] }),
        'GET /api/v1/users': (request) => {
          users.push(new URL(request.url).search)
          return json({ items: [innovator(11, 'Inovator DLH'), innovator(12, 'Wati')], total: 2 })
        },
        'PATCH /api/v1/innovations/7': async (request) => patch((await request.json()) as Record<string, unknown>),
      })
      return { fetch, users }
    }

    it('is not offered to an innovator', async () => {
      const { users } = teamServer(() => problem(500))
      const wrapper = await mountEditor('innovator')
      expect(wrapper.find('fieldset.team').exists()).toBe(false)
      expect(wrapper.find('.head .meta').text()).toContain('Tim: Inovator DLH')
      expect(users).toEqual([])
      wrapper.unmount()
    })

    it('lets the agency admin change it: autosaved with the version, the header follows', async () => {
      const sent: Record<string, unknown>[] = []
      teamServer((body) => {
        sent.push(body)
        const ids = body.team_user_ids as number[]
        const names: Record<number, string> = { 11: 'Inovator DLH', 12: 'Wati' }
        return json({ ...PROPOSAL, version: 4, team: ids.map((id) => ({ id, full_name: names[id] })) })
      })
      const wrapper = await mountEditor('agency_admin')
      const team = wrapper.find('fieldset.team')
      expect(team.find('legend').text()).toContain('Tim inovator')
      const boxes = team.findAll('input[type="checkbox"]')
      expect(boxes.map((b) => (b.element as HTMLInputElement).checked)).toEqual([true, false])
      await boxes[1]!.setValue(true)
      await vi.waitFor(() => expect(sent).toHaveLength(1), { timeout: 3000 })
      expect(sent[0]).toEqual({ version: 3, team_user_ids: [11, 12] })
      await flushPromises()
      expect(wrapper.find('.head .meta').text()).toContain('Tim: Inovator DLH, Wati')
      // The next edit goes at the version the team change returned.
      await boxes[0]!.setValue(false)
      await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: 3000 })
      expect(sent[1]).toEqual({ version: 4, team_user_ids: [12] })
      wrapper.unmount()
    })

    it("lets the admin change it from the proposal's agency's innovators", async () => {
      const { users } = teamServer(() => problem(500))
      const wrapper = await mountEditor('admin')
      expect(wrapper.find('fieldset.team').exists()).toBe(true)
      expect(users).toEqual(['?role=innovator&limit=500&agency_id=3'])
      wrapper.unmount()
    })

    it('shows a refused team (422) next to the picker', async () => {
      teamServer(() =>
        problem(422, 'Permintaan tidak valid', {
          errors: [{ field: 'team_user_ids.1', message: 'not an active innovator of the agency' }],
        }),
      )
      const wrapper = await mountEditor('agency_admin')
      await wrapper.findAll('fieldset.team input[type="checkbox"]')[1]!.setValue(true)
      await vi.waitFor(() => expect(wrapper.find('fieldset.team .field-error').exists()).toBe(true), { timeout: 3000 })
      expect(wrapper.find('fieldset.team .field-error').text()).toContain('tidak dapat masuk tim')
      expect(wrapper.find('.savebar').text()).toContain('Gagal')
      wrapper.unmount()
    })
  })
})
