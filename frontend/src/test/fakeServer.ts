import { vi } from 'vitest'

type Handler = (request: Request) => Response | Promise<Response>

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

export function problem(status: number, title = `problem ${status}`, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail: null, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  })
}

/** Stub global fetch with a route table keyed by "METHOD /path"; unknown routes answer 404. */
export function fakeServer(routes: Record<string, Handler>) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init)
    const { pathname } = new URL(request.url)
    const handler = routes[`${request.method} ${pathname}`]
    return handler ? handler(request) : problem(404)
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}
