import createClient, { type Middleware } from 'openapi-fetch'

import { ApiProblem, NetworkError, isProblem } from './problem'
import type { StoredTokens } from './tokens'
import type { TokenPair, paths } from './types'

export const TOKEN_PATH = '/api/v1/auth/token'
export const REFRESH_PATH = '/api/v1/auth/refresh'

export interface TokenStore {
  read(): StoredTokens | null
  write(pair: TokenPair): void
  clear(): void
}

export interface ApiClientOptions {
  /** '' in the browser: the SPA is served by the API's own origin (or Vite's proxy). */
  baseUrl?: string
  fetch?: (request: Request) => Promise<Response>
  tokens: TokenStore
  /** The UI locale (`id`, `en`), sent as Accept-Language so problem titles come translated. */
  getLocale: () => string
  /** Called once the refresh token is refused: the session is over. */
  onAuthLost?: () => void
}

export function acceptLanguage(locale: string): string {
  return locale === 'en' ? 'en, id;q=0.5' : 'id, en;q=0.5'
}

function isAuthPath(url: string): boolean {
  const { pathname } = new URL(url, 'http://x')
  return pathname === TOKEN_PATH || pathname === REFRESH_PATH
}

function bearerOf(request: Request): string | null {
  const header = request.headers.get('Authorization')
  return header?.startsWith('Bearer ') ? header.slice(7) : null
}

/**
 * The typed API client: openapi-fetch plus one middleware that authenticates, localises,
 * refreshes an expired access token once (then retries the request), and throws every
 * failed response as an {@link ApiProblem} (a dropped connection as a {@link NetworkError}).
 * A call that returns has therefore succeeded; read its `data`.
 */
export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  const { tokens } = options
  // Requests are cloned before they are sent so that a 401 can be retried with their body.
  const retryCopies = new WeakMap<Request, Request>()
  let refreshing: Promise<boolean> | null = null

  async function exchangeRefreshToken(rejectedAccessToken: string): Promise<boolean> {
    const current = tokens.read()
    if (!current) return false
    // Another tab (or an earlier call) already refreshed: spending the old refresh token
    // again would make the server revoke the whole token family.
    if (current.accessToken !== rejectedAccessToken) return true
    let response: Response
    try {
      response = await doFetch(
        new Request(`${baseUrl}${REFRESH_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refresh_token: current.refreshToken }),
        }),
      )
    } catch {
      return false // offline: keep the tokens, the caller sees the original 401
    }
    if (!response.ok) {
      if (response.status === 400 || response.status === 401 || response.status === 403) {
        tokens.clear()
        options.onAuthLost?.()
      }
      return false
    }
    // A plain fetch (the typed client would run this middleware again): its body is the spec's
    // TokenOut, which a 200 from this endpoint always is.
    tokens.write((await response.json()) as TokenPair)
    return true
  }

  function refreshOnce(rejectedAccessToken: string): Promise<boolean> {
    if (!refreshing) {
      const run = () => exchangeRefreshToken(rejectedAccessToken)
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
      // Serialise refreshes across tabs where the browser allows it.
      const attempt = locks ? locks.request('kipp-token-refresh', run).then((granted) => granted) : run()
      refreshing = attempt.finally(() => {
        refreshing = null
      })
    }
    return refreshing
  }

  const middleware: Middleware = {
    onRequest({ request }) {
      request.headers.set('Accept-Language', acceptLanguage(options.getLocale()))
      if (!request.headers.has('Accept')) {
        request.headers.set('Accept', 'application/json, application/problem+json')
      }
      if (isAuthPath(request.url)) return undefined
      const current = tokens.read()
      if (current && !request.headers.has('Authorization')) {
        request.headers.set('Authorization', `Bearer ${current.accessToken}`)
      }
      if (bearerOf(request)) retryCopies.set(request, request.clone())
      return undefined
    },

    async onResponse({ request, response }) {
      let result = response
      const copy = retryCopies.get(request)
      retryCopies.delete(request)
      const sent = bearerOf(request)
      if (response.status === 401 && copy && sent && (await refreshOnce(sent))) {
        const fresh = tokens.read()
        if (fresh) {
          copy.headers.set('Authorization', `Bearer ${fresh.accessToken}`)
          try {
            result = await doFetch(copy)
          } catch (error) {
            throw new NetworkError(error)
          }
        }
      }
      if (!result.ok) throw await ApiProblem.fromResponse(result)
      return result === response ? undefined : result
    },

    onError({ error }) {
      // fetch() rejects with a TypeError when the request never got an answer.
      if (error instanceof TypeError) return new NetworkError(error)
      return undefined
    },
  }

  const client = createClient<paths>({ baseUrl, fetch: doFetch })
  client.use(middleware)
  return client
}

export type ApiClient = ReturnType<typeof createApiClient>

/**
 * The data of a call through {@link createApiClient}. The middleware has already thrown any
 * failure, so this only guards against a client built without it.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok) {
    throw isProblem(error)
      ? new ApiProblem(error)
      : new ApiProblem({ type: 'about:blank', title: response.statusText, status: response.status })
  }
  // openapi-fetch leaves `data` undefined only for an empty body (204): T is then void-like.
  return data as T
}

/** Body serializer for the OAuth2 password form: fields left null or undefined are not sent. */
export function formBody(body: Record<string, string | null | undefined>): URLSearchParams {
  const form = new URLSearchParams()
  for (const [key, value] of Object.entries(body)) {
    if (value != null) form.append(key, value)
  }
  return form
}
