import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import { writeTokens } from '@/api/tokens'
import { fakeServer, json } from '@/test/fakeServer'

import { startEarly, takeJudgeStart } from './earlyStart'
import { useSessionStore } from './session'

const JUDGE = {
  id: 7,
  email: 'juri@luwuutarakab.go.id',
  full_name: 'Juri Tujuh',
  role: 'judge',
  agency_id: 3,
  organisation_id: 1,
  locale: 'id',
} as const
const PAGE = { items: [{ innovation_id: 11, competition_id: 1, title: 'Gersipah' }], total: 1 }
const PAIR = { access_token: 'acc', token_type: 'bearer', expires_in: 900, refresh_token: 'ref' }

/** A server whose answers wait until released, recording the order requests arrived in. */
function slowServer() {
  const arrived: string[] = []
  const release: Array<() => void> = []
  const answer = (path: string, body: unknown) => () => {
    arrived.push(path)
    return new Promise<Response>((resolve) => release.push(() => resolve(json(body))))
  }
  fakeServer({
    'GET /api/v1/me': answer('/me', JUDGE),
    'GET /api/v1/me/assignments': answer('/me/assignments', PAGE),
    'GET /api/v1/competitions': answer('/competitions', { items: [], total: 0 }),
  })
  return { arrived, releaseAll: () => release.splice(0).forEach((go) => go()) }
}

describe('early start (a judge on a slow connection)', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
    takeJudgeStart(-1) // nothing left over from another test
    writeTokens(PAIR)
  })

  it('asks for the judge chunk and the list in parallel with /me, before /me answers', async () => {
    const server = slowServer()
    const loadJudgeChunk = vi.fn(() => Promise.resolve({}))
    const started = startEarly({ path: '/judge', lastUser: JUDGE, signedIn: true, loadJudgeChunk })
    const me = useSessionStore().ensureUser()
    await vi.waitFor(() => expect(server.arrived).toHaveLength(3))

    expect(started).toBe(true)
    expect(loadJudgeChunk).toHaveBeenCalledOnce()
    // All three are in flight at once: none waited for another's answer.
    expect(new Set(server.arrived)).toEqual(new Set(['/me', '/me/assignments', '/competitions']))
    server.releaseAll()
    expect((await me)?.id).toBe(7)
    const early = takeJudgeStart(7)
    expect(await early?.assignments).toEqual(PAGE)
    expect(await early?.competitions).toEqual([])
    expect(takeJudgeStart(7)).toBeNull() // used once
  })

  it('discards what was started when /me names someone else', async () => {
    const server = slowServer()
    startEarly({
      path: '/judge',
      lastUser: { ...JUDGE, id: 99 },
      signedIn: true,
      loadJudgeChunk: () => Promise.resolve(),
    })
    const me = useSessionStore().ensureUser()
    server.releaseAll()
    await vi.waitFor(() => expect(server.arrived).toContain('/me'))
    server.releaseAll()
    expect((await me)?.id).toBe(7)
    expect(takeJudgeStart(99)).toBeNull()
  })

  it('does nothing for a device without a judge, when signed out, or off the judge pages', () => {
    const fetch = fakeServer({})
    const loadJudgeChunk = vi.fn(() => Promise.resolve())
    const admin = { ...JUDGE, role: 'admin' } as const
    expect(startEarly({ path: '/judge', lastUser: admin, signedIn: true, loadJudgeChunk })).toBe(false)
    expect(startEarly({ path: '/judge', lastUser: null, signedIn: true, loadJudgeChunk })).toBe(false)
    expect(startEarly({ path: '/judge', lastUser: JUDGE, signedIn: false, loadJudgeChunk })).toBe(false)
    expect(startEarly({ path: '/admin', lastUser: JUDGE, signedIn: true, loadJudgeChunk })).toBe(false)
    expect(loadJudgeChunk).not.toHaveBeenCalled()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('on a score page loads only the chunk (the screen asks for its own data)', () => {
    const fetch = fakeServer({})
    const loadJudgeChunk = vi.fn(() => Promise.resolve())
    expect(startEarly({ path: '/judge/innovations/11', lastUser: JUDGE, signedIn: true, loadJudgeChunk })).toBe(true)
    expect(loadJudgeChunk).toHaveBeenCalledOnce()
    expect(fetch).not.toHaveBeenCalled()
    expect(takeJudgeStart(7)).toBeNull()
  })
})
