import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { ApiProblem, NetworkError } from '@/api/problem'
import { i18n, setLocale } from '@/i18n'

import ProblemAlert from './ProblemAlert.vue'

function problemResponse(body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: Number(body.status),
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  })
}

describe('ProblemAlert', () => {
  beforeEach(() => setLocale('id'))
  afterEach(() => vi.unstubAllGlobals())

  it("shows the problem's request id, labelled, so it can be quoted to the IT office", async () => {
    const error = await ApiProblem.fromResponse(
      problemResponse({ type: 'about:blank', title: 'Konflik', status: 409, request_id: 'req-7f3a' }),
    )
    const wrapper = mount(ProblemAlert, { props: { error }, global: { plugins: [i18n] } })
    expect(wrapper.get('.request-id').text()).toContain('Kode permintaan: req-7f3a')

    setLocale('en')
    await flushPromises()
    expect(wrapper.get('.request-id').text()).toContain('Request id: req-7f3a')
  })

  it('takes the id from the X-Request-ID header when the body has none (a gateway answered)', async () => {
    const error = await ApiProblem.fromResponse(
      new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway', headers: { 'X-Request-ID': 'gw-1' } }),
    )
    expect(error.requestId).toBe('gw-1')
    const wrapper = mount(ProblemAlert, { props: { error }, global: { plugins: [i18n] } })
    expect(wrapper.get('.request-id code').text()).toBe('gw-1')
  })

  it('copies the id with its button', async () => {
    const writeText = vi.fn(() => Promise.resolve())
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const error = new ApiProblem({ type: 'about:blank', title: 'Tidak ditemukan', status: 404, request_id: 'req-9' })
    const wrapper = mount(ProblemAlert, { props: { error }, global: { plugins: [i18n] } })
    await wrapper.get('.request-id button').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('req-9')
    expect(wrapper.get('.request-id button').text()).toBe('Disalin')
  })

  it('shows no request id where there is none (the request never reached the server)', () => {
    const wrapper = mount(ProblemAlert, { props: { error: new NetworkError() }, global: { plugins: [i18n] } })
    expect(wrapper.find('.request-id').exists()).toBe(false)
  })

  it('shows field errors by label or message, never by raw path, leaving out those shown beside fields', () => {
    const error = new ApiProblem({
      type: 'https://kipp.example/problems/validation-error',
      title: 'Permintaan tidak valid',
      status: 422,
      detail: 'Periksa 3 isian yang ditandai.',
      errors: [
        {
          field: 'stages.3.starts_at',
          pointer: '/stages/3/starts_at',
          code: 'window_overlap',
          message: 'Bertumpang tindih.',
        },
        { field: 'top_n', pointer: '/top_n', code: 'greater_than_equal', message: 'Minimal 1.' },
        { field: 'mystery.0', pointer: '/mystery/0', code: 'value_error', message: 'Isian ini tidak sah.' },
      ],
    })
    const wrapper = mount(ProblemAlert, {
      props: { error, labels: { top_n: 'Jumlah TOP N' }, shown: ['/stages/3/starts_at'] },
      global: { plugins: [i18n] },
    })
    const items = wrapper.findAll('li').map((li) => li.text())
    expect(items).toEqual(['Jumlah TOP N: Minimal 1.', 'Isian ini tidak sah.'])
    expect(wrapper.text()).not.toContain('stages.3')
    expect(wrapper.text()).not.toContain('mystery')
  })
})
