import { describe, expect, it } from 'vitest'

import { useNominationPick } from './useNominationPick'

describe('useNominationPick', () => {
  it('prefills the TOP N in order and keeps the lists apart', () => {
    const pick = useNominationPick(
      () => 3,
      () => 2,
    )
    pick.reset([17, 7, 5, 18], [5, 19, 9, 1])
    expect(pick.top.value).toEqual([17, 7, 5])
    expect(pick.honourable.value).toEqual([19, 9])
    expect(pick.isComplete.value).toBe(true)
  })

  it('moves up and down within a list and refuses past either end', () => {
    const pick = useNominationPick(
      () => 3,
      () => 1,
    )
    pick.reset([1, 2, 3])
    expect(pick.move(3, -1)).toBe(true)
    expect(pick.top.value).toEqual([1, 3, 2])
    expect(pick.move(1, -1)).toBe(false)
    expect(pick.move(2, 1)).toBe(false)
    expect(pick.placeOf(3)).toEqual({ list: 'top', position: 2 })
  })

  it('swaps an innovation between the lists and refuses a full list', () => {
    const pick = useNominationPick(
      () => 2,
      () => 1,
    )
    pick.reset([1, 2], [3])
    expect(pick.add('top', 4)).toBe(false)
    pick.remove(2)
    expect(pick.isComplete.value).toBe(false)
    expect(pick.add('top', 3)).toBe(true)
    expect(pick.top.value).toEqual([1, 3])
    expect(pick.honourable.value).toEqual([])
    expect(pick.add('honourable', 2)).toBe(true)
    expect(pick.placeOf(2)).toEqual({ list: 'honourable', position: 1 })
    expect(pick.placeOf(99)).toBeNull()
  })
})
