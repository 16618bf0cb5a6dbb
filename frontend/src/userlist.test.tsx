import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { UsersPage } from './pages/UsersPage'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

describe('user list', () => {
  it('shows how many accounts there are and pages through them', async () => {
    const users = Array.from({ length: 60 }, (_, i) => ({
      id: i + 1, email: `user${i + 1}@example.com`, name: '', role: 'viewer', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1,
    }))
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname === '/api/v1/users') return new Response(JSON.stringify({ users }), { status: 200 })
      return new Response('{}', { status: 401 })
    }))
    render(<MemoryRouter><SessionProvider><UsersPage /></SessionProvider></MemoryRouter>)
    expect(await screen.findByText('1–50 of 60')).toBeTruthy()
    expect(screen.queryByText('user51@example.com')).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Page 2' }))
    expect(screen.getByText('51–60 of 60')).toBeTruthy()
    expect(screen.getByText('user60@example.com')).toBeTruthy()
  })

  it('puts a changed account in its row without reading the accounts again; a new account reads them again', async () => {
    const user = (id: number, role = 'viewer', version = 1) => ({
      id, email: `user${id}@example.com`, name: '', role, access_until: null, disabled: false, created_at: '', disabled_at: null, version,
    })
    let users = [user(1), user(2)]
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      const method = init.method ?? 'GET'
      const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
      if (url.pathname === '/api/v1/auth/session') return json({}, 401)
      seen.push(`${method} ${url.pathname}`)
      if (method === 'PATCH') return json({ user: { ...user(2, 'auditor', 2) } })
      if (method === 'POST') {
        users = [...users, user(3)]
        return json({ user: user(3) }, 201)
      }
      return json({ users })
    }))
    vi.stubGlobal('confirm', () => true)
    render(<MemoryRouter><SessionProvider><UsersPage /></SessionProvider></MemoryRouter>)
    const role = await screen.findByRole('combobox', { name: 'Role of user2@example.com' })
    seen.length = 0
    await userEvent.selectOptions(role, 'auditor')
    await act(() => new Promise((r) => setTimeout(r, 200)))
    expect(seen).toEqual(['PATCH /api/v1/users/2'])
    expect((screen.getByRole('combobox', { name: 'Role of user2@example.com' }) as HTMLSelectElement).value).toBe('auditor')

    seen.length = 0
    await userEvent.type(screen.getByLabelText('E-mail address'), 'user3@example.com')
    await userEvent.type(screen.getByLabelText('Initial password'), 'a long enough secret')
    await userEvent.click(screen.getByRole('button', { name: 'Add user' }))
    expect(await screen.findByRole('combobox', { name: 'Role of user3@example.com' })).toBeTruthy()
    expect(seen).toEqual(['POST /api/v1/users', 'GET /api/v1/users'])
  })
})
