import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'

import type { User } from '@/api'
import { useUserPage } from '@/composables/useUserAccounts'
import { i18n, setLocale } from '@/i18n'
import { fakeServer, json, problem } from '@/test/fakeServer'

import UserAccountsTable from './UserAccountsTable.vue'

const base = { is_active: true, created_at: '2021-10-01T00:00:00Z' }
const ADMIN = {
  id: 1,
  email: 'admin@demo.kipp.id',
  full_name: 'Tim Pelaksana',
  role: 'admin',
  agency_id: null,
  ...base,
}
const JURI = { id: 4, email: 'juri1@demo.kipp.id', full_name: 'Juri Satu', role: 'judge', agency_id: 3, ...base }
const INOVATOR = {
  id: 9,
  email: 'inovator.dlh@demo.kipp.id',
  full_name: 'Inovator DLH',
  role: 'innovator',
  agency_id: 3,
  ...base,
}

function server(options: { refuse?: boolean } = {}) {
  let users = [ADMIN, JURI, INOVATOR]
  const queries: string[] = []
  const bodies: unknown[] = []
  fakeServer({
    'GET /api/v1/users': (request) => {
      const query = new URL(request.url).searchParams
      queries.push(query.toString())
      const offset = Number(query.get('offset'))
      const limit = Number(query.get('limit'))
      return json({ items: users.slice(offset, offset + limit), total: users.length })
    },
    'PATCH /api/v1/users/9': async (request) => {
      const body = (await request.json()) as { is_active: boolean }
      bodies.push(body)
      if (options.refuse) return problem(403, 'Tidak diizinkan')
      users = users.map((u) => (u.id === 9 ? { ...u, ...body } : u))
      return json(users.find((u) => u.id === 9))
    },
  })
  return { queries, bodies }
}

/** The table inside a host screen that owns the page of users and the status line. */
function mountTable(props: Record<string, unknown> = {}, pageSize = 50) {
  const notice = ref('')
  const edited: User[] = []
  const changed: [number, boolean][] = []
  const Host = defineComponent({
    setup() {
      const users = useUserPage({}, pageSize)
      return () =>
        h(UserAccountsTable, {
          users,
          messages: 'admin.users',
          notice: notice.value,
          'onUpdate:notice': (value: string) => (notice.value = value),
          onEdit: (user: User) => edited.push(user),
          onActiveChanged: (user: User, isActive: boolean) => changed.push([user.id, isActive]),
          ...props,
        })
    },
  })
  const wrapper = mount(Host, { global: { plugins: [i18n] }, attachTo: document.body })
  return { wrapper, notice, edited, changed }
}

const rows = (wrapper: ReturnType<typeof mountTable>['wrapper']) => wrapper.findAll('tbody tr')
const buttonIn = (row: ReturnType<typeof rows>[number], text: string) =>
  row.findAll('button').find((b) => b.text().startsWith(text))

describe('UserAccountsTable', () => {
  beforeEach(() => {
    setLocale('id')
    document.body.innerHTML = ''
  })

  it('shows role and agency columns only when asked, with the agency code given', async () => {
    server()
    const plain = mountTable()
    await flushPromises()
    expect(plain.wrapper.findAll('thead th')).toHaveLength(3) // name, status, actions
    plain.wrapper.unmount()

    const full = mountTable({ showRoleAndAgency: true, agencyCode: (id: number | null) => (id === 3 ? 'DLH' : '—') })
    await flushPromises()
    expect(full.wrapper.findAll('thead th')).toHaveLength(5)
    const cells = rows(full.wrapper)[2]!.findAll('td')
    expect(cells[0]!.text()).toBe('Inovator')
    expect(cells[1]!.text()).toBe('DLH')
    expect(rows(full.wrapper)[0]!.findAll('td')[1]!.text()).toBe('—')
  })

  it('offers deactivation only where the screen allows it, and hands edits up', async () => {
    server()
    const { wrapper, edited } = mountTable({ canDeactivate: (user: User) => user.id !== 1 })
    await flushPromises()
    expect(buttonIn(rows(wrapper)[0]!, 'Nonaktifkan')).toBeUndefined()
    expect(buttonIn(rows(wrapper)[1]!, 'Nonaktifkan')).toBeDefined()
    await buttonIn(rows(wrapper)[2]!, 'Ubah')!.trigger('click')
    expect(edited.map((u) => u.id)).toEqual([9])
  })

  it('deactivates after confirmation, says so, reloads, and reactivates', async () => {
    const { bodies, queries } = server()
    const { wrapper, notice, changed } = mountTable()
    await flushPromises()
    notice.value = 'an older notice'
    await buttonIn(rows(wrapper)[2]!, 'Nonaktifkan')!.trigger('click')
    expect(bodies).toEqual([]) // nothing before the confirmation
    const dialog = wrapper.find('dialog')
    expect(dialog.text()).toContain('Inovator DLH (inovator.dlh@demo.kipp.id) tidak dapat masuk lagi')
    await dialog
      .findAll('button')
      .find((b) => b.text() === 'Nonaktifkan')!
      .trigger('click')
    await flushPromises()
    expect(bodies).toEqual([{ is_active: false }])
    expect(notice.value).toBe('Pengguna Inovator DLH dinonaktifkan.')
    expect(changed).toEqual([[9, false]])
    expect(queries).toHaveLength(2) // reloaded after the change
    expect(rows(wrapper)[2]!.classes()).toContain('inactive')
    expect(rows(wrapper)[2]!.text()).toContain('Nonaktif')

    await buttonIn(rows(wrapper)[2]!, 'Aktifkan')!.trigger('click')
    await flushPromises()
    expect(bodies.at(-1)).toEqual({ is_active: true })
    expect(notice.value).toBe('Pengguna Inovator DLH diaktifkan kembali.')
    expect(changed.at(-1)).toEqual([9, true])
  })

  it('shows a refusal above the list and changes nothing', async () => {
    server({ refuse: true })
    const { wrapper, notice, changed } = mountTable()
    await flushPromises()
    await buttonIn(rows(wrapper)[2]!, 'Nonaktifkan')!.trigger('click')
    await wrapper
      .find('dialog')
      .findAll('button')
      .find((b) => b.text() === 'Nonaktifkan')!
      .trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('Tidak diizinkan')
    expect(notice.value).toBe('')
    expect(changed).toEqual([])
    expect(rows(wrapper)[2]!.classes()).not.toContain('inactive')
  })

  it('pages through the accounts', async () => {
    const { queries } = server()
    const { wrapper } = mountTable({}, 2)
    await flushPromises()
    expect(wrapper.text()).toContain('1–2 dari 3 pengguna')
    const [previous, next] = wrapper.find('nav').findAll('button')
    expect(previous!.attributes('disabled')).toBeDefined()
    await next!.trigger('click')
    await flushPromises()
    expect(queries.at(-1)).toBe('limit=2&offset=2')
    expect(rows(wrapper)).toHaveLength(1)
    expect(wrapper.text()).toContain('3–3 dari 3 pengguna')
  })
})
