import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'

import { fakeServer, json } from '@/test/fakeServer'

import { setUserActive, useUserPage } from './useUserAccounts'

const user = (id: number) => ({
  id,
  email: `u${id}@x.id`,
  full_name: `U ${id}`,
  role: 'innovator',
  agency_id: 3,
  is_active: true,
  created_at: '2021-10-01T00:00:00Z',
})

function server(total: number) {
  const queries: string[] = []
  const bodies: unknown[] = []
  fakeServer({
    'GET /api/v1/users': (request) => {
      const query = new URL(request.url).searchParams
      queries.push(query.toString())
      const offset = Number(query.get('offset'))
      const limit = Number(query.get('limit'))
      const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => user(offset + i + 1))
      return json({ items, total })
    },
    'PATCH /api/v1/users/4': async (request) => {
      bodies.push(await request.json())
      return json({ ...user(4), is_active: false })
    },
  })
  return { queries, bodies }
}

describe('useUserPage', () => {
  it('pages through the accounts and says which ones are shown', async () => {
    const { queries } = server(5)
    const page = useUserPage({ role: 'innovator' }, 2)
    await flushPromises()
    expect(page.range.value).toEqual({ from: 1, to: 2, total: 5 })
    expect(page.hasPrevious.value).toBe(false)
    expect(page.hasNext.value).toBe(true)
    page.goTo(4)
    await flushPromises()
    expect(page.range.value).toEqual({ from: 5, to: 5, total: 5 })
    expect(page.hasNext.value).toBe(false)
    expect(queries).toEqual(['role=innovator&limit=2&offset=0', 'role=innovator&limit=2&offset=4'])
  })

  it('goes back to the first page when the filters change', async () => {
    const { queries } = server(5)
    const role = ref<'innovator' | 'judge'>('innovator')
    const page = useUserPage(() => ({ role: role.value }), 2)
    await flushPromises()
    page.goTo(2)
    await flushPromises()
    role.value = 'judge'
    await nextTick()
    await flushPromises()
    expect(page.offset.value).toBe(0)
    expect(queries.at(-1)).toBe('role=judge&limit=2&offset=0')
  })

  it('has no range while there is nobody', async () => {
    server(0)
    const page = useUserPage()
    await flushPromises()
    expect(page.range.value).toBeNull()
    expect(page.hasNext.value).toBe(false)
  })
})

describe('setUserActive', () => {
  it('patches only is_active', async () => {
    const { bodies } = server(0)
    await setUserActive({ id: 4 }, false)
    expect(bodies).toEqual([{ is_active: false }])
  })
})
