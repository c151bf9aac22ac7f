import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { fakeServer, json, problem } from '@/test/fakeServer'

import LoginView from './LoginView.vue'

const DEMO = {
  items: [
    { email: 'admin@demo.kipp.id', password: 'demo-admin', role: 'admin', full_name: 'Tim Pelaksana' },
    { email: 'juri1@demo.kipp.id', password: 'demo-juri', role: 'judge', full_name: 'Kepala Bappeda' },
  ],
}

async function mountLogin() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  await router.push('/login')
  const wrapper = mount(LoginView, { global: { plugins: [pinia, router, i18n] } })
  await flushPromises()
  return { wrapper, router }
}

describe('LoginView', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('id')
  })

  it('labels its controls', async () => {
    fakeServer({})
    const { wrapper } = await mountLogin()
    for (const input of wrapper.findAll('input')) {
      const id = input.attributes('id')
      const labelled = id ? wrapper.find(`label[for="${id}"]`).exists() : input.element.closest('label') !== null
      expect(labelled).toBe(true)
    }
  })

  it('shows demo logins when the server offers them, and fills the form from one', async () => {
    fakeServer({ 'GET /api/v1/demo-logins': () => json(DEMO) })
    const { wrapper } = await mountLogin()
    const buttons = wrapper.findAll('button.demo-account')
    expect(buttons).toHaveLength(2)
    expect(wrapper.text()).toContain('Akun demo')
    await buttons[1]!.trigger('click')
    expect((wrapper.find('#login-email').element as HTMLInputElement).value).toBe('juri1@demo.kipp.id')
    expect((wrapper.find('#login-password').element as HTMLInputElement).value).toBe('demo-juri')
  })

  it('shows no demo section when the endpoint answers 404', async () => {
    fakeServer({})
    const { wrapper } = await mountLogin()
    expect(wrapper.find('button.demo-account').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('Akun demo')
  })

  it('shows the server problem on wrong credentials', async () => {
    fakeServer({ 'POST /api/v1/auth/token': () => problem(401, 'E-mail atau kata sandi salah') })
    const { wrapper } = await mountLogin()
    await wrapper.find('#login-email').setValue('x@y.id')
    await wrapper.find('#login-password').setValue('salah')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('E-mail atau kata sandi salah')
  })

  it('signs in and goes to the role home', async () => {
    fakeServer({
      'POST /api/v1/auth/token': () =>
        json({ access_token: 'a', token_type: 'bearer', expires_in: 900, refresh_token: 'r' }),
      'GET /api/v1/me': () => json({ id: 2, email: 'j@x.id', full_name: 'Juri', role: 'judge', agency_id: 1 }),
    })
    const { wrapper, router } = await mountLogin()
    await wrapper.find('#login-email').setValue('j@x.id')
    await wrapper.find('#login-password').setValue('pw')
    await wrapper.find('form').trigger('submit')
    // the judge chunk is imported lazily: wait for the navigation to settle
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('judge-home'), { timeout: 10_000 })
  })
})
