import { fileURLToPath, URL } from 'node:url'

import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

import { precompileMessages } from './scripts/precompileMessages.ts'
import { vueI18nStaticVue } from './scripts/vueI18nStaticVue.ts'

const backend = 'http://127.0.0.1:8000'

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // The area message files (not the index.ts that gathers them for types and tests) ship precompiled.
    precompileMessages(/\/src\/i18n\/locales\/(id|en)\/(?!index\.ts)\w+\.ts$/),
    vueI18nStaticVue(),
  ],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  define: {
    // vue-i18n: no legacy API, no devtools in production; keeps the shell small.
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    // Every component uses <script setup>: the Options API is dead weight on a judge's phone.
    __VUE_OPTIONS_API__: false,
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/readyz': backend,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
  },
})
