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

/** The pages whose reads can fail, and what each says could not be read. */
const failing: [string, string][] = [
  ['/controls', 'the controls'], ['/team-tasks', "the team's tasks"], ['/engagements', 'the engagements'], ['/engagements/1', 'the engagement'],
  ['/engagements/1/requests', 'the requests'], ['/engagements/1/requests/3', 'request 3'], ['/engagements/1/controls/2', "this control's testing"],
  ['/dashboard', 'the dashboard'], ['/controls/2', 'the control'], ['/evidence/2', 'the evidence'], ['/coverage', 'the coverage'],
  ['/matrix', 'the mapping matrix'], ['/automated', 'the scanner sources'], ['/soc1-objectives', 'the SOC 1 objectives'],
]

describe('when a read fails', () => {
  it.each(failing)('%s says it could not load %s and reads it again on request', async (path, what) => {
    const reads = vi.fn()
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname === '/api/v1/auth/session') return new Response(JSON.stringify(admin))
      reads(url.pathname)
      return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'the database is busy' } }), { status: 503 })
    }))
    const { container } = render(<MemoryRouter initialEntries={[path]}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    // A failed read is tried once more before the page gives up on it.
    const alert = await screen.findByText(`Could not load ${what}: the database is busy`, { exact: false }, { timeout: 4000 })
    expect(container.querySelector('main')?.textContent ?? '').not.toMatch(emptyWords)
    const before = reads.mock.calls.length
    await act(async () => { alert.querySelector('button')?.click() })
    await vi.waitFor(() => expect(reads.mock.calls.length).toBeGreaterThan(before))
  }, 10000)
})
