import { computed, ref, toValue, watch, type MaybeRefOrGetter } from 'vue'

import { api, unwrap, type Role, type User } from '@/api'

import { useAsync } from './useAsync'

export interface UserFilters {
  role?: Role
  agency_id?: number
}

/**
 * One page of accounts from GET /api/v1/users, as the server scopes them: everyone for the
 * organising team, the innovators of their own agency for an agency admin. A change of filters
 * goes back to the first page.
 */
export function useUserPage(filters: MaybeRefOrGetter<UserFilters> = {}, pageSize = 50) {
  const offset = ref(0)
  const users = useAsync(() =>
    unwrap(
      api.GET('/api/v1/users', { params: { query: { ...toValue(filters), limit: pageSize, offset: offset.value } } }),
    ),
  )
  watch(
    () => JSON.stringify(toValue(filters)),
    () => {
      offset.value = 0
      void users.reload()
    },
  )

  function goTo(newOffset: number): void {
    offset.value = Math.max(0, newOffset)
    void users.reload()
  }

  /** "1–50 of 120" for the list; null while empty or loading. */
  const range = computed(() => {
    const data = users.data.value
    if (!data || data.total === 0) return null
    return { from: offset.value + 1, to: offset.value + data.items.length, total: data.total }
  })
  const hasPrevious = computed(() => offset.value > 0)
  const hasNext = computed(() => !!range.value && range.value.to < range.value.total)

  return { ...users, offset, pageSize, range, hasPrevious, hasNext, goTo }
}

/** One page of accounts with its paging, as `useUserPage` returns it. */
export type UserPage = ReturnType<typeof useUserPage>

/** Deactivate (every token refused at once) or reactivate an account. */
export function setUserActive(user: Pick<User, 'id'>, isActive: boolean): Promise<User> {
  return unwrap(
    api.PATCH('/api/v1/users/{user_id}', { params: { path: { user_id: user.id } }, body: { is_active: isActive } }),
  )
}
