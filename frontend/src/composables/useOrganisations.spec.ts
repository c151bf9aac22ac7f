import { describe, expect, it } from 'vitest'

import { ORGANISATION_LEVELS, isOrganisingTeam } from '@/api'
import { homeRouteFor } from '@/router/routes'

import {
  competitionQuery,
  filterFromQuery,
  inOwnOrganisation,
  organisationLabel,
  ownOrganisation,
} from './useOrganisations'

describe('organisations', () => {
  it('scopes everyone but the platform admin to their own organisation', () => {
    expect(ownOrganisation({ role: 'admin', organisation_id: 1 })).toBeUndefined()
    expect(ownOrganisation({ role: 'organiser', organisation_id: 2 })).toBe(2)
    expect(ownOrganisation({ role: 'innovator', organisation_id: 3 })).toBe(3)
    expect(ownOrganisation(null)).toBeUndefined()
  })

  it('proposes only in competitions of the own organisation', () => {
    const innovator = { role: 'innovator', organisation_id: 2 } as const
    expect(inOwnOrganisation({ organisation_id: 2 }, innovator)).toBe(true)
    expect(inOwnOrganisation({ organisation_id: 1 }, innovator)).toBe(false)
    expect(inOwnOrganisation({ organisation_id: 1 }, { role: 'admin', organisation_id: 2 })).toBe(true)
  })

  it('treats the organiser as the organising team, with the admin screens', () => {
    expect(isOrganisingTeam('organiser')).toBe(true)
    expect(isOrganisingTeam('admin')).toBe(true)
    expect(isOrganisingTeam('agency_admin')).toBe(false)
    expect(isOrganisingTeam(null)).toBe(false)
    expect(homeRouteFor('organiser')).toBe('admin-home')
  })

  it('sends only the filters that are chosen, and reads them back from the address', () => {
    expect(competitionQuery({ organisation: '', level: '' }, { limit: 50 })).toEqual({ limit: 50 })
    expect(competitionQuery({ organisation: 'luwu-utara', level: 'kabupaten' }, { limit: 50 })).toEqual({
      limit: 50,
      organisation: 'luwu-utara',
      level: 'kabupaten',
    })
    expect(filterFromQuery({ organisation: 'sulsel', level: 'provinsi' }, ORGANISATION_LEVELS)).toEqual({
      organisation: 'sulsel',
      level: 'provinsi',
    })
    expect(filterFromQuery({ level: 'desa', organisation: ['x'] }, ORGANISATION_LEVELS)).toEqual({
      organisation: '',
      level: '',
    })
  })

  it('names the organisation in the header when it is known', () => {
    const organisation = { id: 1, slug: 'luwu-utara', name: 'Pemerintah Kabupaten Luwu Utara', level: 'kabupaten' }
    expect(organisationLabel({ organisation })).toBe('Pemerintah Kabupaten Luwu Utara')
    expect(organisationLabel({ organisation: null })).toBe('')
    expect(organisationLabel(null)).toBe('')
  })
})
