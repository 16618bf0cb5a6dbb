import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'
import type { Task } from './api'

afterEach(() => vi.unstubAllGlobals())

const task = (id: number, state: Task['state'], owner_id: number, extra: Partial<Task> = {}): Task => ({
  id, kind: 'occurrence', title: `Upload evidence for AC-03, task ${id}`, description: '', state, control_id: 3, control_ref: 'AC-03',
  evidence_id: null, owner_id, owner_email: 'o@example.com', window_label: 'March 2026', window_start: '2026-03-01', window_end: '2026-03-31',
  opens_on: '2026-03-01', due_on: '2026-04-14', done_at: null, done_via: '', done_evidence_id: null, not_applicable: false, na_reason: '',
  engagements: [{ id: 1, name: 'SOC 2 Type II' }], version: 1, ...extra,
})

function serve(list: Task[], posts: { url: string; body: string }[]) {
  vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://socmap.test')
    if (init?.method === 'POST') {
      posts.push({ url: url.pathname, body: String(init.body) })
      return new Response(JSON.stringify({ task: list[0] }), { status: 200 })
    }
    const body =
      url.pathname === '/api/v1/auth/session'
        ? { user: { id: 7, email: 'o@example.com', name: '', role: 'owner', access_until: null, disabled: false, created_at: '', disabled_at: null },
            csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'tasks.work', 'program.read'] }
        : listed(list, url)
    return new Response(JSON.stringify(body), { status: 200 })
  }))
}

/** The page of list the tasks API answers for url's state, owner, limit and offset. */
function listed(list: Task[], url: URL) {
  const states = url.searchParams.get('state')?.split(',')
  const owner = Number(url.searchParams.get('owner_id') ?? 0)
  const rows = list.filter((t) => (!states || states.includes(t.state)) && (!owner || t.owner_id === owner))
  const limit = Number(url.searchParams.get('limit') ?? 100), offset = Number(url.searchParams.get('offset') ?? 0)
  return { tasks: rows.slice(offset, offset + limit), total: rows.length, limit, offset, today: '2026-04-20' }
}

describe('my tasks', () => {
  it('groups tasks by urgency, offers an upload and asks why a task does not apply', async () => {
    const posts: { url: string; body: string }[] = []
    serve([task(1, 'overdue', 7), task(2, 'due', 7, { kind: 'adhoc', control_id: null, control_ref: '' }), task(3, 'upcoming', 7)], posts)
    render(
      <MemoryRouter initialEntries={['/']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    // An owner lands on their tasks.
    expect(await screen.findByRole('heading', { name: 'My tasks' })).toBeTruthy()
    await screen.findByText(/task 1/)
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)
    expect(headings.slice(0, 3)).toEqual(['Overdue 1', 'Due 1', 'Upcoming 1'])
    const overdue = document.querySelector('#tasks-table-overdue')! as HTMLElement
    await userEvent.click(within(overdue).getByText('Upload evidence'))
    const form = screen.getByRole('form', { name: /Upload evidence for/ })
    expect((within(form).getByLabelText('Covers from') as HTMLInputElement).value).toBe('2026-03-01')
    expect((within(form).getByLabelText('Title') as HTMLInputElement).value).toBe('AC-03 evidence, March 2026')
    // An ad-hoc task is marked done by hand; an evidence task is not.
    const due = document.querySelector('#tasks-table-due')! as HTMLElement
    expect(within(overdue).queryByText('Mark done')).toBeNull()
    await userEvent.click(within(due).getByText('Not applicable…'))
    await userEvent.type(screen.getByLabelText('Why does this task not apply?'), 'asked twice')
    await userEvent.click(screen.getByText('Mark not applicable'))
    expect(posts).toEqual([{ url: '/api/v1/tasks/2/not-applicable', body: '{"reason":"asked twice"}' }])
  })
})

describe('a task someone else changed', () => {
  it('sends the listed version, shows their change on a 412 and does it anyway only when asked', async () => {
    const sent: { url: string; ifMatch: string | null }[] = []
    const listed = task(2, 'due', 7, { kind: 'adhoc', control_id: null, control_ref: '', version: 4 })
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      if (init?.method === 'POST') {
        const ifMatch = new Headers(init.headers).get('If-Match')
        sent.push({ url: url.pathname, ifMatch })
        if (ifMatch === '"4"') {
          const theirs = { ...listed, state: 'not_applicable', not_applicable: true, na_reason: 'covered by the annual review', version: 5 }
          return new Response(JSON.stringify({ error: { code: 'version_mismatch', message: 'someone else saved this' }, current: { task: theirs } }), { status: 412 })
        }
        return new Response(JSON.stringify({ task: { ...listed, state: 'done', version: 6 } }), { status: 200 })
      }
      const body =
        url.pathname === '/api/v1/auth/session'
          ? { user: { id: 7, email: 'o@example.com', name: '', role: 'owner', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 },
              csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'tasks.work', 'program.read'] }
          : { tasks: [listed], total: 1, limit: 500, offset: 0, today: '2026-04-20' }
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(
      <MemoryRouter initialEntries={['/']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    await userEvent.click(await screen.findByText('Mark done'))
    const notice = await screen.findByRole('alert', { name: 'Edit conflict' })
    expect(sent).toEqual([{ url: '/api/v1/tasks/2/done', ifMatch: '"4"' }])
    expect(notice.textContent).toContain('covered by the annual review')
    await userEvent.click(within(notice).getByRole('button', { name: 'Do it anyway' }))
    await waitFor(() => expect(sent).toHaveLength(2))
    expect(sent[1]).toEqual({ url: '/api/v1/tasks/2/done', ifMatch: '"5"' })
  })

  it('shows an administrator their own tasks only, each state paged with its total', async () => {
    const mine = Array.from({ length: 120 }, (_, i) => task(i + 1, 'overdue', 1))
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname === '/api/v1/tasks') seen.push(url.search)
      const body = url.pathname === '/api/v1/auth/session'
        ? { user: { id: 1, email: 'admin@example.com', name: '', role: 'admin', access_until: null, disabled: false, created_at: '', disabled_at: null },
            csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'tasks.work', 'tasks.read_team', 'program.read'] }
        : url.pathname === '/api/v1/tasks' ? listed([...mine, task(500, 'overdue', 2)], url) : { requests: [] }
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/tasks']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    expect(await screen.findByRole('heading', { name: 'Overdue 120' })).toBeTruthy()
    expect(screen.getByText('1–50 of 120')).toBeTruthy()
    expect(seen.every((q) => q.includes('owner_id=1'))).toBe(true)
    await userEvent.click(screen.getByRole('button', { name: 'Page 3' }))
    expect(await screen.findByText('101–120 of 120')).toBeTruthy()
    expect(await screen.findByText(/task 120$/)).toBeTruthy()
    expect(seen).toContain('?owner_id=1&state=overdue&limit=50&offset=100')
  })
})
