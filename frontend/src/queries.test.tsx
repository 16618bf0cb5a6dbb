import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider, useQuery } from '@tanstack/react-query'
import { MemoryRouter } from 'react-router'
import type { ReactNode } from 'react'
import { OutboxPage } from './pages/OutboxPage'
import { TokensPage } from './pages/TokensPage'
import { newQueryClient } from './queries/client'
import { SessionProvider, useSession } from './session'
import type { DigestSummary, Token } from './api'

afterEach(() => vi.unstubAllGlobals())

type Handler = (url: URL, init: RequestInit) => [number, unknown]

/** Stubs fetch with handler and records every request as "METHOD /path?query". */
function serve(handler: Handler): string[] {
  const seen: string[] = []
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://socmap.test')
    seen.push(`${init.method ?? 'GET'} ${url.pathname}${url.search}`)
    const [status, body] = handler(url, init)
    return new Response(status === 204 ? null : JSON.stringify(body), { status })
  }))
  return seen
}

function withQueries(ui: ReactNode, path = '/') {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <QueryClientProvider client={newQueryClient()}>{ui}</QueryClientProvider>
    </MemoryRouter>,
  )
}

const digest = (id: number): DigestSummary => ({
  id, user_id: 5, period: '2026-W12', recipient: 'owner@example.com', subject: `Digest ${id}`, size: 2048,
  status: 'outbox', attempts: 0, error: '', created_at: '2026-03-16T08:00:00Z', sent_at: null,
})

const sleep = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)))

describe('server state through TanStack Query', () => {
  it('loads the outbox once, not in a loop, and each page once', async () => {
    const seen = serve((url) => {
      const offset = Number(url.searchParams.get('offset'))
      return [200, { digests: [digest(offset + 1)], total: 120, limit: 50, offset }]
    })
    withQueries(<OutboxPage />, '/outbox')
    expect(await screen.findByText('Digest 1')).toBeTruthy()
    await sleep(300)
    expect(seen).toEqual(['GET /api/v1/outbox?limit=50&offset=0'])

    await userEvent.click(screen.getByRole('button', { name: 'Older' }))
    expect(await screen.findByText('Digest 51')).toBeTruthy()
    await sleep(300)
    expect(seen).toEqual(['GET /api/v1/outbox?limit=50&offset=0', 'GET /api/v1/outbox?limit=50&offset=50'])
    expect(screen.getByText('51–100 of 120')).toBeTruthy()
  })

  it('lists digests with their size and reads a body only when it is opened, once', async () => {
    const seen = serve((url) => url.pathname === '/api/v1/outbox/7'
      ? [200, { digest: { ...digest(7), body: 'Hello, three tasks are due.' } }]
      : [200, { digests: [digest(7), digest(8)], total: 2, limit: 50, offset: 0 }])
    withQueries(<OutboxPage />, '/outbox')
    expect(await screen.findByText('Digest 7')).toBeTruthy()
    expect(screen.getAllByText('2.0 KB')).toHaveLength(2)
    await sleep(100)
    expect(seen).toEqual(['GET /api/v1/outbox?limit=50&offset=0'])
    await userEvent.click(screen.getByText('Digest 7'))
    expect(await screen.findByText('Hello, three tasks are due.')).toBeTruthy()
    await userEvent.click(screen.getByText('Digest 7'))
    await userEvent.click(screen.getByText('Digest 7'))
    await sleep(300)
    expect(seen).toEqual(['GET /api/v1/outbox?limit=50&offset=0', 'GET /api/v1/outbox/7'])
  })

  it('shows the server’s message when a list cannot be loaded, without retrying a refusal', async () => {
    const seen = serve(() => [403, { error: { code: 'forbidden', message: 'your role does not allow this (outbox.read)' } }])
    withQueries(<OutboxPage />, '/outbox')
    expect((await screen.findByRole('alert')).textContent).toContain('your role does not allow this')
    await sleep(300)
    expect(seen).toHaveLength(1)
  })

  it('reloads the tokens after creating and after revoking one', async () => {
    let tokens: Token[] = []
    const seen = serve((url, init) => {
      if (init.method === 'POST') {
        const body = JSON.parse(String(init.body)) as { name: string }
        if (!body.name.trim()) return [400, { error: { code: 'invalid_request', message: 'the token is not valid', fields: { name: 'required' } } }]
        const t: Token = { id: tokens.length + 1, name: body.name, prefix: 'smp_ab12', scope: 'read', expires_at: null, last_used_at: null, revoked_at: null, created_at: '' }
        tokens = [...tokens, t]
        return [201, { token: 'smp_ab12secret', details: t }]
      }
      if (init.method === 'DELETE') {
        tokens = tokens.map((t) => (url.pathname.endsWith(`/${t.id}`) ? { ...t, revoked_at: '2026-03-16T09:00:00Z' } : t))
        return [204, null]
      }
      return [200, { tokens }]
    })
    withQueries(<TokensPage />)
    expect(await screen.findByText('You have no tokens.')).toBeTruthy()

    await userEvent.type(screen.getByLabelText('Name'), 'nightly upload')
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }))
    expect(await screen.findByText('smp_ab12secret')).toBeTruthy()
    expect(await screen.findByText('nightly upload')).toBeTruthy()
    expect(seen).toEqual(['GET /api/v1/tokens', 'POST /api/v1/tokens', 'GET /api/v1/tokens'])

    // Revoking asks first: declined, nothing is sent.
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true)
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }))
    expect(confirm).toHaveBeenLastCalledWith('Revoke the token “nightly upload”? Anything using it stops working at once.')
    expect(seen).toHaveLength(3)
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }))
    expect(await screen.findByText('revoked 2026-03-16')).toBeTruthy()
    expect(seen.slice(3)).toEqual(['DELETE /api/v1/tokens/1', 'GET /api/v1/tokens'])
    confirm.mockRestore()
  })

  it('shows a refused change with the fields the server named', async () => {
    serve((_, init) =>
      init.method === 'POST'
        ? [400, { error: { code: 'invalid_request', message: 'the token is not valid', fields: { expires_on: 'must be in the future' } } }]
        : [200, { tokens: [] }],
    )
    withQueries(<TokensPage />)
    await screen.findByText('You have no tokens.')
    await userEvent.type(screen.getByLabelText('Name'), 'ci')
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }))
    expect((await screen.findByRole('alert')).textContent).toContain('the token is not valid')
    expect(screen.getByText('must be in the future')).toBeTruthy()
  })

  it('starts an empty cache when someone else signs in', async () => {
    let user = 'admin@example.com'
    const seen = serve((url) => {
      if (url.pathname === '/api/v1/auth/session') {
        return [200, { user: { id: 1, email: user, name: '', role: 'admin', access_until: null, disabled: false, created_at: '', disabled_at: null }, csrf_token: 'c', via: 'session', permissions: [] }]
      }
      if (url.pathname === '/api/v1/auth/logout') return [204, null]
      return [200, { tokens: [{ id: 1, name: `token of ${user}`, prefix: 'smp_x', scope: 'read', expires_at: null, last_used_at: null, revoked_at: null, created_at: '' }] }]
    })
    let session: ReturnType<typeof useSession> | null = null
    function Probe() {
      session = useSession()
      const { data } = useQuery({ queryKey: ['tokens'], queryFn: () => fetch('/api/v1/tokens').then((r) => r.json() as Promise<{ tokens: Token[] }>) })
      return <p>{data?.tokens[0]?.name ?? 'loading'}</p>
    }
    render(
      <MemoryRouter>
        <SessionProvider>
          <Probe />
        </SessionProvider>
      </MemoryRouter>,
    )
    expect(await screen.findByText('token of admin@example.com')).toBeTruthy()
    user = 'auditor@example.com'
    await act(async () => {
      await session!.signOut()
    })
    act(() => session!.signedIn({ user: { id: 2, email: user, name: '', role: 'auditor', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 }, csrf_token: 'd', via: 'session', permissions: [] }))
    expect(screen.queryByText('token of admin@example.com')).toBeNull()
    expect(await screen.findByText('token of auditor@example.com')).toBeTruthy()
    await waitFor(() => expect(seen.filter((s) => s === 'GET /api/v1/tokens').length).toBe(3))
  })
})
