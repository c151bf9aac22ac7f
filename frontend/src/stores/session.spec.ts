import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'

import { ApiProblem } from '@/api/problem'
import { readTokens } from '@/api/tokens'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { useSessionStore } from './session'

const ME = { id: 7, email: 'juri@luwuutarakab.go.id', full_name: 'Juri Tujuh', role: 'judge', agency_id: 3 }
const PAIR = { access_token: 'acc', token_type: 'bearer', expires_in: 900, refresh_token: 'ref' }

describe('session store', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('logs in with the password form, keeps tokens in localStorage and loads /me', async () => {
    const fetch = fakeServer({
      'POST /api/v1/auth/token': async (request) => {
        const form = new URLSearchParams(await request.text())
        return form.get('username') === 'juri@luwuutarakab.go.id' && form.get('password') === 'rahasia'
          ? json(PAIR)
          : problem(401)
      },
      'GET /api/v1/me': (request) => (request.headers.get('Authorization') === 'Bearer acc' ? json(ME) : problem(401)),
    })
    const session = useSessionStore()
    const me = await session.login(' juri@luwuutarakab.go.id ', 'rahasia')
    expect(me).toEqual(ME)
    expect(session.role).toBe('judge')
    expect(session.isAuthenticated).toBe(true)
    expect(readTokens()?.accessToken).toBe('acc')
    expect(readTokens()?.refreshToken).toBe('ref')
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('rejects wrong credentials with the server problem and stays signed out', async () => {
    fakeServer({ 'POST /api/v1/auth/token': () => problem(401, 'E-mail atau kata sandi salah') })
    const session = useSessionStore()
    const error = await session.login('x@y.id', 'salah').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiProblem)
    expect((error as ApiProblem).title).toBe('E-mail atau kata sandi salah')
    expect(session.isAuthenticated).toBe(false)
    expect(readTokens()).toBeNull()
  })

  it('restores the user from stored tokens, and falls back to the cached user when offline', async () => {
    fakeServer({ 'POST /api/v1/auth/token': () => json(PAIR), 'GET /api/v1/me': () => json(ME) })
    await useSessionStore().login('juri@luwuutarakab.go.id', 'rahasia')

    setActivePinia(createPinia()) // a page reload
    fakeServer({
      'GET /api/v1/me': () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const session = useSessionStore()
    expect(session.isAuthenticated).toBe(true)
    expect(await session.ensureUser()).toEqual(ME)
  })

  it('logout forgets tokens and user, and revokes the refresh token on the server', async () => {
    const revoked: unknown[] = []
    const fetch = fakeServer({
      'POST /api/v1/auth/token': () => json(PAIR),
      'GET /api/v1/me': () => json(ME),
      'POST /api/v1/auth/logout': async (request) => {
        revoked.push(await request.json())
        return new Response(null, { status: 204 })
      },
    })
    const session = useSessionStore()
    await session.login('juri@luwuutarakab.go.id', 'rahasia')
    const done = session.logout()
    // Signed out on this device before the server has answered.
    expect(session.isAuthenticated).toBe(false)
    expect(session.user).toBeNull()
    expect(readTokens()).toBeNull()
    await done
    expect(revoked).toEqual([{ refresh_token: 'ref' }])
    const logoutCall = fetch.mock.calls
      .map(([input]) => input)
      .find((input) => input instanceof Request && input.url.endsWith('/logout'))
    expect(logoutCall instanceof Request && logoutCall.headers.has('Authorization')).toBe(false)
    expect(await session.ensureUser()).toBeNull()
  })

  it('logout signs out on this device even when the server cannot be reached or refuses', async () => {
    for (const answer of [
      () => {
        throw new TypeError('Failed to fetch')
      },
      () => problem(500),
    ]) {
      localStorage.clear()
      setActivePinia(createPinia())
      fakeServer({
        'POST /api/v1/auth/token': () => json(PAIR),
        'GET /api/v1/me': () => json(ME),
        'POST /api/v1/auth/logout': answer,
      })
      const session = useSessionStore()
      await session.login('juri@luwuutarakab.go.id', 'rahasia')
      await expect(session.logout()).resolves.toBeUndefined()
      expect(session.isAuthenticated).toBe(false)
      expect(readTokens()).toBeNull()
      expect(localStorage.getItem('kipp.me')).toBeNull()
    }
  })

  it('logout without stored tokens (a refused refresh cleared them) makes no server call', async () => {
    const fetch = fakeServer({})
    await useSessionStore().logout()
    expect(fetch).not.toHaveBeenCalled()
  })
})
