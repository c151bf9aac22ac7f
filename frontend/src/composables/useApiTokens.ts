import { api, unwrap, type ApiToken, type ApiTokenCreated } from '@/api'

import { useAsync } from './useAsync'

/**
 * The signed-in user's personal access tokens. `create` answers the secret once; it is never
 * listed again, so the caller shows it straight away.
 */
export function useApiTokens() {
  const state = useAsync(() => unwrap(api.GET('/api/v1/me/api-tokens')))

  async function create(name: string, expiresAt: string | null): Promise<ApiTokenCreated> {
    const created = await unwrap(
      api.POST('/api/v1/me/api-tokens', { body: { name: name.trim(), expires_at: expiresAt } }),
    )
    await state.reload()
    return created
  }

  async function revoke(token: ApiToken): Promise<void> {
    await unwrap(api.DELETE('/api/v1/me/api-tokens/{token_id}', { params: { path: { token_id: token.id } } }))
    await state.reload()
  }

  return { ...state, create, revoke }
}

/**
 * The end of the chosen day (23:59:59) in the browser's zone, as ISO 8601 with an offset, or
 * null when no date was chosen. `<input type="date">` gives `YYYY-MM-DD`.
 */
export function endOfDay(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null
  const local = new Date(`${date}T23:59:59`)
  return Number.isNaN(local.getTime()) ? null : local.toISOString()
}
