import { describe, expect, it } from 'vitest'

import { axisLabel } from './axisLabel'

describe('axisLabel', () => {
  it('keeps a short label whole', () => {
    expect(axisLabel('Kepala DPMPTSP', 300)).toBe('Kepala DPMPTSP')
  })

  it('shortens long labels more on a phone than on a wide screen', () => {
    const name = 'Kepala Dinas Pendidikan dan Kebudayaan'
    expect(axisLabel(name, 300)).toBe('Kepala Dinas Pend…')
    expect(axisLabel(name, 300)).toHaveLength(18)
    expect(axisLabel(name, 900)).toBe('Kepala Dinas Pendidikan…')
    expect(axisLabel(name, 900, 22)).toHaveLength(22)
  })
})
