import { api, unwrap, type Competition, type Me, type components } from '@/api'

type AssignmentPage = components['schemas']['AssignmentPage']

/** What the judge's list needs, asked for before /me has answered. */
export interface JudgeStart {
  userId: number
  assignments: Promise<AssignmentPage>
  /** Only for the scoring windows; null when they could not be read. */
  competitions: Promise<Competition[] | null>
}

let judgeStart: JudgeStart | null = null

/**
 * At page load, do not wait for /me to start what the screen will need. When this device's
 * last user (kept by the session store) was a judge and a judge page is opening, load the
 * judge chunk now and, for the list, ask for its data too — all in parallel with /me. The
 * session store discards the data if /me names someone else; the guard still decides the route.
 * Returns whether anything was started.
 */
export function startEarly(options: {
  path: string
  lastUser: Me | null
  signedIn: boolean
  loadJudgeChunk: () => Promise<unknown>
}): boolean {
  const { path, lastUser, signedIn } = options
  if (!signedIn || lastUser?.role !== 'judge' || !(path === '/judge' || path.startsWith('/judge/'))) return false
  void options.loadJudgeChunk().catch(() => undefined) // the router reports a failed chunk itself
  if (path === '/judge' || path === '/judge/') {
    const assignments = unwrap(api.GET('/api/v1/me/assignments'))
    assignments.catch(() => undefined) // taken (and reported) by the list, or discarded
    judgeStart = {
      userId: lastUser.id,
      assignments,
      competitions: unwrap(api.GET('/api/v1/competitions', { params: { query: { limit: 100 } } })).then(
        (page) => page.items,
        () => null,
      ),
    }
  }
  return true
}

/** The list's early requests, once, if they were made for this user. */
export function takeJudgeStart(userId: number): JudgeStart | null {
  const started = judgeStart
  judgeStart = null
  return started && started.userId === userId ? started : null
}

/** /me named another user (or nobody): what was started for the last one is not theirs. */
export function discardEarly(me: Me | null): void {
  if (judgeStart && (me?.role !== 'judge' || me.id !== judgeStart.userId)) judgeStart = null
}
