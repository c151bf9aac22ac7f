// The innovator chunk (also agency admins and admins): loaded only on an innovator route.
import { addMessages } from '@/i18n'
import en from '@/i18n/locales/en/innovator'
import id from '@/i18n/locales/id/innovator'

addMessages({ id, en }) // this area's texts travel with its screens

export { default as ProposalsView } from './ProposalsView.vue'
export { default as NewProposalView } from './NewProposalView.vue'
export { default as ProposalEditorView } from './ProposalEditorView.vue'
export { default as AgencyUsersView } from './AgencyUsersView.vue'
