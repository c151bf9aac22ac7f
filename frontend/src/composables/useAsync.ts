import { shallowRef } from 'vue'

/** Server data for one screen: run `load`, keep its result, error and loading flag. */
export function useAsync<T>(load: () => Promise<T>, options: { immediate?: boolean } = {}) {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<unknown>(null)
  const loading = shallowRef(false)
  let generation = 0

  async function reload(): Promise<void> {
    const mine = ++generation // a slower earlier call must not overwrite a newer answer
    loading.value = true
    error.value = null
    try {
      const result = await load()
      if (mine === generation) data.value = result
    } catch (e) {
      if (mine === generation) error.value = e
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  if (options.immediate !== false) void reload()
  return { data, error, loading, reload }
}
