import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'

import { i18n, setLocale } from '@/i18n'

import ScoreScale from './ScoreScale.vue'

const KEBARUAN = {
  key: 'kebaruan',
  name: 'Kebaruan',
  description: 'Seberapa baru gagasannya',
  low_means: 'Meniru praktik umum',
  high_means: 'Belum pernah ada',
  weight: 25,
  min_score: 1,
  max_score: 10,
}

function mountScale(props: Record<string, unknown> = {}) {
  return mount(ScoreScale, {
    props: { criterion: KEBARUAN, modelValue: undefined, ...props },
    global: { plugins: [i18n] },
  })
}

describe('ScoreScale', () => {
  beforeEach(() => setLocale('id'))

  it('is a labelled group of one radio per step of the scale', () => {
    const wrapper = mountScale()
    expect(wrapper.find('legend').text()).toContain('Kebaruan')
    expect(wrapper.find('legend').text()).toContain('bobot 25%')
    const radios = wrapper.findAll('input[type="radio"]')
    expect(radios.map((r) => (r.element as HTMLInputElement).value)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ])
    for (const radio of radios) {
      expect(wrapper.find(`label[for="${radio.attributes('id')}"]`).text()).toBe(radio.attributes('value'))
    }
    // One group: the browser moves between them with the arrow keys.
    expect(new Set(radios.map((r) => r.attributes('name'))).size).toBe(1)
    const [describedBy] = (wrapper.find('fieldset').attributes('aria-describedby') ?? '').split(' ')
    const description = wrapper.find(`#${describedBy}`)
    expect(description.text()).toContain('Seberapa baru gagasannya')
    expect(description.text()).toContain('Skala 1 (terendah) sampai 10 (tertinggi)')
  })

  it('wraps 1..10 into two even rows of five on a phone and one row on a wide screen', () => {
    const style = mountScale().find('.scale').attributes('style')
    expect(style).toContain('--cols: 5')
    expect(style).toContain('--cols-wide: 10')
    const five = mountScale({ criterion: { ...KEBARUAN, min_score: 1, max_score: 5 } })
      .find('.scale')
      .attributes('style')
    expect(five).toContain('--cols: 5')
  })

  it('checks the current score and emits the tapped one', async () => {
    const wrapper = mountScale({ modelValue: 7 })
    expect((wrapper.find('input[value="7"]').element as HTMLInputElement).checked).toBe(true)
    await wrapper.find('input[value="9"]').setValue(true)
    expect(wrapper.emitted('update:modelValue')).toEqual([[9]])
  })

  it('is read-only when disabled', () => {
    const wrapper = mountScale({ modelValue: 3, disabled: true })
    expect(wrapper.findAll('input').every((input) => (input.element as HTMLInputElement).disabled)).toBe(true)
  })

  it('says what the low and the high end of the scale mean, and links them to the group', () => {
    const wrapper = mountScale()
    const ends = wrapper.find('dl.ends')
    expect(ends.text()).toContain('Meniru praktik umum')
    expect(ends.text()).toContain('Belum pernah ada')
    expect(ends.findAll('dt').map((dt) => dt.text())).toEqual(['1', '10'])
    const described = wrapper.find('fieldset').attributes('aria-describedby') ?? ''
    expect(described.split(' ')).toContain(ends.attributes('id'))
  })

  it('shows no meanings when the rubric sets none', () => {
    const wrapper = mountScale({ criterion: { ...KEBARUAN, low_means: '', high_means: '' } })
    expect(wrapper.find('dl.ends').exists()).toBe(false)
    expect(wrapper.find('fieldset').attributes('aria-describedby')?.split(' ')).toHaveLength(1)
  })
})
