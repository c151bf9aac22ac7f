import type { FieldProblem, Problem } from './types'

/** An RFC 9457 problem answered by the API (or synthesised for a non-problem error response). */
export class ApiProblem extends Error implements Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string | null
  readonly errors: FieldProblem[]
  readonly blockers: NonNullable<Problem['blockers']>
  /** The request's id (X-Request-ID): what to quote to the IT office; the server's log has it too. */
  readonly requestId: string | null

  constructor(problem: Problem) {
    super(problem.detail || problem.title)
    this.name = 'ApiProblem'
    this.type = problem.type
    this.title = problem.title
    this.status = problem.status
    this.detail = problem.detail ?? null
    this.errors = problem.errors ?? []
    this.blockers = problem.blockers ?? []
    this.requestId = problem.request_id ?? null
  }

  /** The message for one field (`"email"`, `"sections.ringkasan"` or its pointer
   * `"/sections/ringkasan"`), if the server named it. */
  fieldMessage(field: string): string | undefined {
    const pointer = dottedToPointer(field)
    return this.errors.find((e) => (e.pointer ?? dottedToPointer(e.field)) === pointer)?.message
  }

  /** Read a failed response: problem+json as sent, anything else as a plain status problem. */
  static async fromResponse(response: Response): Promise<ApiProblem> {
    const contentType = response.headers.get('content-type') ?? ''
    const requestId = response.headers.get('X-Request-ID')
    if (contentType.includes('json')) {
      try {
        const body: unknown = await response.clone().json()
        if (isProblem(body)) return new ApiProblem({ ...body, request_id: body.request_id ?? requestId })
      } catch {
        // not JSON after all: fall through to the generic problem
      }
    }
    return new ApiProblem({
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      request_id: requestId,
    })
  }
}

/** RFC 6901: a field's dotted name (`stages.3.starts_at`) as a pointer (`/stages/3/starts_at`). */
export function dottedToPointer(field: string): string {
  if (field === '' || field === 'body') return ''
  if (field.startsWith('/')) return field
  return field
    .split('.')
    .map((part) => '/' + part.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('')
}

/** The request never reached the server (offline, DNS, connection reset, CORS). */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('Network request failed', { cause })
    this.name = 'NetworkError'
  }
}

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.title === 'string' && typeof v.status === 'number'
}

export function isNetworkError(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof TypeError
}

/** The server's message for one field of a failed request, if `error` is a problem naming it. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiProblem ? error.fieldMessage(field) : undefined
}
