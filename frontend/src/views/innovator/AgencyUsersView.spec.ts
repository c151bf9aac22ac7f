import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { writeTokens } from '@/api/tokens'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

import AgencyUsersView from './AgencyUsersView.vue'

const AGENCIES = { items: [{ id: 3, code: 'DLH', name: 'Dinas Lingkungan Hidup' }], total: 1 }
const base = { role: 'innovator', agency_id: 3, is_active: true, created_at: '2021-10-01T00:00:00Z' }
const INOVATOR = { id: 9, email: 'inovator.dlh@demo.kipp.id', full_name: 'Inovator DLH', ...base }
const ME = {
  id: 5,
  email: 'admin.dlh@demo.kipp.id',
  full_name: 'Admin DLH',
  role: 'agency_admin' as const,
  agency_id: 3,
  organisation_id: 1,
  locale: 'id' as const,
}

function server(options: { users?: (typeof INOVATOR)[] } = {}) {
  let users = options.users ?? [INOVATOR]
  const queries: string[] = []
  const bodies: unknown[] = []
  fakeServer({
    'GET /api/v1/me': () => json(ME),
    'GET /api/v1/agencies': () => json(AGENCIES),
    'GET /api/v1/users': (request) => {
      queries.push(new URL(request.url).searchParams.toString())
      return json({ items: users, total: users.length })
    },
    'POST /api/v1/users': async (request) => {
      const body = (await request.json()) as Record<string, unknown>
      bodies.push(body)
      if (String(body.password).length < 8) {
        return problem(422, 'Isian tidak valid', { errors: [{ field: 'password', message: 'at least 8 characters' }] })
      }
      const user = { ...INOVATOR, ...body, id: 20 }
      users = [...users, user]
      return json(user, 201)
    },
    'PATCH /api/v1/users/9': async (request) => {
      const body = (await request.json()) as Record<string, unknown>
      bodies.push(body)
      users = users.map((u) => (u.id === 9 ? { ...u, ...body } : u))
      return json(users.find((u) => u.id === 9))
    },
  })
  return { queries, bodies }
}

async function mountView() {
  const pinia = createPinia()
  setActivePinia(pinia)
  writeTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
  useSessionStore().user = ME
  const router = createAppRouter(createMemoryHistory())
  await router.push('/innovator/users')
  const wrapper = mount(AgencyUsersView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text().startsWith(text))!

describe('AgencyUsersView', () => {
  beforeEach(() => {
    setLocale('id')
    localStorage.clear()
    document.body.innerHTML = ''
  })

  it('lists the innovators of the agency, with no role or agency to choose', async () => {
    const { queries } = server()
    const { wrapper, router } = await mountView()
    expect(router.currentRoute.value.name).toBe('agency-users')
    expect(queries).toEqual(['role=innovator&limit=50&offset=0'])
    expect(wrapper.find('h1').text()).toBe('Inovator perangkat daerah')
    expect(wrapper.text()).toContain('Akun inovator DLH — Dinas Lingkungan Hidup.')
    expect(wrapper.find('.account').text()).toContain('Inovator DLH')
    expect(wrapper.find('.account').text()).toContain('Aktif')
    expect(wrapper.find('select').exists()).toBe(false)
    expect(wrapper.find('.fixed').text()).toContain('Inovator · DLH — Dinas Lingkungan Hidup')
  })

  it('creates an innovator of the own agency, showing a field error beside its field', async () => {
    const { bodies } = server()
    const { wrapper } = await mountView()
    await wrapper.find('#user-email').setValue('baru@demo.kipp.id')
    await wrapper.find('#user-name').setValue('Inovator Baru')
    await wrapper.find('#user-invite').setValue(false) // type a password instead of inviting
    await wrapper.find('#user-password').setValue('pendek')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#user-password-error').text()).toBe('at least 8 characters')
    expect(wrapper.find('#user-password').attributes('aria-invalid')).toBe('true')

    await wrapper.find('#user-password').setValue('rahasia-123')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(bodies.at(-1)).toEqual({
      email: 'baru@demo.kipp.id',
      full_name: 'Inovator Baru',
      role: 'innovator',
      agency_id: 3,
      password: 'rahasia-123',
    })
    expect(wrapper.text()).toContain('Akun Inovator Baru ditambahkan.')
    expect(wrapper.findAll('.account')).toHaveLength(2)
  })

  it('edits a name without sending a role, an agency or an empty password', async () => {
    const { bodies } = server()
    const { wrapper } = await mountView()
    await button(wrapper, 'Ubah').trigger('click')
    expect(wrapper.find('h2').text()).toBe('Ubah akun Inovator DLH')
    expect((wrapper.find('#user-email').element as HTMLInputElement).value).toBe('inovator.dlh@demo.kipp.id')
    await wrapper.find('#user-name').setValue('Inovator DLH Dua')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(bodies).toEqual([{ email: 'inovator.dlh@demo.kipp.id', full_name: 'Inovator DLH Dua' }])
    expect(wrapper.find('.account').text()).toContain('Inovator DLH Dua')
  })

  it('deactivates after confirmation and reactivates', async () => {
    const { bodies } = server()
    const { wrapper } = await mountView()
    await button(wrapper, 'Nonaktifkan').trigger('click')
    expect(bodies).toEqual([])
    expect(wrapper.find('dialog').text()).toContain('Inovator DLH (inovator.dlh@demo.kipp.id) tidak dapat masuk lagi')
    await wrapper
      .find('dialog')
      .findAll('button')
      .find((b) => b.text() === 'Nonaktifkan')!
      .trigger('click')
    await flushPromises()
    expect(bodies).toEqual([{ is_active: false }])
    expect(wrapper.find('.account').text()).toContain('Nonaktif')
    await button(wrapper, 'Aktifkan').trigger('click')
    await flushPromises()
    expect(bodies.at(-1)).toEqual({ is_active: true })
  })

  it('says when the agency has no innovators yet, in English too', async () => {
    server({ users: [] })
    setLocale('en')
    const { wrapper } = await mountView()
    expect(wrapper.text()).toContain('Your agency has no innovator accounts yet.')
    expect(wrapper.find('h1').text()).toBe('Agency innovators')
  })

  it('is only for agency admins: an innovator is sent to their proposals', async () => {
    server()
    const pinia = createPinia()
    setActivePinia(pinia)
    writeTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
    useSessionStore().user = { ...ME, role: 'innovator' }
    const router = createAppRouter(createMemoryHistory())
    await router.push('/innovator/users')
    expect(router.currentRoute.value.name).toBe('innovator-home')
  })
})
