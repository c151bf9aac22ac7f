import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import { i18n, setLocale } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

import AccountView from './AccountView.vue'

const ME = {
  id: 4,
  email: 'admin.dlh@demo.kipp.id',
  full_name: 'Admin OPD DLH',
  role: 'agency_admin' as const,
  agency_id: 3,
  organisation_id: 1,
  locale: 'id' as const,
}
const AGENCIES = { items: [{ id: 3, code: 'DLH', name: 'Dinas Lingkungan Hidup' }], total: 1 }
const TOKEN = {
  id: 11,
  name: 'skrip impor',
  prefix: 'kipp_pat_ab12',
  created_at: '2021-10-11T01:30:00Z',
  expires_at: null,
  last_used_at: null,
}

function mountAccount() {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().user = ME
  return mount(AccountView, { global: { plugins: [pinia, i18n] }, attachTo: document.body })
}

describe('AccountView', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('id')
    document.body.innerHTML = ''
  })

  it('shows the profile with the agency name', async () => {
    fakeServer({
      'GET /api/v1/agencies': () => json(AGENCIES),
      'GET /api/v1/me/api-tokens': () => json({ items: [], total: 0 }),
    })
    const wrapper = mountAccount()
    await flushPromises()
    const profile = wrapper.find('dl').text()
    expect(profile).toContain('Admin OPD DLH')
    expect(profile).toContain('admin.dlh@demo.kipp.id')
    expect(profile).toContain('Admin OPD')
    expect(profile).toContain('DLH — Dinas Lingkungan Hidup')
    expect(wrapper.text()).toContain('Belum ada token aktif.')
  })

  it('labels every control', async () => {
    fakeServer({
      'GET /api/v1/agencies': () => json(AGENCIES),
      'GET /api/v1/me/api-tokens': () => json({ items: [TOKEN], total: 1 }),
    })
    const wrapper = mountAccount()
    await flushPromises()
    for (const input of wrapper.findAll('input')) {
      expect(wrapper.find(`label[for="${input.attributes('id')}"]`).exists()).toBe(true)
    }
  })

  it('creates a token and shows it once, with a copy button and a warning', async () => {
    let tokens: (typeof TOKEN)[] = []
    const posted: unknown[] = []
    fakeServer({
      'GET /api/v1/agencies': () => json(AGENCIES),
      'GET /api/v1/me/api-tokens': () => json({ items: tokens, total: tokens.length }),
      'POST /api/v1/me/api-tokens': async (request) => {
        posted.push(await request.json())
        tokens = [TOKEN]
        return json(
          {
            id: 11,
            name: 'skrip impor',
            token: 'kipp_pat_ab12_SECRET',
            created_at: TOKEN.created_at,
            expires_at: null,
          },
          201,
        )
      },
    })
    const writeText = vi.fn().mockResolvedValue(undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const wrapper = mountAccount()
    await flushPromises()

    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#token-name-error').text()).toBe('Isi nama token.')
    expect(posted).toEqual([])

    await wrapper.find('#token-name').setValue('skrip impor')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(posted).toEqual([{ name: 'skrip impor', expires_at: null }])
    expect((wrapper.find('#created-token').element as HTMLInputElement).value).toBe('kipp_pat_ab12_SECRET')
    expect(wrapper.text()).toContain('Token tidak akan ditampilkan lagi')
    expect(document.activeElement?.id).toBe('created-title')

    const copy = wrapper.findAll('button').find((b) => b.text() === 'Salin')!
    await copy.trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('kipp_pat_ab12_SECRET')
    expect(wrapper.text()).toContain('Token disalin ke papan klip.')

    expect(wrapper.findAll('li.token')).toHaveLength(1)
    expect(wrapper.find('li.token').text()).not.toContain('SECRET')

    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Sudah saya simpan')!
      .trigger('click')
    expect(wrapper.find('#created-token').exists()).toBe(false)
  })

  it('sends the chosen expiry as the end of that day with an offset', async () => {
    const posted: { expires_at: string | null }[] = []
    fakeServer({
      'GET /api/v1/agencies': () => json(AGENCIES),
      'GET /api/v1/me/api-tokens': () => json({ items: [], total: 0 }),
      'POST /api/v1/me/api-tokens': async (request) => {
        posted.push((await request.json()) as { expires_at: string | null })
        return json({ ...TOKEN, token: 'x' }, 201)
      },
    })
    const wrapper = mountAccount()
    await flushPromises()
    await wrapper.find('#token-name').setValue('ci')
    await wrapper.find('#token-expiry').setValue('2099-12-31')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(new Date(posted[0]!.expires_at!).getTime()).toBe(new Date('2099-12-31T23:59:59').getTime())
  })

  it('shows the server problem when the name is refused', async () => {
    fakeServer({
      'GET /api/v1/agencies': () => json(AGENCIES),
      'GET /api/v1/me/api-tokens': () => json({ items: [], total: 0 }),
      'POST /api/v1/me/api-tokens': () =>
        problem(422, 'Isian tidak valid', { errors: [{ field: 'name', message: 'terlalu panjang' }] }),
    })
    const wrapper = mountAccount()
    await flushPromises()
    await wrapper.find('#token-name').setValue('x')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('Isian tidak valid')
    expect(wrapper.find('#token-name-error').text()).toBe('terlalu panjang')
    expect(wrapper.find('#token-name').attributes('aria-invalid')).toBe('true')
  })

  it('revokes a token only after confirmation', async () => {
    let tokens = [TOKEN]
    const deleted: string[] = []
    fakeServer({
      'GET /api/v1/agencies': () => json(AGENCIES),
      'GET /api/v1/me/api-tokens': () => json({ items: tokens, total: tokens.length }),
      'DELETE /api/v1/me/api-tokens/11': (request) => {
        deleted.push(request.url)
        tokens = []
        return new Response(null, { status: 204 })
      },
    })
    const wrapper = mountAccount()
    await flushPromises()
    await wrapper.find('li.token button').trigger('click')
    await flushPromises()
    const dialog = wrapper.find('dialog')
    expect(dialog.text()).toContain('Token "skrip impor" langsung berhenti berfungsi')
    expect(deleted).toEqual([])

    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Batal')!
      .trigger('click')
    await flushPromises()
    expect(deleted).toEqual([])

    await wrapper.find('li.token button').trigger('click')
    await flushPromises()
    await wrapper
      .find('dialog')
      .findAll('button')
      .find((b) => b.text() === 'Cabut')!
      .trigger('click')
    await flushPromises()
    expect(deleted).toHaveLength(1)
    expect(wrapper.findAll('li.token')).toHaveLength(0)
    expect(wrapper.text()).toContain('Belum ada token aktif.')
  })
})
