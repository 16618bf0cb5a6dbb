import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { newQueryClient } from './queries/client'
import { HolidaysCard, removedHolidays } from './pages/HolidaysCard'
import { StatusControl } from './pages/Lock'
import { AuditPage } from './pages/AuditPage'
import { AuditorEditor, ScopeEditor } from './pages/EngagementPage'
import { ApplicabilityControl } from './pages/Conclusions'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

describe('destructive changes ask first, naming what they affect', () => {
  it('asks before locking the engagement, and does nothing when refused', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onMove = vi.fn()
    render(<StatusControl e={{ status: 'fieldwork' }} admin={false} onMove={onMove} />)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'reporting')
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Move the engagement to reporting?'))
    expect(onMove).not.toHaveBeenCalled()
    confirm.mockReturnValue(true)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'reporting')
    expect(onMove).toHaveBeenCalledWith('reporting')
  })

  it('moves within planning and fieldwork without asking', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onMove = vi.fn()
    render(<StatusControl e={{ status: 'planning' }} admin={false} onMove={onMove} />)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'fieldwork')
    expect(confirm).not.toHaveBeenCalled()
    expect(onMove).toHaveBeenCalledWith('fieldwork')
  })

  it('names the holidays a save would remove', () => {
    const before = [{ day: '2026-12-25', name: 'Christmas Day' }, { day: '2026-12-26', name: '' }]
    expect(removedHolidays(before, [{ day: '2026-12-25', name: 'Christmas' }])).toEqual(['2026-12-26'])
    expect(removedHolidays(before, [...before, { day: '2027-01-01', name: 'New Year' }])).toEqual([])
  })

  it('asks before removing a holiday and sends nothing when refused', async () => {
    const puts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (_input: string, init?: RequestInit) => {
      if (init?.method === 'PUT') puts.push(JSON.parse(String(init.body)))
      return new Response(JSON.stringify({ holidays: [{ day: '2026-12-25', name: 'Christmas Day' }, { day: '2026-12-26', name: 'Boxing Day' }] }), { status: 200 })
    }))
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    render(<QueryClientProvider client={newQueryClient()}><HolidaysCard editable /></QueryClientProvider>)
    const box = (await screen.findByLabelText('One per line: the date, then its name')) as HTMLTextAreaElement
    await userEvent.clear(box)
    await userEvent.type(box, '2026-12-25 Christmas Day')
    await userEvent.click(screen.getByRole('button', { name: 'Save holidays' }))
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Remove the holidays 2026-12-26 Boxing Day?'))
    expect(puts).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByRole('button', { name: 'Save holidays' }))
    await waitFor(() => expect(puts).toEqual([{ holidays: [{ day: '2026-12-25', name: 'Christmas Day' }] }]))
  })
})

describe('a role change', () => {
  it('asks first, then offers to undo it with the old role on the saved version', async () => {
    const account = (id: number, role: string, version: number) => ({
      id, email: `u${id}@example.com`, name: '', role, access_until: null, disabled: false, created_at: '', disabled_at: null, version,
    })
    let bob = account(5, 'viewer', 1)
    const patches: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      let body: unknown = {}
      if (init?.method === 'PATCH' && url.pathname === '/api/v1/users/5') {
        const p = JSON.parse(String(init.body)) as { role: string }
        patches.push({ ...p, version: new Headers(init.headers).get('If-Match') })
        bob = account(5, p.role, bob.version + 1)
        body = { user: bob }
      } else if (url.pathname === '/api/v1/auth/session') {
        body = { user: account(1, 'admin', 1), csrf_token: 'c', via: 'session', permissions: ['users.manage', 'program.read'] }
      } else if (url.pathname === '/api/v1/users') body = { users: [account(1, 'admin', 1), bob] }
      else if (url.pathname === '/api/v1/engagements') body = { engagements: [] }
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    render(<MemoryRouter initialEntries={['/users']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    const role = (await screen.findByLabelText('Role of u5@example.com')) as HTMLSelectElement
    await userEvent.selectOptions(role, 'compliance')
    expect(confirm).toHaveBeenCalledWith('Make u5@example.com compliance? What they may see and do changes at once.')
    expect(patches).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.selectOptions(role, 'compliance')
    expect((await screen.findByText('u5@example.com is now compliance.'))).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await screen.findByText('Undone.')
    expect(patches).toEqual([{ role: 'compliance', version: '"1"' }, { role: 'viewer', version: '"2"' }])
    await waitFor(() => expect((screen.getByLabelText('Role of u5@example.com') as HTMLSelectElement).value).toBe('viewer'))
  })
})

describe('a failed load', () => {
  it('says the holidays could not be read, never that there are none, and reads them again', async () => {
    let fail = true
    vi.stubGlobal('fetch', vi.fn(async () => fail
      ? new Response(JSON.stringify({ error: { code: 'unavailable', message: 'the database is busy' } }), { status: 503 })
      : new Response(JSON.stringify({ holidays: [{ day: '2026-12-25', name: 'Christmas Day' }] }), { status: 200 })))
    const client = newQueryClient()
    client.setDefaultOptions({ queries: { retry: false } })
    render(<QueryClientProvider client={client}><HolidaysCard editable /></QueryClientProvider>)
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load the holidays: the database is busy')
    expect(screen.queryByLabelText(/One per line/)).toBeNull()
    fail = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(((await screen.findByLabelText(/One per line/)) as HTMLTextAreaElement).value).toBe('2026-12-25 Christmas Day')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('says the accounts could not be read and reads them again', async () => {
    let fail = true
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      const admin = { id: 1, email: 'root@example.com', name: '', role: 'admin', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 }
      if (url.pathname === '/api/v1/auth/session') {
        return new Response(JSON.stringify({ user: admin, csrf_token: 'c', via: 'session', permissions: ['users.manage'] }), { status: 200 })
      }
      if (url.pathname === '/api/v1/users') {
        return fail ? new Response(JSON.stringify({ error: { code: 'unavailable', message: 'the database is busy' } }), { status: 503 })
          : new Response(JSON.stringify({ users: [admin] }), { status: 200 })
      }
      return new Response(JSON.stringify({ engagements: [] }), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/users']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    // A failed read (5xx) is tried once more before the page gives up on it.
    expect((await screen.findByRole('alert', {}, { timeout: 4000 })).textContent).toContain('Could not load the accounts: the database is busy')
    fail = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByLabelText('Role of root@example.com')).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
  })
})

describe('a list that failed to load', () => {
  it('says the audit log could not be read, shows no count, and reads it again', async () => {
    let fail = true
    vi.stubGlobal('fetch', vi.fn(async () => fail
      ? new Response(JSON.stringify({ error: { code: 'unavailable', message: 'the database is busy' } }), { status: 503 })
      : new Response(JSON.stringify({ entries: [], total: 0, limit: 50, offset: 0 }), { status: 200 })))
    const client = newQueryClient()
    client.setDefaultOptions({ queries: { retry: false } })
    render(<MemoryRouter initialEntries={['/audit']}><QueryClientProvider client={client}><AuditPage /></QueryClientProvider></MemoryRouter>)
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load the audit log: the database is busy')
    expect(document.querySelector('#audit-count')).toBeNull()
    fail = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(document.querySelector('#audit-count')?.textContent).toContain('0 entries'))
    expect(screen.queryByRole('alert')).toBeNull()
  })
})

describe('a task closed by hand', () => {
  it('says it is done and reopens it from the notice on the version just saved', async () => {
    const owner = { id: 7, email: 'o@example.com', name: '', role: 'owner', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 }
    let t = {
      id: 2, kind: 'adhoc', title: 'Review the firewall rules', description: '', state: 'due', control_id: null, control_ref: '', evidence_id: null,
      owner_id: 7, owner_email: owner.email, window_label: '', window_start: null, window_end: null, opens_on: '2026-04-01', due_on: '2026-04-30',
      done_at: null, done_via: '', done_evidence_id: null, not_applicable: false, na_reason: '', engagements: [], version: 4,
    }
    const posts: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      if (init?.method === 'POST') {
        posts.push(`${url.pathname} ${new Headers(init.headers).get('If-Match')}`)
        t = { ...t, state: url.pathname.endsWith('/done') ? 'done' : 'due', done_via: 'manual', version: t.version + 1 }
        return new Response(JSON.stringify({ task: t }), { status: 200 })
      }
      if (url.pathname === '/api/v1/auth/session') {
        return new Response(JSON.stringify({ user: owner, csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'tasks.work', 'program.read'] }), { status: 200 })
      }
      const rows = url.searchParams.get('state')?.split(',').includes(t.state) ? [t] : []
      return new Response(JSON.stringify({ tasks: rows, total: rows.length, limit: 50, offset: 0, today: '2026-04-20', requests: [] }), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/tasks']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    await userEvent.click(await screen.findByRole('button', { name: 'Mark done' }))
    expect((await screen.findByText('“Review the firewall rules” is done.'))).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await screen.findByText('Undone.')
    expect(posts).toEqual(['/api/v1/tasks/2/done "4"', '/api/v1/tasks/2/reopen "5"'])
    expect(await screen.findByRole('button', { name: 'Mark done' })).toBeTruthy()
  })
})

describe("an engagement's scope and auditors", () => {
  it('asks before making a criterion applicable again, naming it, and sends nothing when refused', async () => {
    const deletes: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      if (init?.method === 'DELETE') deletes.push(new URL(input, 'http://socmap.test').pathname)
      return new Response(null, { status: 204 })
    }))
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onChanged = vi.fn()
    render(<ApplicabilityControl id={4} refName="CC9.2" notApplicable onChanged={onChanged} />)
    await userEvent.click(screen.getByRole('button', { name: 'Applicable again' }))
    expect(confirm).toHaveBeenCalledWith('Make CC9.2 applicable to this engagement again? The reason it does not apply is removed, '
      + 'and it needs its controls and a conclusion like every criterion in scope.')
    expect(deletes).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByRole('button', { name: 'Applicable again' }))
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1))
    expect(deletes).toHaveLength(1)
  })

  it('asks before excluding a control, naming it', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onSave = vi.fn()
    const controls = [{ value: '3', label: 'AC-03 — Access review' }, { value: '4', label: 'HR-02 — Leavers' }]
    const search = (text: string) => Promise.resolve({ choices: controls.filter((c) => c.label.includes(text)), total: 2 })
    render(<ScopeEditor search={search} onSave={onSave} />)
    await userEvent.type(screen.getByRole('combobox', { name: 'Exclude control' }), 'Leavers')
    await userEvent.click(await screen.findByRole('option', { name: 'HR-02 — Leavers' }))
    await userEvent.type(screen.getByLabelText('Reason'), 'outsourced')
    await userEvent.click(screen.getByRole('button', { name: 'Exclude' }))
    expect(confirm).toHaveBeenCalledWith("Exclude HR-02 from the engagement's scope? It is no longer tested or reported for this period.")
    expect(onSave).not.toHaveBeenCalled()
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByRole('button', { name: 'Exclude' }))
    expect(onSave).toHaveBeenCalledWith(4, 'outsourced')
  })

  it('asks before taking an auditor off, naming them, and not when only adding', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onSave = vi.fn()
    render(<AuditorEditor current={['a@firm.example', 'b@firm.example']} onSave={onSave} />)
    const box = screen.getByLabelText('Auditor e-mail addresses, comma-separated')
    await userEvent.type(box, ', c@firm.example')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(confirm).not.toHaveBeenCalled()
    expect(onSave).toHaveBeenLastCalledWith(['a@firm.example', 'b@firm.example', 'c@firm.example'])
    await userEvent.clear(box)
    await userEvent.type(box, 'b@firm.example')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(confirm).toHaveBeenCalledWith('Remove a@firm.example from the auditors? Their access to this engagement ends at once.')
    expect(onSave).toHaveBeenCalledTimes(1)
  })
})

describe('my tasks when a list fails', () => {
  it('says which tasks could not be read and reads them again', async () => {
    let fail = true
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname === '/api/v1/auth/session') {
        const owner = { id: 7, email: 'o@example.com', name: '', role: 'owner', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 }
        return new Response(JSON.stringify({ user: owner, csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'program.read'] }), { status: 200 })
      }
      if (fail && url.searchParams.get('state') === 'overdue') {
        return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'the database is busy' } }), { status: 503 })
      }
      return new Response(JSON.stringify({ tasks: [], total: 0, limit: 50, offset: 0, today: '2026-04-20', requests: [] }), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/tasks']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    expect((await screen.findByRole('alert', {}, { timeout: 5000 })).textContent).toContain('Could not load the overdue tasks: the database is busy')
    expect(screen.queryByText('Nothing is due. Well done.')).toBeNull()
    fail = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText('Nothing is due. Well done.')).toBeTruthy()
  })
})
