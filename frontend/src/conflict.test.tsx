import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const control = {
  id: 2, ref: 'AC-02', title: 'Access review', description: 'Quarterly review', owner_id: null, owner_email: '', performer: '',
  frequency: 'quarterly', nature: 'manual', type: 'detective', key_control: false, ipe: false, systems: '', implemented_on: null,
  status: 'active', mapping_count: 0, evidence_count: 0, updated_at: '', version: 3,
}
const session = {
  user: { id: 1, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 },
  csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage', 'catalog.read', 'evidence.manage'],
}

/** A server where someone else saved control 2 (version 4) after this user loaded it at version 3. */
function serverWithAnotherSave() {
  const patches: { ifMatch: string | null; body: Record<string, unknown> }[] = []
  const theirs = { ...control, description: 'Reviewed monthly by the CISO', version: 4 }
  vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://socmap.test')
    const json = (body: unknown, status = 200, etag?: number) =>
      new Response(JSON.stringify(body), { status, headers: etag ? { ETag: `"${etag}"` } : {} })
    if (url.pathname === '/api/v1/auth/session') return json(session)
    if (url.pathname === '/api/v1/controls/2' && init?.method === 'PATCH') {
      const ifMatch = new Headers(init.headers).get('If-Match')
      const body = JSON.parse(String(init.body)) as Record<string, unknown>
      patches.push({ ifMatch, body })
      if (ifMatch !== '"4"') {
        return json({ error: { code: 'version_mismatch', message: 'someone else saved this' }, current: { control: theirs, mappings: [], evidence: [] } }, 412, 4)
      }
      return json({ control: { ...theirs, ...body, version: 5 } }, 200, 5)
    }
    if (url.pathname === '/api/v1/controls/2') return json({ control, mappings: [], evidence: [] }, 200, 3)
    if (url.pathname === '/api/v1/users') return json({ users: [] })
    if (url.pathname === '/api/v1/frameworks') return json({ frameworks: [] })
    if (url.pathname.startsWith('/api/v1/frameworks/')) return json({ requirements: [], total: 0, limit: 500, offset: 0 })
    if (url.pathname === '/api/v1/controls/2/automated') return json({ checks: [], runs: [], windows: [] })
    return json({})
  }))
  return patches
}

describe('a stale edit form', () => {
  it('sends If-Match, keeps the unsaved input on a 412, shows what changed and saves only when told', async () => {
    const patches = serverWithAnotherSave()
    render(
      <MemoryRouter initialEntries={['/controls/2']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    const form = await screen.findByRole('form', { name: 'Control attributes' })
    const description = within(form).getByLabelText(/Description/) as HTMLTextAreaElement
    await userEvent.clear(description)
    await userEvent.type(description, 'My wording')
    await userEvent.click(within(form).getByRole('button', { name: 'Save control' }))

    const notice = await screen.findByRole('alert', { name: 'Edit conflict' })
    expect(patches[0]!.ifMatch).toBe('"3"')
    const row = within(notice).getByRole('row', { name: /Description/ })
    expect(within(row).getByText('Quarterly review')).toBeTruthy()
    expect(within(row).getByText('Reviewed monthly by the CISO')).toBeTruthy()
    expect(within(row).getByText('My wording')).toBeTruthy()
    expect(description.value).toBe('My wording') // nothing of the user's input is lost
    expect(screen.queryByText('Saved.')).toBeNull()

    // Saving again without deciding is refused again: nothing is overwritten silently.
    await userEvent.click(within(form).getByRole('button', { name: 'Save control' }))
    expect(patches[1]!.ifMatch).toBe('"3"')
    await userEvent.click(within(await screen.findByRole('alert', { name: 'Edit conflict' })).getByRole('button', { name: 'Keep my changes' }))
    expect(screen.queryByRole('alert', { name: 'Edit conflict' })).toBeNull()
    await userEvent.click(within(form).getByRole('button', { name: 'Save control' }))
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect(patches[2]).toMatchObject({ ifMatch: '"4"', body: { description: 'My wording' } })
  })

  it('takes the other version into the form when asked', async () => {
    serverWithAnotherSave()
    render(
      <MemoryRouter initialEntries={['/controls/2']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    const form = await screen.findByRole('form', { name: 'Control attributes' })
    const description = within(form).getByLabelText(/Description/) as HTMLTextAreaElement
    await userEvent.type(description, ', and more')
    await userEvent.click(within(form).getByRole('button', { name: 'Save control' }))
    const notice = await screen.findByRole('alert', { name: 'Edit conflict' })
    await userEvent.click(within(notice).getByRole('button', { name: 'Use their version' }))
    expect(description.value).toBe('Reviewed monthly by the CISO')
    expect(screen.queryByRole('alert', { name: 'Edit conflict' })).toBeNull()
  })
})
