import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { writeTokens } from '@/api/tokens'
import { setLocale } from '@/i18n'
import { fakeServer, json } from '@/test/fakeServer'

import { createAppRouter } from './index'

function signedInAs(role: string) {
  writeTokens({ access_token: 'acc', token_type: 'bearer', expires_in: 900, refresh_token: 'ref' })
  fakeServer({ 'GET /api/v1/me': () => json({ id: 1, email: 'u@x.id', full_name: 'U', role, agency_id: 1 }) })
}

async function go(path: string) {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return router.currentRoute.value
}

describe('route guards', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('lets anyone see public pages', async () => {
    fakeServer({})
    expect((await go('/')).name).toBe('home')
    expect((await go('/no/such/page')).name).toBe('not-found')
  })

  it('sends a visitor to login, remembering where they were going', async () => {
    fakeServer({})
    const route = await go('/judge')
    expect(route.name).toBe('login')
    expect(route.query.redirect).toBe('/judge')
  })

  it('lets a judge into the judge screens but not the admin ones', async () => {
    signedInAs('judge')
    expect((await go('/judge')).name).toBe('judge-home')
    expect((await go('/admin')).name).toBe('judge-home')
    expect((await go('/innovator')).name).toBe('judge-home')
  })

  it('lets agency admins and admins into the proposal screens', async () => {
    signedInAs('agency_admin')
    expect((await go('/innovator')).name).toBe('innovator-home')
    setActivePinia(createPinia())
    signedInAs('admin')
    expect((await go('/innovator')).name).toBe('innovator-home')
    expect((await go('/admin')).name).toBe('admin-home')
  })

  it('sends a signed-in user away from the login page to their home', async () => {
    signedInAs('innovator')
    expect((await go('/login')).name).toBe('innovator-home')
  })

  it('names the page in the tab title, in the language of the moment', async () => {
    fakeServer({})
    setLocale('id')
    await go('/login')
    const indonesian = document.title
    setLocale('en')
    await Promise.resolve()
    expect(document.title).not.toBe(indonesian)
    expect(document.title).toMatch(/ · KIPP$/)
    setLocale('id')
    await Promise.resolve()
    expect(document.title).toBe(indonesian)
  })
})
