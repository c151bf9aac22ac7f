import { describe, expect, it, vi } from 'vitest'

import { createApiClient, formBody, unwrap, type TokenStore } from './client'
import { ApiProblem, NetworkError } from './problem'
import type { StoredTokens } from './tokens'
import type { TokenPair } from './types'

const ME = { id: 1, email: 'juri@example.id', full_name: 'Juri Satu', role: 'judge', agency_id: 2 }

function json(body: unknown, status = 200, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}
function problem(status: number, extra: Record<string, unknown> = {}): Response {
  return json(
    { type: 'https://kipp.example/problems/x', title: `title ${status}`, status, detail: null, ...extra },
    status,
    'application/problem+json',
  )
}

function memoryTokens(initial: StoredTokens | null = { accessToken: 'a1', refreshToken: 'r1', expiresAt: 0 }) {
  let current = initial
  const store: TokenStore & { current: () => StoredTokens | null } = {
    read: () => current,
    write: (pair: TokenPair) => {
      current = { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: pair.expires_in }
    },
    clear: () => {
      current = null
    },
    current: () => current,
  }
  return store
}

function setup(handler: (request: Request) => Response | Promise<Response>, tokens = memoryTokens(), locale = 'id') {
  const fetch = vi.fn(async (request: Request) => handler(request))
  const onAuthLost = vi.fn()
  const api = createApiClient({ baseUrl: 'http://kipp.test', fetch, tokens, getLocale: () => locale, onAuthLost })
  return { api, fetch, tokens, onAuthLost }
}

const pair = (n: number): TokenPair => ({
  access_token: `a${n}`,
  refresh_token: `r${n}`,
  token_type: 'bearer',
  expires_in: 900,
})

describe('api client', () => {
  it('sends the bearer token and the locale', async () => {
    const { api, fetch } = setup(() => json(ME), memoryTokens(), 'en')
    const me = await unwrap(api.GET('/api/v1/me'))
    expect(me).toEqual(ME)
    const request = fetch.mock.calls[0]![0]
    expect(request.headers.get('Authorization')).toBe('Bearer a1')
    expect(request.headers.get('Accept-Language')).toBe('en, id;q=0.5')
  })

  it('posts the password form without a bearer token', async () => {
    const { api, fetch } = setup(() => json(pair(1)))
    await unwrap(
      api.POST('/api/v1/auth/token', {
        body: { username: 'a@b.id', password: 'p w', scope: '' },
        bodySerializer: formBody,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    )
    const request = fetch.mock.calls[0]![0]
    expect(request.headers.get('Authorization')).toBeNull()
    expect(request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded')
    expect(await request.text()).toBe('username=a%40b.id&password=p+w&scope=')
  })

  it('refreshes once on 401 and retries with the new token', async () => {
    const { api, fetch, tokens } = setup(async (request) => {
      if (request.url.endsWith('/auth/refresh')) {
        expect(await request.json()).toEqual({ refresh_token: 'r1' })
        return json(pair(2))
      }
      return request.headers.get('Authorization') === 'Bearer a2' ? json(ME) : problem(401)
    })
    await expect(unwrap(api.GET('/api/v1/me'))).resolves.toEqual(ME)
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(tokens.current()?.accessToken).toBe('a2')
  })

  it('shares one refresh between concurrent requests', async () => {
    const { api, fetch } = setup(async (request) => {
      if (request.url.endsWith('/auth/refresh')) {
        await new Promise((resolve) => setTimeout(resolve, 5))
        return json(pair(2))
      }
      return request.headers.get('Authorization') === 'Bearer a2' ? json(ME) : problem(401)
    })
    const results = await Promise.all([
      unwrap(api.GET('/api/v1/me')),
      unwrap(api.GET('/api/v1/me')),
      unwrap(api.GET('/api/v1/me')),
    ])
    expect(results).toEqual([ME, ME, ME])
    const refreshes = fetch.mock.calls.filter(([request]) => request.url.endsWith('/auth/refresh'))
    expect(refreshes).toHaveLength(1)
  })

  it('does not spend the refresh token again when the tokens changed meanwhile', async () => {
    const tokens = memoryTokens()
    const { api, fetch } = setup((request) => {
      if (request.headers.get('Authorization') === 'Bearer a1') {
        tokens.write(pair(5)) // another tab refreshed while this request was in flight
        return problem(401)
      }
      return json(ME)
    }, tokens)
    await expect(unwrap(api.GET('/api/v1/me'))).resolves.toEqual(ME)
    expect(fetch.mock.calls.map(([r]) => r.url.endsWith('/auth/refresh'))).toEqual([false, false])
  })

  it('signs out when the refresh token is refused', async () => {
    const { api, tokens, onAuthLost } = setup(() => problem(401))
    const error = await unwrap(api.GET('/api/v1/me')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiProblem)
    expect((error as ApiProblem).status).toBe(401)
    expect(tokens.current()).toBeNull()
    expect(onAuthLost).toHaveBeenCalledTimes(1)
  })

  it('does not try to refresh without a session', async () => {
    const { api, fetch } = setup(() => problem(401), memoryTokens(null))
    await expect(unwrap(api.GET('/api/v1/me'))).rejects.toBeInstanceOf(ApiProblem)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('turns problem+json into a typed ApiProblem with field errors', async () => {
    const { api } = setup(() =>
      problem(422, { detail: 'Periksa isian', errors: [{ field: 'username', message: 'wajib diisi' }] }),
    )
    const error = (await unwrap(api.GET('/api/v1/me')).catch((e: unknown) => e)) as ApiProblem
    expect(error).toBeInstanceOf(ApiProblem)
    expect(error.status).toBe(422)
    expect(error.title).toBe('title 422')
    expect(error.detail).toBe('Periksa isian')
    expect(error.errors).toEqual([{ field: 'username', message: 'wajib diisi' }])
    expect(error.fieldMessage('username')).toBe('wajib diisi')
  })

  it('turns a non-problem failure into a generic ApiProblem', async () => {
    const { api } = setup(
      () =>
        new Response('<html>Bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/html' },
        }),
    )
    const error = (await unwrap(api.GET('/api/v1/me')).catch((e: unknown) => e)) as ApiProblem
    expect(error).toBeInstanceOf(ApiProblem)
    expect(error.status).toBe(502)
    expect(error.title).toBe('Bad Gateway')
    expect(error.errors).toEqual([])
  })

  it('reports a dropped connection as a NetworkError', async () => {
    const { api } = setup(() => {
      throw new TypeError('Failed to fetch')
    })
    await expect(unwrap(api.GET('/api/v1/me'))).rejects.toBeInstanceOf(NetworkError)
  })
})
