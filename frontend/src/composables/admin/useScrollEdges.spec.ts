import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'

import { scrollEdges, scrollTargetFor, useScrollEdges } from './useScrollEdges'

describe('scrollEdges', () => {
  it('sees nothing hidden when everything fits', () => {
    expect(scrollEdges({ scrollLeft: 0, clientWidth: 300, scrollWidth: 300 })).toEqual({
      moreBefore: false,
      moreAfter: false,
    })
  })
  it('sees more after at the start of a wide row', () => {
    expect(scrollEdges({ scrollLeft: 0, clientWidth: 300, scrollWidth: 800 })).toEqual({
      moreBefore: false,
      moreAfter: true,
    })
  })
  it('sees both sides in the middle and only before at the end (sub-pixel slack)', () => {
    expect(scrollEdges({ scrollLeft: 200, clientWidth: 300, scrollWidth: 800 })).toEqual({
      moreBefore: true,
      moreAfter: true,
    })
    expect(scrollEdges({ scrollLeft: 499.5, clientWidth: 300, scrollWidth: 800 })).toEqual({
      moreBefore: true,
      moreAfter: false,
    })
  })
})

describe('scrollTargetFor', () => {
  const box = { scrollLeft: 0, clientWidth: 300 }
  it('leaves an item in view where it is', () => {
    expect(scrollTargetFor(box, { offsetLeft: 100, offsetWidth: 80 })).toBeNull()
  })
  it('scrolls right far enough to show an item past the edge, with a margin', () => {
    expect(scrollTargetFor(box, { offsetLeft: 400, offsetWidth: 100 })).toBe(400 + 100 + 52 - 300)
  })
  it('scrolls back to an item before the visible part, never below 0', () => {
    expect(scrollTargetFor({ scrollLeft: 300, clientWidth: 300 }, { offsetLeft: 120, offsetWidth: 80 })).toBe(68)
    expect(scrollTargetFor({ scrollLeft: 300, clientWidth: 300 }, { offsetLeft: 10, offsetWidth: 80 })).toBe(0)
  })
})

describe('useScrollEdges', () => {
  it('follows the element as it scrolls', async () => {
    let edges: ReturnType<typeof useScrollEdges> | null = null
    const Box = defineComponent({
      setup() {
        const el = ref<HTMLElement | null>(null)
        edges = useScrollEdges(el)
        return () => h('div', { ref: el }, [h('a', { class: 'current' }, 'x')])
      },
    })
    const wrapper = mount(Box, { attachTo: document.body })
    const box = wrapper.element as HTMLElement
    Object.defineProperty(box, 'clientWidth', { value: 300, configurable: true })
    Object.defineProperty(box, 'scrollWidth', { value: 900, configurable: true })
    edges!.update()
    expect(edges!.moreBefore.value).toBe(false)
    expect(edges!.moreAfter.value).toBe(true)
    box.scrollLeft = 600
    box.dispatchEvent(new Event('scroll'))
    await nextTick()
    expect(edges!.moreBefore.value).toBe(true)
    expect(edges!.moreAfter.value).toBe(false)
    wrapper.unmount()
  })
})
