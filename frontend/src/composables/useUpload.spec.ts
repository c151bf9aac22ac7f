import { describe, expect, it, vi } from 'vitest'

import { ApiProblem, NetworkError } from '@/api/problem'

import { UploadAborted, uploadWithProgress } from './useUpload'

/** Just enough of XMLHttpRequest to drive the upload from a test. */
class FakeXhr {
  static sent: FakeXhr[] = []
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: FormData | null = null
  status = 0
  statusText = ''
  responseText = ''
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  ontimeout: (() => void) | null = null
  onabort: (() => void) | null = null

  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }
  send(body: FormData) {
    this.body = body
    FakeXhr.sent.push(this)
  }
  abort() {
    this.onabort?.()
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total })
  }
  respond(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

const file = () => new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'sk-bupati.pdf', { type: 'application/pdf' })
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function options(extra: Record<string, unknown> = {}) {
  FakeXhr.sent = []
  return {
    createRequest: () => new FakeXhr() as unknown as XMLHttpRequest,
    getToken: () => 'access-1',
    ...extra,
  }
}

describe('uploadWithProgress', () => {
  it('posts the file as multipart with the token and reports progress', async () => {
    const onProgress = vi.fn()
    const done = uploadWithProgress<{ id: number }>(
      '/api/v1/innovations/7/attachments',
      file(),
      options({ onProgress }),
    )
    const xhr = FakeXhr.sent[0]!
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/v1/innovations/7/attachments')
    expect(xhr.headers.Authorization).toBe('Bearer access-1')
    expect(xhr.headers['Accept-Language']).toMatch(/^id/)
    expect((xhr.body?.get('file') as File).name).toBe('sk-bupati.pdf')
    xhr.progress(25, 100)
    xhr.progress(100, 100)
    xhr.respond(201, { id: 5 })
    await expect(done).resolves.toEqual({ id: 5 })
    expect(onProgress.mock.calls.map(([f]) => f)).toEqual([0.25, 1, 1])
  })

  it('rejects with the problem the server sent (413, 415)', async () => {
    const done = uploadWithProgress('/x', file(), options())
    FakeXhr.sent[0]!.respond(415, {
      type: 'https://kipp.example/problems/unsupported-media-type',
      title: 'Jenis berkas tidak didukung',
      status: 415,
    })
    const error = await done.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiProblem)
    expect((error as ApiProblem).status).toBe(415)
    expect((error as ApiProblem).title).toBe('Jenis berkas tidak didukung')
  })

  it('refreshes an expired token once and sends the file again', async () => {
    let token = 'old'
    const refresh = vi.fn(async () => {
      token = 'new'
      return true
    })
    const done = uploadWithProgress('/x', file(), options({ refresh, getToken: () => token }))
    FakeXhr.sent[0]!.respond(401, { title: 'Unauthorized', status: 401 })
    await settle()
    expect(refresh).toHaveBeenCalledTimes(1)
    const retry = FakeXhr.sent[1]!
    expect(retry.headers.Authorization).toBe('Bearer new')
    retry.respond(201, { id: 6 })
    await expect(done).resolves.toEqual({ id: 6 })
  })

  it('says so when the connection drops or the user cancels', async () => {
    const dropped = uploadWithProgress('/x', file(), options())
    FakeXhr.sent[0]!.onerror?.()
    await expect(dropped).rejects.toBeInstanceOf(NetworkError)

    const controller = new AbortController()
    const cancelled = uploadWithProgress('/x', file(), options({ signal: controller.signal }))
    controller.abort()
    await expect(cancelled).rejects.toBeInstanceOf(UploadAborted)
  })
})
