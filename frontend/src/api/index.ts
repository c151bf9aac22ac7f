import { currentLocale } from '@/i18n'

import { createApiClient } from './client'
import { clearTokens, readTokens, writeTokens } from './tokens'

const authLostHandlers = new Set<() => void>()

/** The app's one API client. Views reach the server through composables that use it. */
export const api = createApiClient({
  tokens: { read: readTokens, write: (pair) => void writeTokens(pair), clear: clearTokens },
  getLocale: currentLocale,
  onAuthLost: () => authLostHandlers.forEach((handler) => handler()),
})

/** Be told when the refresh token was refused (the session store signs out and routes to login). */
export function onAuthLost(handler: () => void): () => void {
  authLostHandlers.add(handler)
  return () => authLostHandlers.delete(handler)
}

export { ApiProblem, NetworkError, fieldError, isNetworkError } from './problem'
export { unwrap, formBody } from './client'
export type * from './types'
export {
  DEFAULT_MIN_AGE,
  ORGANISATION_LEVELS,
  ORGANISING_ROLES,
  ROLES,
  everyOne,
  isOrganisingTeam,
  oneOf,
} from './types'
