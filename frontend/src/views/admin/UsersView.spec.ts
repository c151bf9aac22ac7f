import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { useSessionStore } from '@/stores/session'
import { fakeServer, json, problem } from '@/test/fakeServer'

import UsersView from './UsersView.vue'

const AGENCIES = { items: [{ id: 3, code: 'DLH', name: 'Dinas Lingkungan Hidup' }], total: 1 }
const base = { is_active: true, created_at: '2021-10-01T00:00:00Z' }
const ADMIN = {
  id: 1,
  email: 'admin@demo.kipp.id',
  full_name: 'Tim Pelaksana',
  role: 'admin',
  agency_id: null,
  ...base,
}
const INOVATOR = {
  id: 9,
  email: 'inovator.dlh@demo.kipp.id',
  full_name: 'Inovator DLH',
  role: 'innovator',
  agency_id: 3,
  ...base,
}

function server() {
  let users = [ADMIN, INOVATOR]
  const queries: string[] = []
  const bodies: unknown[] = []
  fakeServer({
    'GET /api/v1/agencies': () => json(AGENCIES),
    'GET /api/v1/users': (request) => {
      const query = new URL(request.url).searchParams
      queries.push(query.toString())
      const role = query.get('role')
      const items = users.filter((u) => !role || u.role === role)
      return json({ items, total: items.length })
    },
    'POST /api/v1/users': async (request) => {
      const body = (await request.json()) as Record<string, unknown>
      bodies.push(body)
      if (body.agency_id == null)
        return problem(422, 'Isian tidak valid', {
          errors: [{ field: 'agency_id', message: 'required for role innovator' }],
        })
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
  useSessionStore().user = {
    id: 1,
    email: ADMIN.email,
    full_name: ADMIN.full_name,
    role: 'admin',
    organisation_id: 1,
    agency_id: null,
    locale: 'id',
  }
  const router = createAppRouter(createMemoryHistory())
  const wrapper = mount(UsersView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('UsersView', () => {
  beforeEach(() => {
    setLocale('id')
    document.body.innerHTML = ''
  })

  it('lists users with role, agency and status, and filters by role', async () => {
    const { queries } = server()
    const wrapper = await mountView()
    const rows = wrapper.findAll('tbody tr')
    expect(rows).toHaveLength(2)
    expect(rows[1]!.text()).toContain('Inovator DLH')
    expect(rows[1]!.text()).toContain('Inovator')
    expect(rows[1]!.text()).toContain('DLH')
    expect(rows[1]!.text()).toContain('Aktif')
    expect(rows[0]!.text()).not.toContain('Nonaktifkan') // never deactivate yourself
    await wrapper.find('#filter-role').setValue('innovator')
    await flushPromises()
    expect(queries.at(-1)).toBe('role=innovator&limit=50&offset=0')
    expect(wrapper.findAll('tbody tr')).toHaveLength(1)
  })

  it('creates a user, showing the server field error first', async () => {
    const { bodies } = server()
    const wrapper = await mountView()
    await wrapper.find('#user-email').setValue('baru@demo.kipp.id')
    await wrapper.find('#user-name').setValue('Inovator Baru')
    await wrapper.find('#user-invite').setValue(false) // type a password instead of inviting
    await wrapper.find('#user-password').setValue('rahasia-123')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#user-agency-error').text()).toBe('required for role innovator')
    expect(wrapper.find('#user-agency').attributes('aria-invalid')).toBe('true')

    await wrapper.find('#user-agency').setValue('3')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(bodies.at(-1)).toEqual({
      email: 'baru@demo.kipp.id',
      full_name: 'Inovator Baru',
      role: 'innovator',
      agency_id: 3,
      password: 'rahasia-123',
    })
    expect(wrapper.text()).toContain('Pengguna Inovator Baru ditambahkan.')
  })

  it('edits a user without sending an empty password', async () => {
    const { bodies } = server()
    const wrapper = await mountView()
    await wrapper.findAll('tbody tr')[1]!.find('button').trigger('click')
    expect((wrapper.find('#user-email').element as HTMLInputElement).value).toBe('inovator.dlh@demo.kipp.id')
    await wrapper.find('#user-name').setValue('Inovator DLH Dua')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(bodies.at(-1)).toEqual({
      email: 'inovator.dlh@demo.kipp.id',
      full_name: 'Inovator DLH Dua',
      role: 'innovator',
      agency_id: 3,
    })
  })

  it('deactivates after confirmation and can reactivate', async () => {
    const { bodies } = server()
    const wrapper = await mountView()
    const deactivate = wrapper
      .findAll('tbody tr')[1]!
      .findAll('button')
      .find((b) => b.text().startsWith('Nonaktifkan'))!
    await deactivate.trigger('click')
    await flushPromises()
    expect(bodies).toEqual([])
    expect(wrapper.find('dialog').text()).toContain('Inovator DLH (inovator.dlh@demo.kipp.id) tidak dapat masuk lagi')
    await wrapper
      .find('dialog')
      .findAll('button')
      .find((b) => b.text() === 'Nonaktifkan')!
      .trigger('click')
    await flushPromises()
    expect(bodies).toEqual([{ is_active: false }])
    expect(wrapper.findAll('tbody tr')[1]!.text()).toContain('Nonaktif')
    await wrapper
      .findAll('tbody tr')[1]!
      .findAll('button')
      .find((b) => b.text().startsWith('Aktifkan'))!
      .trigger('click')
    await flushPromises()
    expect(bodies.at(-1)).toEqual({ is_active: true })
  })
})
