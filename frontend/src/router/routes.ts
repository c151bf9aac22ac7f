import type { RouteRecordRaw } from 'vue-router'

import { ORGANISING_ROLES, ROLES, type Role } from '@/api'

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
const competitionViews = () => import('@/views/competition')
const catalogueViews = () => import('@/views/catalogue')
const innovatorViews = () => import('@/views/innovator')
const judgeViews = () => import('@/views/judge')
const adminViews = () => import('@/views/admin')
const accountViews = () => import('@/views/account')
const passwordViews = () => import('@/views/password')

export const PROPOSAL_ROLES: readonly Role[] = ['innovator', 'agency_admin', 'organiser', 'admin']

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'home',
    component: () => publicViews().then((m) => m.HomeView),
    meta: { title: 'nav.home' },
  },
  {
    path: '/competitions/:id(\\d+)',
    name: 'competition',
    component: () => competitionViews().then((m) => m.CompetitionView),
    meta: { title: 'competition.timeline' },
  },
  {
    path: '/katalog',
    name: 'catalogue',
    component: () => catalogueViews().then((m) => m.CatalogueView),
    meta: { title: 'nav.catalogue' },
  },
  {
    path: '/katalog/:id(\\d+)',
    name: 'catalogue-innovation',
    component: () => catalogueViews().then((m) => m.CatalogueInnovationView),
    meta: { title: 'nav.catalogue' },
  },
  {
    path: '/login',
    name: 'login',
    component: () => publicViews().then((m) => m.LoginView),
    meta: { guestOnly: true, title: 'login.title' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => passwordViews().then((m) => m.ForgotPasswordView),
    meta: { guestOnly: true, title: 'forgot.title' },
  },
  {
    path: '/set-password',
    name: 'set-password',
    component: () => passwordViews().then((m) => m.SetPasswordView),
    meta: { title: 'setPassword.title' },
  },
  {
    path: '/innovator',
    name: 'innovator-home',
    component: () => innovatorViews().then((m) => m.ProposalsView),
    meta: { roles: PROPOSAL_ROLES, title: 'innovator.title' },
  },
  {
    path: '/innovator/competitions/:competitionId(\\d+)/new',
    name: 'innovator-new',
    component: () => innovatorViews().then((m) => m.NewProposalView),
    props: true,
    meta: { roles: PROPOSAL_ROLES, title: 'innovator.create.title' },
  },
  {
    path: '/innovator/proposals/:id(\\d+)',
    name: 'innovator-proposal',
    component: () => innovatorViews().then((m) => m.ProposalEditorView),
    props: true,
    meta: { roles: PROPOSAL_ROLES, title: 'innovator.title' },
  },
  {
    // An agency admin manages the innovator accounts of their own agency (the admin uses /admin/users).
    path: '/innovator/users',
    name: 'agency-users',
    component: () => innovatorViews().then((m) => m.AgencyUsersView),
    meta: { roles: ['agency_admin'], title: 'innovator.users.title' },
  },
  {
    path: '/judge',
    name: 'judge-home',
    component: () => judgeViews().then((m) => m.AssignmentsView),
    meta: { roles: ['judge'], title: 'judge.title' },
  },
  {
    path: '/judge/innovations/:innovationId(\\d+)',
    name: 'judge-scoring',
    component: () => judgeViews().then((m) => m.ScoringView),
    meta: { roles: ['judge'], title: 'judge.scoring.title' },
  },
  {
    path: '/admin',
    name: 'admin-home',
    component: () => adminViews().then((m) => m.DashboardView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.title' },
  },
  {
    path: '/admin/agencies',
    name: 'admin-agencies',
    component: () => adminViews().then((m) => m.AgenciesView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.agencies.title' },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => adminViews().then((m) => m.UsersView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.users.title' },
  },
  {
    path: '/admin/competitions/new',
    name: 'admin-competition-new',
    component: () => adminViews().then((m) => m.CompetitionSettingsView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.settings.newTitle' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)',
    name: 'admin-competition',
    component: () => adminViews().then((m) => m.CompetitionOverviewView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.overview.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/settings',
    name: 'admin-competition-settings',
    component: () => adminViews().then((m) => m.CompetitionSettingsView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.settings.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/review',
    name: 'admin-competition-review',
    component: () => adminViews().then((m) => m.ReviewQueueView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.review.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/schedule',
    name: 'admin-competition-schedule',
    component: () => adminViews().then((m) => m.ScheduleView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.schedule.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/ranking',
    name: 'admin-competition-ranking',
    component: () => adminViews().then((m) => m.RankingView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.ranking.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/scores',
    name: 'admin-competition-scores',
    component: () => adminViews().then((m) => m.ScoresheetsView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.scores.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/conflicts',
    name: 'admin-competition-conflicts',
    component: () => adminViews().then((m) => m.ConflictsView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.conflicts.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/nomination',
    name: 'admin-competition-nomination',
    component: () => adminViews().then((m) => m.NominationView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.nomination.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/announcement',
    name: 'admin-competition-announcement',
    component: () => adminViews().then((m) => m.AnnouncementView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.announcement.title' },
  },
  {
    path: '/admin/competitions/:cid(\\d+)/sustainability',
    name: 'admin-competition-sustainability',
    component: () => adminViews().then((m) => m.SustainabilityView),
    meta: { roles: ['admin'], title: 'admin.sustainability.title' },
  },
  {
    path: '/admin/imports',
    name: 'admin-imports',
    component: () => adminViews().then((m) => m.ImportsView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.imports.title' },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => adminViews().then((m) => m.AuditView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.audit.title' },
  },
  {
    path: '/account',
    name: 'account',
    component: () => accountViews().then((m) => m.AccountView),
    meta: { roles: ROLES, title: 'account.title' },
  },
  {
    path: '/inbox',
    name: 'inbox',
    component: () => accountViews().then((m) => m.InboxView),
    meta: { roles: ROLES, title: 'account.inbox.title' },
  },
  {
    path: '/admin/organisations',
    name: 'admin-organisations',
    component: () => adminViews().then((m) => m.OrganisationsView),
    meta: { roles: ['admin'], title: 'admin.organisations.title' },
  },
  {
    path: '/admin/outbox',
    name: 'admin-outbox',
    component: () => adminViews().then((m) => m.OutboxView),
    meta: { roles: ORGANISING_ROLES, title: 'admin.outbox.title' },
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
    case 'organiser':
      return 'admin-home'
    case 'judge':
      return 'judge-home'
    case 'agency_admin':
    case 'innovator':
      return 'innovator-home'
  }
}
