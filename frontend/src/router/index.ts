import { createRouter, createWebHistory, type RouteLocationRaw, type RouterHistory } from 'vue-router'

import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'

import { homeRouteFor, routes } from './routes'

/** The app router; tests pass a memory history. Needs an active Pinia. */
export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })

  router.beforeEach(async (to): Promise<boolean | RouteLocationRaw> => {
    const { roles, guestOnly } = to.meta
    if (!roles && !guestOnly) return true
    const session = useSessionStore()
    const user = await session.ensureUser()
    if (guestOnly) return user ? { name: homeRouteFor(user.role) } : true
    if (!user) return { name: 'login', query: { redirect: to.fullPath } }
    if (roles && !roles.includes(user.role)) return { name: homeRouteFor(user.role) }
    return true
  })

  router.afterEach((to) => {
    if (typeof document === 'undefined') return
    const title = to.meta.title ? i18n.global.t(to.meta.title) : ''
    document.title = title ? `${title} · KIPP` : 'KIPP'
  })

  return router
}

export { homeRouteFor, routes } from './routes'
