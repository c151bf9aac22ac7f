// The admin chunk: never downloaded by a judge or innovator. chart.js is a chunk of its own,
// loaded by the chart components when they first render (components/admin/chartjs.ts).
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/admin'
import id from '@/i18n/locales/id/admin'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as DashboardView } from './DashboardView.vue'
export { default as AgenciesView } from './AgenciesView.vue'
export { default as UsersView } from './UsersView.vue'
export { default as CompetitionOverviewView } from './CompetitionOverviewView.vue'
export { default as CompetitionSettingsView } from './CompetitionSettingsView.vue'
export { default as ReviewQueueView } from './ReviewQueueView.vue'
export { default as RankingView } from './RankingView.vue'
export { default as ScoresheetsView } from './ScoresheetsView.vue'
export { default as ConflictsView } from './ConflictsView.vue'
export { default as NominationView } from './NominationView.vue'
export { default as AnnouncementView } from './AnnouncementView.vue'
export { default as ScheduleView } from './ScheduleView.vue'
export { default as SustainabilityView } from './SustainabilityView.vue'
export { default as ImportsView } from './ImportsView.vue'
export { default as AuditView } from './AuditView.vue'
export { default as OutboxView } from './OutboxView.vue'
export { default as OrganisationsView } from './OrganisationsView.vue'
