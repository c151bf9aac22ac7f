// ESLint flat config: Vue 3 + TypeScript, type-aware; formatting is Prettier's job, so the rules
// that would fight it are switched off last (skipFormatting).
import pluginVue from 'eslint-plugin-vue'
import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'
import skipFormatting from '@vue/eslint-config-prettier/skip-formatting'

export default defineConfigWithVueTs(
  {
    name: 'kipp/files',
    files: ['**/*.{ts,mts,tsx,vue}'],
  },
  {
    name: 'kipp/ignores',
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/api/schema.d.ts'],
  },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommendedTypeChecked,
  {
    name: 'kipp/rules',
    rules: {
      // Unused variables are mistakes, except a deliberately ignored `_name`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Type-only imports stay type-only (erased from the judge's bundle).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
      'vue/component-api-style': ['error', ['script-setup']],
      'vue/no-unused-refs': 'error',
      'vue/no-useless-v-bind': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `const { t } = useI18n()` and Pinia/vue-router helpers are closures, not `this` methods:
      // the rule cannot tell and would flag every component.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    name: 'kipp/tests',
    files: ['src/**/*.spec.ts', 'src/test/**'],
    rules: {
      // Specs assert on elements they just found: `find(...)!` is the readable form there.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Fakes keep the async signature of what they replace, awaiting nothing themselves.
      '@typescript-eslint/require-await': 'off',
    },
  },
  skipFormatting,
)
