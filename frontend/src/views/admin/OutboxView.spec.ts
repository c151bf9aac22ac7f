import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import OutboxView from './OutboxView.vue'

const email = (id: number, status: string) => ({
  id,
  kind: 'invitation',
  to_address: `warga${id}@example.org`,
  to_name: `Warga ${id}`,
  subject: `Undangan ${id}`,
  message_id: `<${id}@kipp>`,
  status,
  attempts: status === 'dead' ? 8 : 0,
  last_error: status === 'dead' ? '550 5.1.1 No such user' : null,
  created_at: '2026-12-06T02:00:00Z',
  next_attempt_at: '2026-12-06T02:00:00Z',
  sent_at: null,
})

function server() {
  let rows = [email(2, 'dead'), email(1, 'pending')]
  const calls: string[] = []
  fakeServer({
    'GET /api/v1/outbox': (request) => {
      const status = new URL(request.url).searchParams.get('status')
      calls.push(`GET ${status ?? 'all'}`)
      const items = rows.filter((r) => !status || r.status === status)
      const counts = { pending: 0, sending: 0, sent: 0, dead: 0 } as Record<string, number>
      rows.forEach((r) => (counts[r.status] = (counts[r.status] ?? 0) + 1))
      return json({ items, total: items.length, counts })
    },
    'POST /api/v1/outbox/2/retry': () => {
      calls.push('retry 2')
      rows = rows.map((r) => (r.id === 2 ? { ...r, status: 'pending', attempts: 0 } : r))
      return json(rows[0])
    },
    'POST /api/v1/outbox/1/retry': () => problem(409, 'Bertentangan dengan keadaan saat ini'),
  })
  return calls
}

async function mountView() {
  setActivePinia(createPinia())
  const router = createAppRouter(createMemoryHistory())
  const wrapper = mount(OutboxView, { global: { plugins: [router, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('OutboxView', () => {
  beforeEach(() => {
    setLocale('en')
    document.body.innerHTML = ''
  })
  afterEach(() => vi.unstubAllGlobals())

  it('shows the dead e-mails first, with their error, and retries one', async () => {
    const calls = server()
    const wrapper = await mountView()
    expect(calls).toEqual(['GET dead'])
    const rows = wrapper.findAll('tbody tr')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.text()).toContain('Warga 2 <warga2@example.org>')
    expect(rows[0]!.text()).toContain('550 5.1.1 No such user')
    expect(wrapper.get('select').text()).toContain('Given up (dead) (1)')
    await rows[0]!.get('button').trigger('click')
    await flushPromises()
    expect(calls).toContain('retry 2')
    expect(wrapper.text()).toContain('The e-mail will be sent again.')
    expect(wrapper.text()).toContain('No e-mails in this status.')
  })

  it('shows every status and a refused retry as a problem', async () => {
    server()
    const wrapper = await mountView()
    await wrapper.get('select').setValue('')
    await flushPromises()
    expect(wrapper.findAll('tbody tr')).toHaveLength(2)
    await wrapper.findAll('tbody tr')[1]!.get('button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"], .alert-error').exists()).toBe(true)
  })
})
