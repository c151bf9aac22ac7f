import { acceptLanguage } from '@/api/client'
import { ApiProblem, NetworkError, isProblem } from '@/api/problem'
import { readTokens } from '@/api/tokens'
import { currentLocale } from '@/i18n'

export interface UploadOptions {
  /** Form field name of the file (the API's multipart body calls it `file`). */
  field?: string
  /** Called with 0..1 as the browser sends the body. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
  /** Refresh an expired access token (answer true when there is a new one to retry with). */
  refresh?: () => Promise<boolean>
  /** For tests. */
  createRequest?: () => XMLHttpRequest
  getToken?: () => string | null
}

export class UploadAborted extends Error {
  constructor() {
    super('Upload cancelled')
    this.name = 'UploadAborted'
  }
}

function parseProblem(xhr: XMLHttpRequest): ApiProblem {
  try {
    const body: unknown = JSON.parse(xhr.responseText)
    if (isProblem(body)) return new ApiProblem(body)
  } catch {
    // not JSON: a proxy answered
  }
  return new ApiProblem({ type: 'about:blank', title: xhr.statusText || `HTTP ${xhr.status}`, status: xhr.status })
}

function sendOnce<T>(
  url: string,
  file: File,
  options: UploadOptions,
): Promise<{ status: number; body: T | null; problem: ApiProblem | null }> {
  return new Promise((resolve, reject) => {
    const xhr = options.createRequest ? options.createRequest() : new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
    xhr.setRequestHeader('Accept-Language', acceptLanguage(currentLocale()))
    const token = options.getToken ? options.getToken() : (readTokens()?.accessToken ?? null)
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1)
        let body: T | null = null
        try {
          body = JSON.parse(xhr.responseText) as T
        } catch {
          body = null
        }
        resolve({ status: xhr.status, body, problem: null })
      } else {
        resolve({ status: xhr.status, body: null, problem: parseProblem(xhr) })
      }
    }
    xhr.onerror = () => reject(new NetworkError())
    xhr.ontimeout = () => reject(new NetworkError())
    xhr.onabort = () => reject(new UploadAborted())
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new UploadAborted())
        return
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true })
    }
    const form = new FormData()
    form.append(options.field ?? 'file', file, file.name)
    xhr.send(form)
  })
}

/**
 * POST a file as multipart/form-data with upload progress. fetch() cannot report upload
 * progress, so this uses XMLHttpRequest with the same headers as the API client; an expired
 * access token is refreshed once through `refresh` and the upload retried.
 * Resolves with the parsed JSON answer; rejects with an ApiProblem, a NetworkError or UploadAborted.
 */
export async function uploadWithProgress<T>(url: string, file: File, options: UploadOptions = {}): Promise<T> {
  let answer = await sendOnce<T>(url, file, options)
  if (answer.status === 401 && options.refresh && (await options.refresh())) {
    options.onProgress?.(0)
    answer = await sendOnce<T>(url, file, options)
  }
  if (answer.problem) throw answer.problem
  return answer.body as T
}
