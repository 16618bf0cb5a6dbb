import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const admin = {
  user: { id: 1, email: 'admin@example.com', name: '', role: 'admin', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session', permissions: ['settings.manage', 'program.manage'],
}

describe('settings', () => {
  it('saves the organisation’s name and shows the answer without reading the settings again', async () => {
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      const method = init.method ?? 'GET'
      const json = (body: unknown) => new Response(JSON.stringify(body))
      if (url.pathname === '/api/v1/auth/session') return json(admin)
      seen.push(`${method} ${url.pathname}`)
      if (url.pathname === '/api/v1/settings') {
        const organisation = method === 'PUT' ? `${(JSON.parse(String(init.body)) as { organisation: string }).organisation.trim()} Ltd` : 'Acme'
        return json({ settings: { organisation } })
      }
      return json({ holidays: [] })
    }))
    render(<MemoryRouter initialEntries={['/settings']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    const box = await screen.findByLabelText('Organisation') as HTMLInputElement
    expect(box.value).toBe('Acme')
    await userEvent.type(box, ' Payments ')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Saved.')).toBeTruthy()
    await act(() => new Promise((r) => setTimeout(r, 200)))
    expect((screen.getByLabelText('Organisation') as HTMLInputElement).value).toBe('Acme Payments Ltd')
    expect(seen.filter((r) => r.endsWith('/settings'))).toEqual(['GET /api/v1/settings', 'PUT /api/v1/settings'])
  })

  it('says the settings could not be read and reads them again on request', async () => {
    let down = true
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
      if (url.pathname === '/api/v1/auth/session') return json(admin)
      if (url.pathname === '/api/v1/settings') return down ? json({ error: { code: 'forbidden', message: 'not yours' } }, 403) : json({ settings: { organisation: 'Acme' } })
      return json({ holidays: [] })
    }))
    render(<MemoryRouter initialEntries={['/settings']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    expect(await screen.findByText(/Could not load the settings: not yours/)).toBeTruthy()
    down = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(((await screen.findByLabelText('Organisation')) as HTMLInputElement).value).toBe('Acme')
  })
})
