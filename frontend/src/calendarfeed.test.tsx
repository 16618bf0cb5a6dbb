import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const owner = {
  user: { id: 3, email: 'o@example.com', name: '', role: 'owner', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'tasks.work', 'tasks.feed'],
}

describe('the calendar address', () => {
  it('is read once; making one and turning it off show their result without reading it again', async () => {
    const feed: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      const method = init.method ?? 'GET'
      const json = (body: unknown, status = 200) => new Response(status === 204 ? null : JSON.stringify(body), { status })
      if (url.pathname === '/api/v1/auth/session') return json(owner)
      if (url.pathname === '/api/v1/calendar-feed') {
        feed.push(method)
        if (method === 'POST') return json({ url: 'https://socmap.test/feed/secret.ics', path: '/feed/secret.ics' }, 201)
        if (method === 'DELETE') return json(null, 204)
        return json({ active: false, revoked_at: null })
      }
      return json({ tasks: [], requests: [], total: 0, limit: 50, offset: 0, owners: [] })
    }))
    vi.stubGlobal('confirm', () => true)
    render(<MemoryRouter initialEntries={['/tasks']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    await userEvent.click(await screen.findByRole('button', { name: 'Make a calendar address' }))
    expect(((await screen.findByLabelText('Calendar address (shown once)')) as HTMLInputElement).value).toBe('https://socmap.test/feed/secret.ics')
    await userEvent.click(screen.getByRole('button', { name: 'Turn off' }))
    expect(await screen.findByText(/Your calendar address was revoked on/)).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Make a calendar address' })).toBeTruthy()
    expect(feed).toEqual(['GET', 'POST', 'DELETE'])
  })
})
