// The judge chunk: everything a judge's phone needs beyond the shell, in one request.
export { default as AssignmentsView } from './AssignmentsView.vue'
