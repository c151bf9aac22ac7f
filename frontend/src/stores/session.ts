import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

import { api, formBody, isNetworkError, unwrap, type Me, type Role } from '@/api'
import { clearTokens, readTokens, writeTokens, type StoredTokens } from '@/api/tokens'

import { discardEarly } from './earlyStart'

const ME_KEY = 'kipp.me'

/** The user this device last saw signed in (from the last /me answer), if any. */
export function readCachedUser(): Me | null {
  try {
    const raw = localStorage.getItem(ME_KEY)
    // Written by setUser from a /me answer (same origin, same app): read back as it was stored.
    return raw ? (JSON.parse(raw) as Me) : null
  } catch {
    return null
  }
}

/** Who is signed in. The only Pinia store: server data lives in composables. */
export const useSessionStore = defineStore('session', () => {
  const tokens = shallowRef<StoredTokens | null>(readTokens())
  const user = ref<Me | null>(null)
  let loadingUser: Promise<Me | null> | null = null

  const isAuthenticated = computed(() => tokens.value !== null)
  const role = computed<Role | null>(() => user.value?.role ?? null)

  function setUser(me: Me | null): void {
    discardEarly(me)
    user.value = me
    if (me) localStorage.setItem(ME_KEY, JSON.stringify(me))
    else localStorage.removeItem(ME_KEY)
  }

  /** Exchange e-mail and password for tokens (OAuth2 password form), then load /me. */
  async function login(email: string, password: string): Promise<Me> {
    const pair = await unwrap(
      api.POST('/api/v1/auth/token', {
        body: { username: email.trim(), password, scope: '' },
        bodySerializer: formBody,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    )
    tokens.value = writeTokens(pair)
    const me = await unwrap(api.GET('/api/v1/me'))
    setUser(me)
    return me
  }

  /**
   * The signed-in user, loaded once per page load. On a dropped connection the last known
   * user is used so a judge can keep working; a refused token signs out.
   */
  function ensureUser(): Promise<Me | null> {
    if (!tokens.value) return Promise.resolve(null)
    if (user.value) return Promise.resolve(user.value)
    loadingUser ??= unwrap(api.GET('/api/v1/me'))
      .then((me) => {
        setUser(me)
        return me
      })
      .catch((error: unknown) => {
        if (isNetworkError(error)) {
          user.value = readCachedUser()
          return user.value
        }
        void logout()
        return null
      })
      .finally(() => {
        loadingUser = null
      })
    return loadingUser
  }

  /**
   * End the session: forget it on this device at once, then ask the server to revoke the
   * refresh token (and every token refreshed from it). The server call is best effort: offline
   * or refused, the device is signed out all the same.
   */
  async function logout(): Promise<void> {
    // Stored tokens, not the store's copy: after a refused refresh the client has cleared them
    // already, and there is nothing left to revoke.
    const refreshToken = readTokens()?.refreshToken ?? null
    clearTokens()
    tokens.value = null
    setUser(null)
    if (!refreshToken) return
    try {
      await api.POST('/api/v1/auth/logout', { body: { refresh_token: refreshToken } })
    } catch {
      // Offline or refused: the token expires on its own; nothing to tell the user.
    }
  }

  /** Pick up a sign-in or sign-out made in another tab. */
  function syncFromStorage(): void {
    tokens.value = readTokens()
    if (!tokens.value) user.value = null
  }

  return { tokens, user, isAuthenticated, role, login, ensureUser, logout, syncFromStorage }
})
