import { watch } from 'vue'
import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteLocationRaw,
  type RouterHistory,
} from 'vue-router'

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

  // The tab's title names the page in the UI's language, and follows a language switch.
  const setTitle = (to: RouteLocationNormalized): void => {
    if (typeof document === 'undefined') return
    const title = to.meta.title ? i18n.global.t(to.meta.title) : ''
    document.title = title ? `${title} · KIPP` : 'KIPP'
  }
  router.afterEach(setTitle)
  watch(i18n.global.locale, () => setTitle(router.currentRoute.value))

  return router
}

export { homeRouteFor, routes } from './routes'
