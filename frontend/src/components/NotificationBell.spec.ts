import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { fakeServer, json } from '@/test/fakeServer'
import { unreadCount } from '@/composables/useUnread'
import { writeTokens } from '@/api/tokens'
import { useSessionStore } from '@/stores/session'

import LanguageSwitch from './LanguageSwitch.vue'
import NotificationBell from './NotificationBell.vue'

const Blank = { template: '<div />' }

async function mountBell(unread: () => number) {
  const calls: string[] = []
  fakeServer({
    'GET /api/v1/me/notifications': (request) => {
      calls.push(new URL(request.url).search)
      return json({ items: [], total: unread(), unread: unread() })
    },
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/inbox', component: Blank },
      { path: '/elsewhere', component: Blank },
    ],
  })
  await router.push('/')
  const wrapper = mount(NotificationBell, { global: { plugins: [router, i18n] } })
  await flushPromises()
  return { wrapper, router, calls }
}

describe('NotificationBell', () => {
  beforeEach(() => {
    setLocale('en')
    unreadCount.value = 0
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('shows the unread count and links to the inbox', async () => {
    const { wrapper, calls } = await mountBell(() => 3)
    expect(calls).toEqual(['?limit=1'])
    expect(wrapper.find('.count').text()).toBe('3')
    expect(wrapper.attributes('href')).toBe('/inbox')
    expect(wrapper.attributes('aria-label')).toBe('Notifications: 3 unread')
  })

  it('asks again on a route change and every minute; no badge at zero', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    let unread = 0
    const { wrapper, router, calls } = await mountBell(() => unread)
    expect(wrapper.find('.count').exists()).toBe(false)
    unread = 2
    await router.push('/elsewhere')
    await flushPromises()
    expect(calls).toHaveLength(2)
    expect(wrapper.find('.count').text()).toBe('2')
    vi.advanceTimersByTime(60_000)
    await flushPromises()
    expect(calls).toHaveLength(3)
    wrapper.unmount()
    vi.advanceTimersByTime(120_000)
    expect(calls).toHaveLength(3)
  })
})

describe('LanguageSwitch', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('saves the language on the server when signed in', async () => {
    setLocale('id')
    const bodies: unknown[] = []
    fakeServer({
      'PATCH /api/v1/me': async (request) => {
        bodies.push(await request.json())
        return json({})
      },
    })
    setActivePinia(createPinia())
    writeTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
    useSessionStore().user = {
      id: 1,
      email: 'a@x.id',
      full_name: 'A',
      role: 'judge',
      organisation_id: 1,
      agency_id: null,
      locale: 'id',
    }
    const wrapper = mount(LanguageSwitch, { global: { plugins: [i18n] } })
    await wrapper.get('button[lang="en"]').trigger('click')
    await flushPromises()
    expect(bodies).toEqual([{ locale: 'en' }])
    expect(i18n.global.locale.value).toBe('en')
    await wrapper.get('button[lang="en"]').trigger('click') // already saved: no second call
    await flushPromises()
    expect(bodies).toHaveLength(1)
  })

  it('only switches the page when signed out', async () => {
    setLocale('id')
    const fetch = fakeServer({})
    setActivePinia(createPinia())
    const wrapper = mount(LanguageSwitch, { global: { plugins: [i18n] } })
    await wrapper.get('button[lang="en"]').trigger('click')
    await flushPromises()
    expect(fetch).not.toHaveBeenCalled()
    expect(i18n.global.locale.value).toBe('en')
  })
})
