import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'
import type { Task } from './api'

afterEach(() => vi.unstubAllGlobals())

const task = (id: number, kind: Task['kind'], owner_id: number): Task => ({
  id, kind, title: `Task ${id}`, description: '', state: 'due', control_id: kind === 'adhoc' ? null : 3, control_ref: kind === 'adhoc' ? '' : 'AC-03',
  evidence_id: null, owner_id, owner_email: `u${owner_id}@example.com`, window_label: '', window_start: null, window_end: null,
  opens_on: '2026-03-01', due_on: '2026-04-14', done_at: null, done_via: '', done_evidence_id: null, not_applicable: false, na_reason: '',
  engagements: [], version: 1,
})
const user = (id: number, role: string) => ({ id, email: `u${id}@example.com`, name: '', role, access_until: null, disabled: false, created_at: '', disabled_at: null })

describe('team tasks bulk reassign', () => {
  it('reassigns the chosen ad-hoc tasks at once and undoes it owner by owner', async () => {
    const posts: unknown[] = []
    const searches: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      let body: unknown = {}
      if (init?.method === 'POST' && url.pathname === '/api/v1/tasks/bulk') {
        const b = JSON.parse(String(init.body)) as { task_ids: number[] }
        posts.push(b)
        body = { changed: b.task_ids.length, before: [{ task_id: 1, owner_id: 5 }, { task_id: 2, owner_id: 6 }] }
      } else if (url.pathname === '/api/v1/auth/session') {
        body = { user: user(1, 'compliance'), csrf_token: 'c', via: 'session', permissions: ['tasks.read', 'tasks.read_team', 'tasks.work', 'program.read', 'program.manage'] }
      } else if (url.pathname === '/api/v1/tasks') {
        body = { tasks: [task(1, 'adhoc', 5), task(2, 'adhoc', 6), task(3, 'occurrence', 5)], total: 3, limit: 50, offset: 0, today: '2026-04-01' }
      } else if (url.pathname === '/api/v1/users') {
        // The picker asks the server for the people who can be given tasks, matching what was typed.
        searches.push(url.search)
        const q = url.searchParams.get('q') ?? ''
        const users = [user(5, 'owner'), user(6, 'owner'), user(7, 'compliance')].filter((u) => u.email.includes(q))
        body = { users, total: users.length, limit: 20, offset: 0 }
      } else if (url.pathname === '/api/v1/tasks/counts') body = { owners: [], today: '' }
      else if (url.pathname === '/api/v1/engagements') body = { engagements: [] }
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/team-tasks']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    const occurrence = (await screen.findByLabelText('Task 3: follows the owner of AC-03')) as HTMLInputElement
    expect(occurrence.disabled).toBe(true)
    await userEvent.click(screen.getByLabelText('Select every task on this page that can be reassigned'))
    expect(screen.getByText('2 tasks chosen')).toBeTruthy()
    await userEvent.type(screen.getByRole('combobox', { name: 'Reassign to' }), 'u7')
    await userEvent.click(await screen.findByRole('option', { name: 'u7@example.com' }))
    expect(searches.at(-1)).toBe('?q=u7&role=admin%2Ccompliance%2Cowner&active=true&limit=20')
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    await userEvent.click(screen.getByRole('button', { name: 'Reassign' }))
    expect(confirm).toHaveBeenCalledWith('Reassign 2 tasks to u7@example.com? Their current owners stop seeing them.')
    expect(posts).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByRole('button', { name: 'Reassign' }))
    expect((await screen.findByRole('status')).textContent).toContain('Reassigned 2 tasks to u7@example.com.')
    expect(posts).toEqual([{ task_ids: [1, 2], change: { owner_id: 7 } }])
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await screen.findByText('Undone.')
    expect(posts.slice(1)).toEqual([{ task_ids: [1], change: { owner_id: 5 } }, { task_ids: [2], change: { owner_id: 6 } }])
  })
})
