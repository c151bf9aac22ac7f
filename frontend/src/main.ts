import './styles/tokens.css'

import { createPinia } from 'pinia'
import { createApp } from 'vue'

import { onAuthLost } from './api'
import App from './App.vue'
import { currentLocale, i18n, localeReady } from './i18n'
import { createAppRouter } from './router'
import { readTokens } from './api/tokens'
import { startEarly } from './stores/earlyStart'
import { readCachedUser, useSessionStore } from './stores/session'

// Before anything waits on /me: a judge's chunk and list start loading now (see earlyStart).
startEarly({
  path: location.pathname,
  lastUser: readCachedUser(),
  signedIn: readTokens() !== null,
  loadJudgeChunk: () => import('./views/judge'),
})

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = createAppRouter()
app.use(router)

document.documentElement.lang = currentLocale()

const session = useSessionStore(pinia)
onAuthLost(() => {
  void session.logout()
  void router.push({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } })
})
window.addEventListener('storage', (event) => {
  if (event.key === 'kipp.tokens') session.syncFromStorage()
})

// Move focus to the new page's content after navigation, for screen-reader and keyboard users.
router.afterEach((_to, from) => {
  if (from.matched.length === 0) return // first load: leave focus where the browser put it
  requestAnimationFrame(() => document.getElementById('main')?.focus())
})

// English visitors: the shell carries Indonesian only; mount once English's texts are in (their
// request runs in parallel with /me and the judge's start above).
void localeReady.then(() => app.mount('#app'))
