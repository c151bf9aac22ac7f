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

function mountPicker(agencyId: number | null | undefined, team: { id: number; full_name: string }[] = []) {
  const chosen = ref<number[]>(team.map((m) => m.id))
  const agency = ref(agencyId)
  const Host = defineComponent({
    setup: () => () =>
      h(TeamPicker, {
        modelValue: chosen.value,
        'onUpdate:modelValue': (v: number[]) => (chosen.value = v),
        agencyId: agency.value,
        selfIncluded: !team.length,
        members: team,
      }),
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

  it('in the editor: starts from the team, and drops whoever cannot stay at the first change', async () => {
    server()
    // The agency admin (id 2) who created the proposal and a deactivated innovator are on it.
    const team = [
      { id: 2, full_name: 'Admin DLH' },
      { id: 5, full_name: 'Wati' },
      { id: 7, full_name: 'Nonaktif' },
    ]
    const { wrapper, chosen } = mountPicker(null, team)
    await flushPromises()
    const boxes = wrapper.findAll('input')
    expect(boxes.map((b) => (b.element as HTMLInputElement).checked)).toEqual([false, true]) // Budi, Wati
    expect(wrapper.text()).toContain('Admin DLH, Nonaktif ada di tim tetapi bukan akun inovator aktif')
    expect(wrapper.text()).not.toContain('Anda sendiri selalu masuk tim.')
    expect(chosen.value).toEqual([2, 5, 7]) // nothing changes until someone is ticked or unticked
    await boxes[0]!.setValue(true)
    expect(chosen.value).toEqual([5, 6])
    expect(wrapper.text()).not.toContain('bukan akun inovator aktif')
  })

  it('shows a refused team next to the list', async () => {
    server()
    const wrapper = mount(TeamPicker, {
      props: { modelValue: [], agencyId: null, error: 'Ada yang dipilih tetapi tidak dapat masuk tim' },
      global: { plugins: [i18n] },
    })
    await flushPromises()
    const error = wrapper.find('.field-error')
    expect(error.text()).toContain('tidak dapat masuk tim')
    expect(wrapper.find('fieldset').attributes('aria-describedby')).toContain(error.attributes('id'))
  })
})
