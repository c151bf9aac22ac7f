import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { ref } from 'vue'

import { fakeServer, json, problem } from '@/test/fakeServer'

import {
  NO_FILTERS,
  apiQuery,
  filtersFromRoute,
  hasFilters,
  pageInfo,
  routeFromFilters,
  useCatalogueInnovation,
  useCatalogueSearch,
  type CatalogueFilters,
} from './useCatalogue'

describe('the catalogue search', () => {
  it('reads the filters from the address, leaving out what is unknown or malformed', () => {
    expect(
      filtersFromRoute({
        q: 'kesehatan ibu',
        organisation: 'luwu-utara',
        level: 'desa',
        year: '20x1',
        status: 'running',
        award: ['winner', 'nominee'],
        sort: 'shuffle',
        page: '3',
      }),
    ).toEqual({
      ...NO_FILTERS,
      q: 'kesehatan ibu',
      organisation: 'luwu-utara',
      status: 'running',
      award: 'winner',
      page: 3,
    })
    expect(filtersFromRoute({ page: '-2', year: '2023' })).toEqual({ ...NO_FILTERS, year: '2023' })
    expect(filtersFromRoute({ award: 'promoted' })).toEqual({ ...NO_FILTERS, award: 'promoted' })
  })

  it('writes only what is set into the address, and reads it back the same', () => {
    const filters = { ...NO_FILTERS, q: 'anc hipno', level: 'provinsi' as const, page: 2 }
    const route = routeFromFilters(filters)
    expect(route).toEqual({ q: 'anc hipno', level: 'provinsi', page: '2' })
    expect(filtersFromRoute(route as Record<string, string>)).toEqual(filters)
    expect(routeFromFilters(NO_FILTERS)).toEqual({})
  })

  it('asks the API for one page, keeping the trailing space that ends a word', () => {
    expect(apiQuery({ ...NO_FILTERS, q: 'kesehatan ', year: '2022', agency: ' dinkes ', page: 3 })).toEqual({
      q: 'kesehatan ',
      year: 2022,
      agency: 'dinkes',
      limit: 20,
      offset: 40,
    })
    expect(apiQuery({ ...NO_FILTERS, sort: 'relevance' })).toEqual({ limit: 20, offset: 0 })
    expect(apiQuery({ ...NO_FILTERS, q: 'ibu', sort: 'relevance' }).sort).toBe('relevance')
    expect(apiQuery({ ...NO_FILTERS, sort: 'title', award: 'honourable_mention' })).toMatchObject({
      sort: 'title',
      award: 'honourable_mention',
    })
  })

  it('tells filters from words', () => {
    expect(hasFilters({ ...NO_FILTERS, q: 'ibu', page: 4 })).toBe(false)
    expect(hasFilters({ ...NO_FILTERS, status: 'unreported' })).toBe(true)
  })

  it('counts pages and the results a page shows', () => {
    expect(pageInfo(0, 1)).toEqual({ pages: 1, first: 0, last: 0, hasPrevious: false, hasNext: false })
    expect(pageInfo(45, 1)).toEqual({ pages: 3, first: 1, last: 20, hasPrevious: false, hasNext: true })
    expect(pageInfo(45, 3)).toEqual({ pages: 3, first: 41, last: 45, hasPrevious: true, hasNext: false })
  })
})

describe('useCatalogueSearch', () => {
  it('asks for the page the filters name, and again when they change', async () => {
    const queries: string[] = []
    fakeServer({
      'GET /api/v1/public/catalogue': (request) => {
        const query = new URL(request.url).searchParams
        queries.push(query.toString())
        return json({ items: [], total: 41, limit: 20, offset: Number(query.get('offset')), sort: 'newest' })
      },
    })
    const filters = ref<CatalogueFilters>({ ...NO_FILTERS, q: 'ibu hamil', level: 'provinsi' })
    const search = useCatalogueSearch(() => filters.value)
    await flushPromises()
    expect(search.data.value?.total).toBe(41)
    filters.value = { ...filters.value, page: 3 }
    await search.reload()
    expect(queries).toEqual([
      'limit=20&offset=0&q=ibu+hamil&level=provinsi',
      'limit=20&offset=40&q=ibu+hamil&level=provinsi',
    ])
  })

  it('reads one innovation, and keeps the 404 of one outside the catalogue as an error', async () => {
    fakeServer({
      'GET /api/v1/public/innovations/7': () => problem(404, 'Not found'),
    })
    const page = useCatalogueInnovation(() => 7)
    await flushPromises()
    expect(page.data.value).toBeNull()
    expect(page.error.value).toMatchObject({ status: 404 })
  })
})
