import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'

import { i18n, setLocale } from '@/i18n'

import LinksField from './LinksField.vue'

function mountField(initial: string[], errors: Record<number, string> = {}) {
  const links = ref(initial)
  const Host = defineComponent({
    setup: () => () =>
      h(LinksField, { modelValue: links.value, 'onUpdate:modelValue': (v: string[]) => (links.value = v), errors }),
  })
  const wrapper = mount(Host, { global: { plugins: [i18n] }, attachTo: document.body })
  return { wrapper, links }
}

describe('LinksField', () => {
  beforeEach(() => {
    setLocale('id')
    document.body.innerHTML = ''
  })

  it('labels each link and adds one with the cursor in it', async () => {
    const { wrapper, links } = mountField(['https://a.go.id'])
    expect(wrapper.find('legend').text()).toContain('Tautan lain')
    expect(wrapper.find('label').text()).toBe('Tautan 1')
    await wrapper
      .findAll('button')
      .find((b) => b.text().includes('Tambah tautan'))!
      .trigger('click')
    await nextTick()
    expect(links.value).toEqual(['https://a.go.id', ''])
    expect(document.activeElement).toBe(wrapper.findAll('input')[1]!.element)
    await wrapper.findAll('input')[1]!.setValue('https://b.go.id')
    expect(links.value).toEqual(['https://a.go.id', 'https://b.go.id'])
  })

  it('says beside a link that it is not one, and shows the server’s message by index', async () => {
    const { wrapper } = mountField(['www.a.go.id', 'https://b.go.id'], { 1: 'too long' })
    const inputs = wrapper.findAll('input')
    expect(inputs[0]!.attributes('aria-invalid')).toBe('true')
    const describedBy = inputs[0]!.attributes('aria-describedby')!
    expect(document.getElementById(describedBy)!.textContent).toContain('Tautan harus diawali http://')
    expect(wrapper.findAll('.field-error')[1]!.text()).toBe('too long')
  })

  it('removes a link by its labelled button and keeps focus in the list', async () => {
    const { wrapper, links } = mountField(['https://a.go.id', 'https://b.go.id'])
    const remove = wrapper.find('button[aria-label="Hapus tautan 1"]')
    await remove.trigger('click')
    await nextTick()
    expect(links.value).toEqual(['https://b.go.id'])
    expect(document.activeElement).toBe(wrapper.find('input').element)
    await wrapper.find('button[aria-label="Hapus tautan 1"]').trigger('click')
    await nextTick()
    expect(links.value).toEqual([])
    expect(document.activeElement?.textContent).toContain('Tambah tautan')
  })

  it('stops at 20 links', () => {
    const { wrapper } = mountField(Array.from({ length: 20 }, (_, i) => `https://x.id/${i}`))
    expect(
      wrapper
        .findAll('button')
        .find((b) => b.text().includes('Tambah tautan'))!
        .attributes('disabled'),
    ).toBeDefined()
  })
})
