import type { RouteRecordRaw } from 'vue-router'

import { ROLES, type Role } from '@/api'

declare module 'vue-router' {
  interface RouteMeta {
    /** Who may open the route; absent = public. */
    roles?: readonly Role[]
    /** Only for visitors who are not signed in (the login page). */
    guestOnly?: boolean
    /** i18n key of the page title. */
    title?: string
  }
}

// Screens are imported lazily through one module per role (views/<role>/index.ts), so the
// bundle has one chunk per role and a judge's phone never downloads the admin screens.
const publicViews = () => import('@/views/public')
const innovatorViews = () => import('@/views/innovator')
const judgeViews = () => import('@/views/judge')
const adminViews = () => import('@/views/admin')
const accountViews = () => import('@/views/account')

export const PROPOSAL_ROLES: readonly Role[] = ['innovator', 'agency_admin', 'admin']

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'home',
    component: () => publicViews().then((m) => m.HomeView),
    meta: { title: 'nav.home' },
  },
  {
    path: '/login',
    name: 'login',
    component: () => publicViews().then((m) => m.LoginView),
    meta: { guestOnly: true, title: 'login.title' },
  },
  {
    path: '/innovator',
    name: 'innovator-home',
    component: () => innovatorViews().then((m) => m.ProposalsView),
    meta: { roles: PROPOSAL_ROLES, title: 'innovator.title' },
  },
  {
    path: '/judge',
    name: 'judge-home',
    component: () => judgeViews().then((m) => m.AssignmentsView),
    meta: { roles: ['judge'], title: 'judge.title' },
  },
  {
    path: '/admin',
    name: 'admin-home',
    component: () => adminViews().then((m) => m.DashboardView),
    meta: { roles: ['admin'], title: 'admin.title' },
  },
  {
    path: '/admin/agencies',
    name: 'admin-agencies',
    component: () => adminViews().then((m) => m.AgenciesView),
    meta: { roles: ['admin'], title: 'admin.agencies.title' },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => adminViews().then((m) => m.UsersView),
    meta: { roles: ['admin'], title: 'admin.users.title' },
  },
  {
    path: '/account',
    name: 'account',
    component: () => accountViews().then((m) => m.AccountView),
    meta: { roles: ROLES, title: 'account.title' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => publicViews().then((m) => m.NotFoundView),
    meta: { title: 'notFound.title' },
  },
]

/** Where a user lands after signing in. */
export function homeRouteFor(role: Role): string {
  switch (role) {
    case 'admin':
      return 'admin-home'
    case 'judge':
      return 'judge-home'
    case 'agency_admin':
    case 'innovator':
      return 'innovator-home'
  }
}
