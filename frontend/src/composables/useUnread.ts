import { ref } from 'vue'

import { api } from '@/api'

/** The signed-in user's unread notifications: one count shared by the bell and the inbox. */
export const unreadCount = ref(0)

/** Ask the server for the count (the bell polls this); a failure keeps the last count. */
export async function refreshUnread(): Promise<void> {
  const { data } = await api.GET('/api/v1/me/notifications', { params: { query: { limit: 1 } } })
  if (data) unreadCount.value = data.unread
}
