import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** Where a sideways-scrolling box stands: is there more to see on either side? */
export function scrollEdges(box: Pick<HTMLElement, 'scrollLeft' | 'scrollWidth' | 'clientWidth'>) {
  const slack = 1 // sub-pixel widths must not leave a cue showing at the very end
  return {
    moreBefore: box.scrollLeft > slack,
    moreAfter: box.scrollLeft + box.clientWidth < box.scrollWidth - slack,
  }
}

/** The scrollLeft that brings `item` fully into view inside `box`, or null when it already is. */
export function scrollTargetFor(
  box: Pick<HTMLElement, 'scrollLeft' | 'clientWidth'>,
  item: Pick<HTMLElement, 'offsetLeft' | 'offsetWidth'>,
  margin = 52, // clear of the arrow over the edge
): number | null {
  const left = item.offsetLeft
  const right = left + item.offsetWidth
  if (left - margin < box.scrollLeft) return Math.max(0, left - margin)
  if (right + margin > box.scrollLeft + box.clientWidth) return right + margin - box.clientWidth
  return null
}

/**
 * Track whether a horizontally scrolling element has more content before or after what shows,
 * so the screen can draw a cue (fade and arrow) on that side; `page(±1)` scrolls by most of a
 * screen width and `reveal(selector)` brings the matching child (the current tab) into view.
 */
export function useScrollEdges(el: Ref<HTMLElement | null>) {
  const moreBefore = ref(false)
  const moreAfter = ref(false)
  let observer: ResizeObserver | null = null

  function update(): void {
    const box = el.value
    if (!box) return
    const edges = scrollEdges(box)
    moreBefore.value = edges.moreBefore
    moreAfter.value = edges.moreAfter
  }

  function page(direction: 1 | -1): void {
    const box = el.value
    if (!box) return
    box.scrollBy({ left: direction * Math.max(80, box.clientWidth * 0.7), behavior: 'smooth' })
  }

  function reveal(selector: string): void {
    const box = el.value
    const item = box?.querySelector<HTMLElement>(selector)
    if (!box || !item) return
    const target = scrollTargetFor(box, item)
    if (target !== null) box.scrollLeft = target
    update()
  }

  onMounted(() => {
    el.value?.addEventListener('scroll', update, { passive: true })
    if (typeof ResizeObserver !== 'undefined' && el.value) {
      observer = new ResizeObserver(update)
      observer.observe(el.value)
    }
    update()
  })
  onBeforeUnmount(() => {
    el.value?.removeEventListener('scroll', update)
    observer?.disconnect()
  })

  return { moreBefore, moreAfter, update, page, reveal }
}
