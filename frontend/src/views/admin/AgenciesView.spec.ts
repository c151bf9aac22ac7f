import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import AgenciesView from './AgenciesView.vue'

type Agency = { id: number; code: string; name: string }

function server(initial: Agency[]) {
  let agencies = [...initial]
  const calls: string[] = []
  const fetch = fakeServer({
    'GET /api/v1/agencies': () => json({ items: agencies, total: agencies.length }),
    'POST /api/v1/agencies': async (request) => {
      const body = (await request.json()) as Omit<Agency, 'id'>
      calls.push(`POST ${JSON.stringify(body)}`)
      if (agencies.some((a) => a.code === body.code))
        return problem(409, 'Konflik', { detail: `Agency code ${body.code} is taken.` })
      const agency = { id: 100 + agencies.length, ...body }
      agencies.push(agency)
      return json(agency, 201)
    },
    'PATCH /api/v1/agencies/1': async (request) => {
      const body = (await request.json()) as Partial<Agency>
      calls.push(`PATCH ${JSON.stringify(body)}`)
      agencies = agencies.map((a) => (a.id === 1 ? { ...a, ...body } : a))
      return json(agencies.find((a) => a.id === 1))
    },
    'DELETE /api/v1/agencies/1': () => {
      calls.push('DELETE 1')
      return problem(409, 'Konflik', { detail: 'Agency DLH still has users or innovations; it cannot be deleted.' })
    },
    'DELETE /api/v1/agencies/2': () => {
      calls.push('DELETE 2')
      agencies = agencies.filter((a) => a.id !== 2)
      return new Response(null, { status: 204 })
    },
  })
  return { calls, fetch }
}

async function mountView() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const wrapper = mount(AgenciesView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const button = (wrapper: Awaited<ReturnType<typeof mountView>>, scope: string, text: string) =>
  wrapper
    .find(scope)
    .findAll('button')
    .find((b) => b.text().startsWith(text))!

describe('AgenciesView', () => {
  beforeEach(() => {
    setLocale('id')
    document.body.innerHTML = ''
  })

  const DLH = { id: 1, code: 'DLH', name: 'Dinas Lingkungan Hidup' }
  const DISTAN = { id: 2, code: 'DISTAN', name: 'Dinas Pertanian' }

  it('lists the agencies in a table', async () => {
    server([DLH, DISTAN])
    const wrapper = await mountView()
    const rows = wrapper.findAll('tbody tr')
    expect(rows.map((r) => r.find('th').text().split(/\s+/)[0])).toEqual(['DLH', 'DISTAN'])
    expect(rows[0]!.text()).toContain('Dinas Lingkungan Hidup')
  })

  it('adds an agency and shows the server problem on a taken code', async () => {
    const { calls } = server([DLH])
    const wrapper = await mountView()
    await wrapper.find('#agency-code').setValue('DLH')
    await wrapper.find('#agency-name').setValue('Duplikat')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('form [role="alert"]').text()).toContain('Agency code DLH is taken.')

    await wrapper.find('#agency-code').setValue('DPMD')
    await wrapper.find('#agency-name').setValue('Dinas PMD')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)).toBe('POST {"code":"DPMD","name":"Dinas PMD"}')
    expect(wrapper.text()).toContain('Perangkat daerah DPMD ditambahkan.')
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
    expect((wrapper.find('#agency-code').element as HTMLInputElement).value).toBe('')
  })

  it('edits an agency in the same form', async () => {
    const { calls } = server([DLH])
    const wrapper = await mountView()
    await button(wrapper, 'tbody', 'Ubah').trigger('click')
    expect(wrapper.find('form h2').text()).toBe('Ubah perangkat daerah DLH')
    expect((wrapper.find('#agency-name').element as HTMLInputElement).value).toBe('Dinas Lingkungan Hidup')
    await wrapper.find('#agency-name').setValue('Dinas Lingkungan Hidup dan Kebersihan')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(calls).toEqual(['PATCH {"code":"DLH","name":"Dinas Lingkungan Hidup dan Kebersihan"}'])
    expect(wrapper.find('tbody').text()).toContain('Dinas Lingkungan Hidup dan Kebersihan')
    expect(wrapper.find('form h2').text()).toBe('Tambah perangkat daerah')
  })

  it('deletes after confirmation, and shows the 409 message when the agency is in use', async () => {
    const { calls } = server([DLH, DISTAN])
    const wrapper = await mountView()
    await wrapper.findAll('tbody tr')[0]!.findAll('button')[1]!.trigger('click')
    await flushPromises()
    expect(calls).toEqual([])
    await button(wrapper, 'dialog', 'Hapus').trigger('click')
    await flushPromises()
    expect(calls).toEqual(['DELETE 1'])
    expect(wrapper.find('[role="alert"]').text()).toContain('still has users or innovations')
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)

    await wrapper.findAll('tbody tr')[1]!.findAll('button')[1]!.trigger('click')
    await flushPromises()
    await button(wrapper, 'dialog', 'Hapus').trigger('click')
    await flushPromises()
    expect(calls).toEqual(['DELETE 1', 'DELETE 2'])
    expect(wrapper.findAll('tbody tr')).toHaveLength(1)
    expect(wrapper.text()).toContain('Perangkat daerah DISTAN dihapus.')
  })
})
