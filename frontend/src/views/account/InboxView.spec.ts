import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import { unreadCount } from '@/composables/useUnread'
import { i18n, setLocale } from '@/i18n'
import { fakeServer, json } from '@/test/fakeServer'

import InboxView from './InboxView.vue'

const item = (id: number, read: boolean) => ({
  id,
  kind: 'administrative_decision',
  title: `Keputusan ${id}`,
  body: 'Proposal Anda lolos seleksi administrasi.',
  link: `/innovator/proposals/${id}`,
  created_at: '2026-12-06T02:00:00Z',
  read_at: read ? '2026-12-06T03:00:00Z' : null,
})

function server() {
  let items = [item(2, false), item(1, true)]
  const calls: string[] = []
  const unread = () => items.filter((i) => !i.read_at).length
  fakeServer({
    'GET /api/v1/me/notifications': (request) => {
      const query = new URL(request.url).searchParams
      calls.push(`GET ${query.toString()}`)
      const shown = query.get('unread') === 'true' ? items.filter((i) => !i.read_at) : items
      return json({ items: shown, total: shown.length, unread: unread() })
    },
    'POST /api/v1/me/notifications/2/read': () => {
      calls.push('POST read 2')
      items = items.map((i) => (i.id === 2 ? { ...i, read_at: '2026-12-06T04:00:00Z' } : i))
      return json(items[0])
    },
    'POST /api/v1/me/notifications/read-all': () => {
      calls.push('POST read-all')
      items = items.map((i) => ({ ...i, read_at: i.read_at ?? '2026-12-06T04:00:00Z' }))
      return json({ marked: 1, unread: 0 })
    },
  })
  return calls
}

async function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/inbox', component: InboxView },
      { path: '/innovator/proposals/:id', component: { template: '<p>proposal</p>' } },
    ],
  })
  await router.push('/inbox')
  const wrapper = mount(InboxView, { global: { plugins: [router, i18n] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

describe('InboxView', () => {
  beforeEach(() => {
    setLocale('id')
    unreadCount.value = 0
    document.body.innerHTML = ''
  })
  afterEach(() => vi.unstubAllGlobals())

  it('lists my notifications, unread ones marked, and updates the bell', async () => {
    server()
    const { wrapper } = await mountView()
    const cards = wrapper.findAll('li.card')
    expect(cards.map((c) => c.find('h2').text())).toEqual(['Belum dibaca: Keputusan 2', 'Keputusan 1'])
    expect(cards[0]!.classes()).toContain('unread')
    expect(unreadCount.value).toBe(1)
  })

  it('marks one read, opening its link marks it too, and marks all read', async () => {
    const calls = server()
    const { wrapper, router } = await mountView()
    await wrapper.get('li.card.unread button').trigger('click')
    await flushPromises()
    expect(calls).toContain('POST read 2')
    expect(unreadCount.value).toBe(0)
    expect(wrapper.findAll('li.card.unread')).toHaveLength(0)

    await wrapper.get('li.card a').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/innovator/proposals/2')
  })

  it('marks everything read at once and filters unread', async () => {
    const calls = server()
    const { wrapper } = await mountView()
    await wrapper.get('input[type="checkbox"]').setValue(true)
    await flushPromises()
    expect(calls).toContain('GET limit=20&unread=true')
    expect(wrapper.findAll('li.card')).toHaveLength(1)
    await wrapper.get('.tools button').trigger('click')
    await flushPromises()
    expect(calls).toContain('POST read-all')
    expect(wrapper.text()).toContain('Belum ada notifikasi.')
    expect(unreadCount.value).toBe(0)
  })
})
