import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'
import { Toast } from './Toast'

afterEach(() => vi.unstubAllGlobals())

const session = {
  user: { id: 1, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 },
  csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage', 'catalog.read', 'evidence.manage'],
}
const evidence = {
  id: 7, kind: 'file', title: 'Q1 access review', description: 'Signed listing', url: '', note: '', collected_on: '2026-04-02',
  covers_from: '2026-01-01', covers_to: '2026-03-31', as_of: null, expires_on: null, status: 'current', source_system: 'Okta',
  provided_by: 'IT', controls: 'AC-03, AC-04', revisions: 2, file_name: 'q1.pdf', file_size: 10, sha256: 'ab'.repeat(32), updated_at: '', version: 5,
}

/** Serves evidence 7; reads records every GET but the session's, gone answers 404 for the item while it is deleted. */
function server(state: { reads?: string[]; gone?: boolean; usageDown?: boolean } = {}) {
  const writes: { method: string; path: string; body: unknown; ifMatch: string | null }[] = []
  vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://socmap.test')
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
    const method = init?.method ?? 'GET'
    if (method === 'GET' && url.pathname !== '/api/v1/auth/session') state.reads?.push(`${url.pathname}${url.search}`)
    if (method === 'DELETE') state.gone = true
    if (method === 'POST' && url.pathname === '/api/v1/evidence/7/restore') state.gone = false
    if (state.gone && url.pathname === '/api/v1/evidence/7' && method === 'GET') return json({ error: { code: 'not_found', message: 'no such evidence' } }, 404)
    if (state.usageDown && url.pathname === '/api/v1/evidence/7/usage') return json({ error: { code: 'internal', message: 'usage is down' } }, 500)
    if (method !== 'GET') writes.push({ method, path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined, ifMatch: new Headers(init?.headers).get('If-Match') })
    if (url.pathname === '/api/v1/auth/session') return json(session)
    if (url.pathname === '/api/v1/evidence/7' && method === 'GET') {
      return json({
        evidence,
        controls: [{ id: 3, ref: 'AC-03', title: 'Access review' }, { id: 4, ref: 'AC-04', title: 'Leavers' }],
        revisions: [
          { revision: 2, sha256: 'cd'.repeat(32), size: 12, media_type: 'application/pdf', file_name: 'q1-corrected.pdf', uploaded_at: '2026-04-05T10:00:00Z' },
          { revision: 1, sha256: 'ab'.repeat(32), size: 10, media_type: 'application/pdf', file_name: 'q1.pdf', uploaded_at: '2026-04-02T10:00:00Z' },
        ],
      })
    }
    if (url.pathname === '/api/v1/evidence/7/usage') {
      return json({ relied_on: [{ engagement_id: 1, engagement_name: 'SOC 2 FY26', control_id: 3, control_ref: 'AC-03', revision: 1 }], windows: [] })
    }
    if (url.pathname === '/api/v1/evidence/7' && method === 'PATCH') return json({ evidence })
    if (url.pathname === '/api/v1/controls') return json({ controls: [], total: 0, limit: 20, offset: 0 })
    return json({})
  }))
  return writes
}

describe('the evidence page', () => {
  it('lists every revision to download, the controls and the conclusions relying on it, and unlinks a control with If-Match', async () => {
    const writes = server()
    vi.stubGlobal('confirm', () => true)
    render(<MemoryRouter initialEntries={['/evidence/7']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    expect(await screen.findByRole('heading', { level: 1, name: 'Q1 access review' })).toBeTruthy()
    const revisions = screen.getByRole('table')
    expect(within(revisions).getByRole('link', { name: 'q1.pdf' }).getAttribute('href')).toBe('/api/v1/evidence/7/download?revision=1')
    expect(await screen.findByRole('link', { name: /SOC 2 FY26: AC-03/ })).toBeTruthy()
    expect(screen.getByText('(revision 1)')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Unlink AC-04' }))
    expect(writes).toContainEqual({ method: 'PATCH', path: '/api/v1/evidence/7', body: { control_ids: [3] }, ifMatch: '"5"' })
  })
})

const settle = () => act(() => new Promise((r) => setTimeout(r, 300)))
const openEvidence = () => render(<MemoryRouter initialEntries={['/evidence/7']}><SessionProvider><App /></SessionProvider></MemoryRouter>)

describe('the evidence page reads', () => {
  it('reads the item and its usage once, and again only after a change to its links', async () => {
    const reads: string[] = []
    server({ reads })
    vi.stubGlobal('confirm', () => true)
    openEvidence()
    expect(await screen.findByRole('link', { name: /SOC 2 FY26: AC-03/ })).toBeTruthy()
    await settle()
    expect(reads.filter((r) => r.startsWith('/api/v1/evidence/7')).sort()).toEqual(['/api/v1/evidence/7', '/api/v1/evidence/7/usage'])
    reads.length = 0
    await userEvent.click(screen.getByRole('button', { name: 'Unlink AC-04' }))
    await settle()
    expect(reads.sort()).toEqual(['/api/v1/evidence/7', '/api/v1/evidence/7/usage'])
  })

  it('says the item is gone after deleting it and shows it again after restoring it', async () => {
    const state = { gone: false }
    server(state)
    vi.stubGlobal('prompt', () => 'duplicate')
    openEvidence()
    await userEvent.click(await screen.findByRole('button', { name: 'Delete evidence' }))
    expect(await screen.findByText(/This evidence is not in the library/)).toBeTruthy()
    await settle()
    expect(screen.getByText(/This evidence is not in the library/)).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Restore it' }))
    expect(await screen.findByRole('heading', { level: 1, name: 'Q1 access review' })).toBeTruthy()
    expect(screen.getByRole('status').textContent).toContain('Restored')
  })

  it('shows the item when its usage cannot be read, and offers to read the usage again', async () => {
    const state = { usageDown: true }
    server(state)
    openEvidence()
    expect((await screen.findByRole('alert', {}, { timeout: 3000 })).textContent).toContain('Could not load where engagements use it')
    expect(screen.getByRole('heading', { level: 1, name: 'Q1 access review' })).toBeTruthy()
    state.usageDown = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('link', { name: /SOC 2 FY26: AC-03/ })).toBeTruthy()
  })
})

describe('the saved/undo notice', () => {
  it('reverts through its undo request and says so', async () => {
    const undo = vi.fn(async () => undefined)
    render(<Toast message={{ text: 'Olive now owns 2 controls.', undo }} onClose={() => undefined} />)
    expect(screen.getByRole('status').textContent).toContain('Olive now owns 2 controls.')
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(undo).toHaveBeenCalledOnce()
    expect(await screen.findByText('Undone.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull()
  })
})
