import { api, unwrap } from '@/api'
import type { Attachment } from '@/api'

export type Evidence = Pick<Attachment, 'id' | 'filename' | 'content_type'>

// A PDF tab keeps its copy for a while; the viewer has read it long before.
const KEEP_MS = 5 * 60_000

async function fetchBlob(innovationId: number, file: Evidence): Promise<Blob> {
  const blob = await unwrap(
    api.GET('/api/v1/innovations/{innovation_id}/attachments/{attachment_id}', {
      params: { path: { innovation_id: innovationId, attachment_id: file.id } },
      parseAs: 'blob',
    }),
  )
  // The server sends the stored, content-checked type; keep it on the copy.
  return blob.type === file.content_type ? blob : new Blob([blob], { type: file.content_type })
}

/**
 * Open one evidence file for reading. The API wants the session's token, so the file is fetched
 * and shown from a blob: copy — a PDF in a new tab (opened before the fetch, inside the tap,
 * so no pop-up blocker stops it; the browser's own viewer, which phones have and an embedded
 * frame often lacks), an image returned as an object URL for an inline <img>.
 * Returns the image URL (the caller revokes it), or null for a PDF.
 */
export async function openEvidence(innovationId: number, file: Evidence): Promise<string | null> {
  if (file.content_type !== 'application/pdf') {
    return URL.createObjectURL(await fetchBlob(innovationId, file))
  }
  const tab = window.open('', '_blank')
  try {
    const href = URL.createObjectURL(await fetchBlob(innovationId, file))
    setTimeout(() => URL.revokeObjectURL(href), KEEP_MS)
    if (tab) {
      tab.opener = null
      tab.location.href = href
    } else {
      window.location.assign(href) // pop-ups refused: read it here, Back returns
    }
    return null
  } catch (error) {
    tab?.close()
    throw error
  }
}
