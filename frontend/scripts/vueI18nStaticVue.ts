// Vite plugin: vue-i18n 11 reads `Vue[key]` through `import * as Vue from 'vue'` to find the
// current component instance (Vue 3.6 exports `currentInstance`, 3.5 does not). A namespace read
// with a computed key keeps every export of Vue in the bundle: hydration, Suspense, KeepAlive,
// Teleport, Transition, custom elements... ~30 KB of JS in the shell that the app never uses.
// On a Vue without `currentInstance` that function always returns `Vue.getCurrentInstance()`, so
// the build says so directly and the bundler can drop the rest. The build fails if vue-i18n's
// code no longer has the expected shape while it still imports the whole namespace (look again).
import * as vue from 'vue'
import type { Plugin } from 'vite'

const NAMESPACE_IMPORT = "import * as Vue from 'vue';"
const DYNAMIC_LOOKUP =
  /const key = 'currentInstance';\s*if \(key in Vue\) \{\s*return Vue\[key\];\s*\}\s*else \{\s*return Vue\.getCurrentInstance\(\);\s*\}/

export function vueI18nStaticVue(): Plugin {
  return {
    name: 'kipp:vue-i18n-static-vue',
    apply: 'build',
    transform(code, id) {
      if (!/\/node_modules\/vue-i18n\/dist\/[^/]+\.mjs$/.test(id) || !code.includes(NAMESPACE_IMPORT)) return null
      if ('currentInstance' in vue) return null // a Vue that has it: vue-i18n's lookup is needed
      if (!DYNAMIC_LOOKUP.test(code))
        this.error(`${id}: vue-i18n's getCurrentInstance changed; update scripts/vueI18nStaticVue.ts`)
      return { code: code.replace(DYNAMIC_LOOKUP, 'return Vue.getCurrentInstance();'), map: null }
    },
  }
}
