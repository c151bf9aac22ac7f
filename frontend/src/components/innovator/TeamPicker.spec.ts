import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'

import { writeTokens } from '@/api/tokens'
import { i18n, setLocale } from '@/i18n'
import { fakeServer, json } from '@/test/fakeServer'

import TeamPicker from './TeamPicker.vue'

const user = (id: number, full_name: string, agency_id: number, is_active = true) => ({
  id,
  email: `u${id}@x.id`,
  full_name,
  role: 'innovator',
  agency_id,
  agency_code: `OPD${agency_id}`,
  is_active,
  created_at: '2021-01-01T00:00:00Z',
})

function server() {
  const queries: string[] = []
  fakeServer({
    'GET /api/v1/users': (request) => {
      const params = new URL(request.url).searchParams
      queries.push(params.toString())
      const agency = params.get('agency_id')
      const all = [user(5, 'Wati', 3), user(6, 'Budi', 3), user(7, 'Nonaktif', 3, false), user(8, 'Lain', 4)]
      const items = agency ? all.filter((u) => u.agency_id === Number(agency)) : all.filter((u) => u.agency_id === 3)
      return json({ items, total: items.length })
    },
  })
  return queries
}

function mountPicker(agencyId: number | null | undefined) {
  const chosen = ref<number[]>([])
  const agency = ref(agencyId)
  const Host = defineComponent({
    setup: () => () =>
      h(TeamPicker, { modelValue: chosen.value, 'onUpdate:modelValue': (v: number[]) => (chosen.value = v), agencyId: agency.value, selfIncluded: true }),
  })
  const wrapper = mount(Host, { global: { plugins: [i18n] } })
  return { wrapper, chosen, agency }
}

describe('TeamPicker', () => {
  beforeEach(() => {
    setLocale('id')
    writeTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
  })

  it("lists the active innovators the server scopes to the agency admin's agency", async () => {
    const queries = server()
    const { wrapper, chosen } = mountPicker(null)
    await flushPromises()
    expect(queries[0]).toBe('role=innovator&limit=500')
    expect(wrapper.findAll('label').map((l) => l.text())).toEqual(['Budi u6@x.id', 'Wati u5@x.id'])
    expect(wrapper.text()).toContain('Anda sendiri selalu masuk tim.')
    await wrapper.findAll('input')[1]!.setValue(true)
    await wrapper.findAll('input')[0]!.setValue(true)
    expect(chosen.value).toEqual([5, 6])
    await wrapper.findAll('input')[1]!.setValue(false)
    expect(chosen.value).toEqual([6])
  })

  it("waits for the admin's agency, then asks for its innovators and starts over on a change", async () => {
    const queries = server()
    const { wrapper, chosen, agency } = mountPicker(undefined)
    await flushPromises()
    expect(queries).toEqual([])
    expect(wrapper.text()).toContain('Pilih perangkat daerah dulu')
    agency.value = 3
    await flushPromises()
    await wrapper.findAll('input')[0]!.setValue(true)
    expect(chosen.value).toEqual([6])
    agency.value = 4
    await flushPromises()
    expect(queries.at(-1)).toBe('role=innovator&limit=500&agency_id=4')
    expect(chosen.value).toEqual([])
    expect(wrapper.findAll('label').map((l) => l.text())).toEqual(['Lain u8@x.id'])
  })
})
