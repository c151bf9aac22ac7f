// One chunk per role: the router imports this module lazily, so its screens travel together.
export { default as HomeView } from './HomeView.vue'
export { default as LoginView } from './LoginView.vue'
export { default as NotFoundView } from './NotFoundView.vue'
