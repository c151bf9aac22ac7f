import { describe, expect, it } from 'vitest'

import { emptyReplicationForm, replicationBody } from './useReplications'

describe('the replication form', () => {
  it('leaves out what is empty, so the server fills the adopter and checks the name', () => {
    expect(replicationBody(emptyReplicationForm())).toEqual({ changes: '' })
  })

  it('sends trimmed names and the start date', () => {
    expect(
      replicationBody({
        adopter: ' Puskesmas Bone ',
        name: ' Hypnogreen ',
        started_on: '2025-02-01',
        changes: 'Ditambah terapi musik.',
      }),
    ).toEqual({
      adopter: 'Puskesmas Bone',
      name: 'Hypnogreen',
      started_on: '2025-02-01',
      changes: 'Ditambah terapi musik.',
    })
  })
})
