/**
 * Hand-typed stand-in for the generated `schema.d.ts`, in openapi-typescript's shape, covering
 * only what the first screens call. When `npm run gen:api` has produced `schema.d.ts`, this file
 * becomes re-exports:
 *
 *   export type { paths, components } from './schema'
 *   export type Me = components['schemas']['Me']   // …and so on, no hand-written DTOs
 */

export type Role = 'admin' | 'agency_admin' | 'judge' | 'innovator'

export type StageKey = 'submission' | 'administrative' | 'presentation' | 'nomination' | 'announcement'

export interface TokenPair {
  access_token: string
  token_type: string
  expires_in: number
  refresh_token: string
}

export interface Me {
  id: number
  email: string
  full_name: string
  role: Role
  agency_id: number | null
}

export interface DemoLogin {
  email: string
  password: string
  role: Role
  full_name: string
}

export interface Stage {
  key: StageKey
  name: string
  starts_at: string
  ends_at: string
}

export interface CompetitionSummary {
  id: number
  name: string
  year: number
  level: string
  region: string
  timezone: string
  top_n: number
  published: boolean
  current_stage: StageKey
  stages: Stage[]
}

export interface FieldProblem {
  field: string
  message: string
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string | null
  errors?: FieldProblem[] | null
  blockers?: Record<string, unknown>[] | null
}

export interface Page<T> {
  items: T[]
  total: number
}

type Json<T> = { content: { 'application/json': T } }
type ProblemResponse = { content: { 'application/problem+json': Problem } }

export interface paths {
  '/api/v1/auth/token': {
    post: {
      requestBody: {
        content: { 'application/x-www-form-urlencoded': { username: string; password: string } }
      }
      responses: { 200: Json<TokenPair>; 401: ProblemResponse; 422: ProblemResponse }
    }
  }
  '/api/v1/auth/refresh': {
    post: {
      requestBody: { content: { 'application/json': { refresh_token: string } } }
      responses: { 200: Json<TokenPair>; 401: ProblemResponse }
    }
  }
  '/api/v1/me': {
    get: { responses: { 200: Json<Me>; 401: ProblemResponse } }
  }
  '/api/v1/demo-logins': {
    get: { responses: { 200: Json<{ items: DemoLogin[] }>; 404: ProblemResponse } }
  }
  '/api/v1/competitions': {
    get: {
      parameters: { query?: { limit?: number; offset?: number } }
      responses: { 200: Json<Page<CompetitionSummary>> }
    }
  }
}
