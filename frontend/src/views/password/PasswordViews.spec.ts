import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import { ForgotPasswordView, SetPasswordView } from '.'

async function mountAt(path: string, component: object) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(component, { global: { plugins: [pinia, router, i18n] } })
  await flushPromises()
  return { wrapper, router }
}

describe('ForgotPasswordView', () => {
  beforeEach(() => setLocale('id'))

  it('always gives the same answer after sending', async () => {
    let sent: unknown = null
    fakeServer({
      'POST /api/v1/auth/password-reset': async (request) => {
        sent = await request.json()
        return json({ detail: 'same for everyone' }, 202)
      },
    })
    const { wrapper } = await mountAt('/forgot-password', ForgotPasswordView)
    await wrapper.find('#forgot-email').setValue('siapa@example.com')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(sent).toEqual({ email: 'siapa@example.com' })
    expect(wrapper.text()).toContain('Jika e-mail itu terdaftar')
  })
})

describe('SetPasswordView', () => {
  beforeEach(() => setLocale('id'))

  it('reads the token from the fragment and goes to login when the password is set', async () => {
    let sent: unknown = null
    fakeServer({
      'POST /api/v1/auth/password-reset/confirm': async (request) => {
        sent = await request.json()
        return new Response(null, { status: 204 })
      },
    })
    const { wrapper, router } = await mountAt('/set-password#token=abc-123', SetPasswordView)
    await wrapper.find('#set-password').setValue('rahasia-baru-1')
    await wrapper.find('#set-password-confirm').setValue('rahasia-baru-1')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(sent).toEqual({ token: 'abc-123', password: 'rahasia-baru-1' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'), { timeout: 3000 })
    expect(router.currentRoute.value.query.password).toBe('set')
  })

  it('refuses different passwords before asking the server', async () => {
    const server = fakeServer({})
    const { wrapper } = await mountAt('/set-password#token=abc', SetPasswordView)
    await wrapper.find('#set-password').setValue('rahasia-baru-1')
    await wrapper.find('#set-password-confirm').setValue('rahasia-baru-2')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('Kedua kata sandi tidak sama.')
    expect(
      server.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).includes('confirm')),
    ).toHaveLength(0)
  })

  it('shows the problem of a used link in English', async () => {
    setLocale('en')
    fakeServer({
      'POST /api/v1/auth/password-reset/confirm': () =>
        problem(400, 'This link is not valid', { detail: 'It was used already.' }),
    })
    const { wrapper } = await mountAt('/set-password#token=old', SetPasswordView)
    await wrapper.find('#set-password').setValue('rahasia-baru-1')
    await wrapper.find('#set-password-confirm').setValue('rahasia-baru-1')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('This link is not valid')
    expect(wrapper.text()).toContain('Ask for a new link')
  })

  it('without a token asks for a new link', async () => {
    fakeServer({})
    const { wrapper } = await mountAt('/set-password', SetPasswordView)
    expect(wrapper.text()).toContain('Tautan ini tidak lengkap')
  })
})
