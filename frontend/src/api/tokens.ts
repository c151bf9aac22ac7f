import type { TokenPair } from './types'

/** Tokens persisted in localStorage so a reload keeps the user signed in. */
export interface StoredTokens {
  accessToken: string
  refreshToken: string
  /** epoch milliseconds */
  expiresAt: number
}

const KEY = 'kipp.tokens'

export function readTokens(): StoredTokens | null {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<StoredTokens>
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      expiresAt: Number(parsed.expiresAt) || 0,
    }
  } catch {
    return null
  }
}

export function writeTokens(pair: TokenPair, now = Date.now()): StoredTokens {
  const tokens: StoredTokens = {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: now + pair.expires_in * 1000,
  }
  localStorage.setItem(KEY, JSON.stringify(tokens))
  return tokens
}

export function clearTokens(): void {
  localStorage.removeItem(KEY)
}
