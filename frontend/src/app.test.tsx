import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'
import { safeNext } from './pages/LoginPage'
import { describeChanges } from './pages/AuditPage'

type Handler = (url: URL, init: RequestInit) => [number, unknown]

function serve(handler: Handler) {
  const f = vi.fn(async (input: string, init: RequestInit) => {
    const [status, body] = handler(new URL(input, 'http://socmap.test'), init)
    return new Response(status === 204 ? null : JSON.stringify(body), { status })
  })
  vi.stubGlobal('fetch', f)
  return f
}

const soc2 = {
  id: 'soc2-tsc-2017',
  name: 'SOC 2 Trust Services Criteria',
  kind: 'soc2',
  version: '2017',
  description: 'The criteria.',
  requirement_count: 2,
  categories: [{ code: 'security', name: 'Security', description: '', requirement_count: 2 }],
}
const all = [
  { framework_id: soc2.id, ref: 'CC1.1', category: 'security', series: 'CC1', series_name: 'Control environment', coso_principle: 1, title: 'Integrity and ethics', description: 'd', industry: '', optional: false, replaces: [], activities: [] },
  { framework_id: soc2.id, ref: 'CC6.1', category: 'security', series: 'CC6', series_name: 'Logical access', coso_principle: null, title: 'Logical access security', description: 'd', industry: '', optional: false, replaces: [], activities: [] },
]

function sessionOf(role: string, permissions: string[]) {
  return { user: { id: 1, email: `${role}@example.com`, name: '', role, access_until: null, disabled: false, created_at: '', disabled_at: null }, csrf_token: 'c', via: 'session', permissions }
}

function api(session: unknown): Handler {
  return (url) => {
    switch (url.pathname) {
      case '/api/v1/auth/session':
        return session ? [200, session] : [401, { error: { code: 'unauthenticated', message: 'sign in' } }]
      case '/api/v1/setup':
        return [200, { needed: false }]
      case '/api/v1/frameworks':
        return [200, { frameworks: [soc2] }]
      case `/api/v1/frameworks/${soc2.id}/requirements`: {
        const q = (url.searchParams.get('q') ?? '').toLowerCase()
        const hits = all.filter((r) => r.ref.toLowerCase().includes(q) || r.title.toLowerCase().includes(q))
        return [200, { requirements: hits, total: hits.length, limit: 500, offset: 0 }]
      }
      default:
        return [404, { error: { code: 'not_found', message: 'no' } }]
    }
  }
}

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </MemoryRouter>,
  )
}

afterEach(() => vi.unstubAllGlobals())

describe('App', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    serve(api(null))
    renderAt('/catalog')
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy()
  })

  it('shows an auditor only the pages their role allows', async () => {
    serve(api(sessionOf('auditor', ['account.read', 'catalog.read', 'audit.read'])))
    renderAt('/catalog')
    expect(await screen.findByRole('link', { name: 'Audit log' })).toBeTruthy()
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull()
  })

  it('refuses a page the role may not open even by URL', async () => {
    serve(api(sessionOf('viewer', ['account.read', 'catalog.read'])))
    renderAt('/users')
    expect(await screen.findByRole('heading', { name: 'Not available to your role' })).toBeTruthy()
  })

  it('lists the criteria grouped by series and searches as you type', async () => {
    const f = serve(api(sessionOf('viewer', ['account.read', 'catalog.read'])))
    renderAt('/catalog')
    expect(await screen.findByText('CC1 – Control environment')).toBeTruthy()
    expect(screen.getByText('COSO principle 1')).toBeTruthy()
    expect(screen.getByText('2 requirements')).toBeTruthy()

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search requirements' }), 'cc6')
    await waitFor(() => expect(screen.getByText('1 requirement matches "cc6"')).toBeTruthy())
    expect(screen.queryByText('Integrity and ethics')).toBeNull()
    expect(f.mock.calls.some(([u]) => String(u).includes('q=cc6'))).toBe(true)
  })

  it('says so when nothing matches', async () => {
    serve(api(sessionOf('viewer', ['account.read', 'catalog.read'])))
    renderAt('/catalog?q=nothing-like-this')
    expect(await screen.findByText(/No requirements match/)).toBeTruthy()
  })
})

describe('step-up re-authentication', () => {
  it('asks for the password when the server wants it confirmed, then sends the request again', async () => {
    const base = api(sessionOf('admin', ['account.read', 'account.write', 'catalog.read']))
    let confirmed = false
    const sent: string[] = []
    serve((url, init) => {
      const key = `${init.method ?? 'GET'} ${url.pathname}`
      sent.push(key)
      switch (key) {
        case 'GET /api/v1/tokens':
          return [200, { tokens: [] }]
        case 'POST /api/v1/tokens':
          return confirmed
            ? [201, { token: 'smp_secret', details: { id: 1, name: 'ci', prefix: 'smp_se', scope: 'read', expires_at: null, last_used_at: null, revoked_at: null, created_at: '' } }]
            : [403, { error: { code: 'reauth_required', message: 'enter your password again to do this' } }]
        case 'POST /api/v1/auth/reauth': {
          const ok = JSON.parse(String(init.body)).password === 'my-real-passphrase'
          confirmed = ok
          return ok ? [200, { reauth_at: 'now' }] : [400, { error: { code: 'invalid_request', message: 'the password is wrong', fields: { password: 'wrong password' } } }]
        }
        default:
          return base(url, init)
      }
    })
    renderAt('/tokens')
    await userEvent.type(await screen.findByLabelText('Name'), 'ci')
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }))
    const password = await screen.findByLabelText('Password')
    await userEvent.type(password, 'a-wrong-guess')
    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }))
    expect(await screen.findByText('the password is wrong')).toBeTruthy()
    await userEvent.clear(password)
    await userEvent.type(password, 'my-real-passphrase')
    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }))
    expect(await screen.findByText('smp_secret')).toBeTruthy()
    expect(sent.filter((k) => k === 'POST /api/v1/tokens').length).toBe(2)
    expect(screen.queryByLabelText('Password')).toBeNull()
  })
})

describe('safeNext', () => {
  it('only follows paths inside the app', () => {
    expect(safeNext('/audit?actor=a')).toBe('/audit?actor=a')
    expect(safeNext('//evil.example')).toBe('/catalog')
    expect(safeNext('https://evil.example')).toBe('/catalog')
    expect(safeNext(null)).toBe('/catalog')
  })
})

describe('describeChanges', () => {
  it('shows each field before and after', () => {
    expect(describeChanges({ role: { before: 'owner', after: 'compliance' }, email: { before: null, after: 'a@x' } })).toBe(
      'email: – → a@x; role: owner → compliance',
    )
  })
})
