// The innovator chunk (also agency admins and admins): loaded only on an innovator route.
export { default as ProposalsView } from './ProposalsView.vue'
