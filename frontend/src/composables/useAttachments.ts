import { reactive, toValue, type MaybeRefOrGetter } from 'vue'

import { api, unwrap, type Attachment } from '@/api'
import { readTokens } from '@/api/tokens'

import { useAsync } from './useAsync'
import { UploadAborted, uploadWithProgress } from './useUpload'

export interface UploadItem {
  id: number
  name: string
  size: number
  /** 0..1 */
  progress: number
  state: 'uploading' | 'done' | 'failed'
  error: unknown
  controller: AbortController
}

/** Ask the API client for a fresh access token (its middleware refreshes on a 401). */
async function refreshAccessToken(): Promise<boolean> {
  const before = readTokens()?.accessToken
  try {
    await unwrap(api.GET('/api/v1/me'))
  } catch {
    return false
  }
  const after = readTokens()?.accessToken
  return !!after && after !== before
}

let nextUploadId = 1

/**
 * A proposal's evidence files: the list, uploads with progress (one after another, so a slow
 * connection is not split between them), download through the authenticated client, delete.
 */
export function useAttachments(innovationId: MaybeRefOrGetter<number>, onChange?: () => void) {
  const list = useAsync(async () => {
    const page = await unwrap(
      api.GET('/api/v1/innovations/{innovation_id}/attachments', {
        params: { path: { innovation_id: toValue(innovationId) }, query: { limit: 500 } },
      }),
    )
    return page.items
  })
  const uploads = reactive<UploadItem[]>([])
  let chain: Promise<void> = Promise.resolve()

  function uploadOne(item: UploadItem, file: File): Promise<void> {
    const url = `/api/v1/innovations/${toValue(innovationId)}/attachments`
    return uploadWithProgress<Attachment>(url, file, {
      signal: item.controller.signal,
      refresh: refreshAccessToken,
      onProgress: (fraction) => {
        item.progress = fraction
      },
    })
      .then(() => {
        item.state = 'done'
        item.progress = 1
        const index = uploads.indexOf(item)
        if (index >= 0) uploads.splice(index, 1) // it now shows in the list
        onChange?.()
        return list.reload()
      })
      .catch((error: unknown) => {
        if (error instanceof UploadAborted) {
          const index = uploads.indexOf(item)
          if (index >= 0) uploads.splice(index, 1)
          return
        }
        item.state = 'failed'
        item.error = error
      })
  }

  /** Queue files for upload; resolves when every one of them has finished or failed. */
  function upload(files: Iterable<File>): Promise<void> {
    for (const file of files) {
      const item = reactive<UploadItem>({
        id: nextUploadId++,
        name: file.name,
        size: file.size,
        progress: 0,
        state: 'uploading',
        error: null,
        controller: new AbortController(),
      })
      uploads.push(item)
      chain = chain.then(() => uploadOne(item, file))
    }
    return chain
  }

  function cancel(item: UploadItem): void {
    item.controller.abort()
  }

  function dismiss(item: UploadItem): void {
    const index = uploads.indexOf(item)
    if (index >= 0) uploads.splice(index, 1)
  }

  /** Fetch the file with the session's token and hand it to the browser as a download. */
  async function download(attachment: Attachment): Promise<void> {
    const blob = await unwrap(
      api.GET('/api/v1/innovations/{innovation_id}/attachments/{attachment_id}', {
        params: { path: { innovation_id: toValue(innovationId), attachment_id: attachment.id } },
        parseAs: 'blob',
      }),
    )
    const href = URL.createObjectURL(blob)
    const link = document.createElement('a')
    link.href = href
    link.download = attachment.filename
    document.body.appendChild(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(href), 60_000)
  }

  async function remove(attachment: Attachment): Promise<void> {
    await unwrap(
      api.DELETE('/api/v1/innovations/{innovation_id}/attachments/{attachment_id}', {
        params: { path: { innovation_id: toValue(innovationId), attachment_id: attachment.id } },
      }),
    )
    onChange?.()
    await list.reload()
  }

  return { ...list, uploads, upload, cancel, dismiss, download, remove }
}
