import { beforeEach, describe, expect, it } from 'vitest'

import { fakeServer, json, problem } from '@/test/fakeServer'

import { importFormatOf, refusalOf, runImport } from './imports'

describe('runImport', () => {
  let sent: { url: string; type: string | null; body: string }[]
  beforeEach(() => {
    sent = []
  })

  function record(answer: () => Response) {
    return async (request: Request) => {
      sent.push({ url: request.url, type: request.headers.get('content-type'), body: await request.text() })
      return answer()
    }
  }

  it('sends a CSV file as text/csv with dry_run and returns the report', async () => {
    const report = { created: 1, updated: 0, unchanged: 9, errors: [], dry_run: true }
    fakeServer({ 'POST /api/v1/imports/agencies': record(() => json(report)) })
    const outcome = await runImport(
      'agencies',
      { name: 'agencies.csv', format: 'csv', text: 'code,name\nDLH,Dinas LH\n' },
      { dryRun: true },
    )
    expect(outcome).toEqual({ refused: false, counts: { created: 1, updated: 0, unchanged: 9 }, errors: [] })
    expect(sent[0]!.url).toContain('dry_run=true')
    expect(sent[0]!.type).toBe('text/csv')
    expect(sent[0]!.body).toBe('code,name\nDLH,Dinas LH\n')
  })

  it('sends JSON as JSON to the competition’s innovations import', async () => {
    fakeServer({
      'POST /api/v1/competitions/3/imports/innovations': record(() =>
        json({ created: 1, updated: 0, unchanged: 0, errors: [], dry_run: false }),
      ),
    })
    await runImport(
      'innovations',
      { name: 'i.json', format: 'json', text: '[{"external_ref":"A1"}]' },
      { dryRun: false, competitionId: 3 },
    )
    expect(sent[0]!.type).toBe('application/json')
    expect(JSON.parse(sent[0]!.body)).toEqual([{ external_ref: 'A1' }])
  })

  it('shows a dry run that found errors as refused, with the valid rows’ counts', async () => {
    const errors = [{ row: 3, field: 'role', code: 'enum', message: 'unknown role' }]
    fakeServer({
      'POST /api/v1/imports/users': () => json({ created: 2, updated: 1, unchanged: 0, errors, dry_run: true }),
    })
    const outcome = await runImport('users', { name: 'u.csv', format: 'csv', text: 'email\n' }, { dryRun: true })
    expect(outcome).toEqual({ refused: true, counts: { created: 2, updated: 1, unchanged: 0 }, errors })
  })

  it('reads the counts and the rows to fix from the raw body of a refused file (422)', async () => {
    const errors = [
      { row: 1, field: 'name', code: 'missing', message: 'required' },
      { row: 2, field: 'code', code: 'missing', message: 'required' },
    ]
    fakeServer({
      'POST /api/v1/imports/users': () =>
        problem(422, 'Berkas ditolak', { errors, created: 4, updated: 1, unchanged: 7, dry_run: false }),
    })
    const outcome = await runImport('users', { name: 'u.csv', format: 'csv', text: 'email\n' }, { dryRun: false })
    expect(outcome).toEqual({ refused: true, counts: { created: 4, updated: 1, unchanged: 7 }, errors })
  })

  it('still lists the rows when a refusal comes without counts', async () => {
    const errors = [{ row: 0, field: 'body', code: 'csv_invalid', message: 'not CSV' }]
    fakeServer({ 'POST /api/v1/imports/agencies': () => problem(422, 'Berkas ditolak', { errors }) })
    const outcome = await runImport('agencies', { name: 'a.csv', format: 'csv', text: '\u0000' }, { dryRun: false })
    expect(outcome).toEqual({ refused: true, counts: null, errors })
  })

  it('lets a 422 that names no rows through as a problem', async () => {
    fakeServer({
      'POST /api/v1/imports/agencies': () =>
        problem(422, 'Permintaan tidak valid', { errors: [{ field: 'dry_run', message: 'not a boolean' }] }),
    })
    await expect(
      runImport('agencies', { name: 'a.csv', format: 'csv', text: '' }, { dryRun: true }),
    ).rejects.toMatchObject({ status: 422 })
  })

  it('reads only well-formed refusal bodies', () => {
    expect(refusalOf(null)).toBeNull()
    expect(refusalOf({ errors: 'x' })).toBeNull()
    expect(refusalOf({ errors: [{ row: -1, field: 'a', message: 'b' }] })).toBeNull()
    expect(refusalOf({ errors: [], created: 1, updated: 2, unchanged: 3 })).toEqual({
      counts: { created: 1, updated: 2, unchanged: 3 },
      errors: [],
    })
    expect(refusalOf({ errors: [], created: 1, updated: '2', unchanged: 3 })).toEqual({ counts: null, errors: [] })
  })

  it('lets any other failure through', async () => {
    fakeServer({ 'POST /api/v1/imports/users': () => problem(403, 'Dilarang') })
    await expect(
      runImport('users', { name: 'u.csv', format: 'csv', text: '' }, { dryRun: true }),
    ).rejects.toMatchObject({ status: 403 })
  })

  it('tells JSON from CSV by name or type', () => {
    expect(importFormatOf('data.JSON', '')).toBe('json')
    expect(importFormatOf('data', 'application/json')).toBe('json')
    expect(importFormatOf('agencies.csv', 'text/csv')).toBe('csv')
  })
})
