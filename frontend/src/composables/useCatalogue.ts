import type { LocationQuery, LocationQueryRaw } from 'vue-router'

import { api, unwrap, type CatalogueQuery } from '@/api'

import { useAsync } from './useAsync'

/** Results per page: a phone shows them in a few screens. */
export const PAGE_SIZE = 20

export const LEVELS = ['kabupaten', 'kota', 'provinsi', 'kementerian', 'nasional'] as const
export const SUSTAINABILITY = ['running', 'stopped', 'unreported'] as const
export const AWARDS = ['winner', 'nominee', 'honourable_mention', 'promoted'] as const
export const SORTS = ['relevance', 'newest', 'title'] as const

/**
 * A catalogue search as the page holds it; the address bar holds the same (`?q=…&year=…&page=2`),
 * so a search can be shared, bookmarked and gone back to.
 */
export interface CatalogueFilters {
  q: string
  organisation: string
  level: '' | (typeof LEVELS)[number]
  agency: string
  year: string
  status: '' | (typeof SUSTAINABILITY)[number]
  award: '' | (typeof AWARDS)[number]
  sort: '' | (typeof SORTS)[number]
  page: number
}

export const NO_FILTERS: CatalogueFilters = {
  q: '',
  organisation: '',
  level: '',
  agency: '',
  year: '',
  status: '',
  award: '',
  sort: '',
  page: 1,
}

function text(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : ''
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): '' | T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : ''
}

/** The filters an address names; anything unknown or malformed is left out, not sent. */
export function filtersFromRoute(query: LocationQuery): CatalogueFilters {
  const page = Number.parseInt(text(query.page), 10)
  const year = text(query.year)
  return {
    q: text(query.q),
    organisation: text(query.organisation),
    level: oneOf(text(query.level), LEVELS),
    agency: text(query.agency),
    year: /^\d{4}$/.test(year) ? year : '',
    status: oneOf(text(query.status), SUSTAINABILITY),
    award: oneOf(text(query.award), AWARDS),
    sort: oneOf(text(query.sort), SORTS),
    page: Number.isFinite(page) && page > 1 ? page : 1,
  }
}

/** The address's query for `filters`: only what is set, page 1 left out. */
export function routeFromFilters(filters: CatalogueFilters): LocationQueryRaw {
  const out: LocationQueryRaw = {}
  for (const key of ['q', 'organisation', 'level', 'agency', 'year', 'status', 'award', 'sort'] as const) {
    const value = filters[key].trim()
    if (value) out[key] = key === 'q' ? filters.q : value
  }
  if (filters.page > 1) out.page = String(filters.page)
  return out
}

/** The API's query string for `filters` (relevance needs words: dropped without them). */
export function apiQuery(filters: CatalogueFilters): CatalogueQuery {
  const query: CatalogueQuery = { limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE }
  if (filters.q.trim()) query.q = filters.q
  if (filters.organisation.trim()) query.organisation = filters.organisation.trim()
  if (filters.level) query.level = filters.level
  if (filters.agency.trim()) query.agency = filters.agency.trim()
  if (filters.year) query.year = Number(filters.year)
  if (filters.status) query.status = filters.status
  if (filters.award) query.award = filters.award
  if (filters.sort && (filters.sort !== 'relevance' || query.q)) query.sort = filters.sort
  return query
}

/** Whether any filter besides the words and the page is set. */
export function hasFilters(filters: CatalogueFilters): boolean {
  return Boolean(
    filters.organisation || filters.level || filters.agency || filters.year || filters.status || filters.award,
  )
}

/** The pages of a result: how many, and which results this one shows (1-based, for people). */
export function pageInfo(total: number, page: number, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / size))
  const first = total === 0 ? 0 : (page - 1) * size + 1
  return { pages, first, last: Math.min(total, page * size), hasPrevious: page > 1, hasNext: page < pages }
}

/** One page of the catalogue for the filters `filters()` gives (reload when they change). */
export function useCatalogueSearch(filters: () => CatalogueFilters) {
  return useAsync(() => unwrap(api.GET('/api/v1/public/catalogue', { params: { query: apiQuery(filters()) } })))
}

/** One innovation's public page. */
export function useCatalogueInnovation(innovationId: () => number) {
  return useAsync(() =>
    unwrap(
      api.GET('/api/v1/public/innovations/{innovation_id}', { params: { path: { innovation_id: innovationId() } } }),
    ),
  )
}
