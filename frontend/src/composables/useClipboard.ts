import { getCurrentScope, onScopeDispose, ref } from 'vue'

/**
 * Copy text to the clipboard, with a short-lived `copied` flag for the button's label. Falls
 * back to a hidden textarea and execCommand where the async Clipboard API is unavailable
 * (plain http, older WebViews).
 */
export function useClipboard(options: { resetMs?: number } = {}) {
  const copied = ref(false)
  const failed = ref(false)
  let timer: ReturnType<typeof setTimeout> | null = null

  function legacyCopy(text: string): boolean {
    if (typeof document === 'undefined') return false
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    try {
      return typeof document.execCommand === 'function' && document.execCommand('copy')
    } catch {
      return false
    } finally {
      area.remove()
    }
  }

  async function copy(text: string): Promise<boolean> {
    let ok = false
    try {
      if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(text)
        ok = true
      } else {
        ok = legacyCopy(text)
      }
    } catch {
      ok = legacyCopy(text)
    }
    copied.value = ok
    failed.value = !ok
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(() => {
      copied.value = false
      timer = null
    }, options.resetMs ?? 3000)
    return ok
  }

  if (getCurrentScope()) onScopeDispose(() => timer !== null && clearTimeout(timer))

  return { copy, copied, failed }
}
