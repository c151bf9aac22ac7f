// The admin chunk: never downloaded by a judge or innovator (chart.js comes with it).
export { default as DashboardView } from './DashboardView.vue'
