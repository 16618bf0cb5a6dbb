import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
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
})
