import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, render, screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

const admin = {
  user: { id: 1, email: 'admin@example.com', name: '', role: 'admin', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session',
  permissions: ['account.read', 'account.write', 'catalog.read', 'program.read', 'program.manage', 'evidence.manage', 'engagements.read',
    'tasks.read', 'tasks.work', 'tasks.read_team', 'tasks.feed', 'users.manage', 'audit.read', 'outbox.read', 'settings.manage', 'ingest.write'],
}

// What pages say of a list that has nothing in it.
const emptyWords = /\bNo [a-z ]*(yet|is mapped)\b|Nothing (is|expires)|No scans in|No digests/

/** Every page of the app, its detail pages included. */
const routes = ['/dashboard', '/tasks', '/team-tasks', '/engagements', '/engagements/1', '/engagements/1/controls/2', '/engagements/1/requests', '/engagements/1/requests/3', '/coverage',
  '/controls', '/controls/2', '/matrix', '/soc1-objectives', '/evidence', '/automated', '/catalog', '/users', '/audit', '/outbox',
  '/settings', '/tokens', '/account']

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('while a page loads', () => {
  it.each(routes)('%s never says its list is empty', async (path) => {
    // The session is known; every read the page makes is still on its way.
    vi.stubGlobal('fetch', vi.fn((input: string) => {
      if (new URL(input, 'http://socmap.test').pathname === '/api/v1/auth/session') return Promise.resolve(new Response(JSON.stringify(admin)))
      return new Promise<Response>(() => {})
    }))
    const { container } = render(
      <MemoryRouter initialEntries={[path]}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    await screen.findByRole('navigation', { name: 'Main' })
    await act(() => new Promise((r) => setTimeout(r, 100)))
    const main = container.querySelector('main')
    expect(main?.querySelector('.empty')?.textContent ?? '').toBe('')
    expect(main?.textContent ?? '').not.toMatch(emptyWords)
  })
})

describe('a control in an engagement', () => {
  it('asks for that control and its result alone, never the whole engagement\'s grid', async () => {
    const asked: string[] = []
    vi.stubGlobal('fetch', vi.fn((input: string) => {
      const path = new URL(input, 'http://socmap.test').pathname
      if (path === '/api/v1/auth/session') return Promise.resolve(new Response(JSON.stringify(admin)))
      asked.push(path)
      return new Promise<Response>(() => {})
    }))
    render(
      <MemoryRouter initialEntries={['/engagements/1/controls/2']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    await screen.findByRole('navigation', { name: 'Main' })
    await act(() => new Promise((r) => setTimeout(r, 100)))
    expect(asked).toContain('/api/v1/engagements/1/controls/2')
    expect(asked).toContain('/api/v1/engagements/1/controls/2/result')
    expect(asked).not.toContain('/api/v1/engagements/1/controls')
    expect(asked).not.toContain('/api/v1/engagements/1/results')
  })
})
