import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const session = {
  user: { id: 2, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage', 'users.read'],
}

const control = {
  id: 3, ref: 'HR-07', title: 'Leaver access removal', description: '', owner_id: null, owner_email: '', performer: '',
  frequency: 'event-driven', nature: 'manual', type: 'preventive', key_control: true, ipe: true, systems: '', implemented_on: null,
  status: 'active', evidence_expected: 'Leaver ticket', risk_addressed: '', ipe_relied_on: '', mapping_count: 0, evidence_count: 0, updated_at: '', version: 1,
}

describe('control form', () => {
  it('edits the evidence expected, the risk addressed and the IPE relied on', async () => {
    const patches: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
      if (init?.method === 'PATCH') {
        patches.push(String(init.body))
        return json({ control: { ...control, ...JSON.parse(String(init.body)) } })
      }
      switch (url.pathname) {
        case '/api/v1/auth/session': return json(session)
        case '/api/v1/controls/3': return json({ control, mappings: [], evidence: [] })
        case '/api/v1/controls/3/automated':
          return json({ control_id: 3, frequency: 'event-driven', from: '', to: '', checks: [], runs: [], windows: [] })
      }
      return json({ users: [], controls: [], requirements: [], total: 0, limit: 500, offset: 0, frameworks: [] })
    }))
    render(
      <MemoryRouter initialEntries={['/controls/3']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    const expected = await screen.findByLabelText(/^Evidence expected/)
    expect((expected as HTMLTextAreaElement).value).toBe('Leaver ticket')
    await userEvent.type(expected, ' with the time access was removed')
    await userEvent.type(screen.getByLabelText(/^Risk addressed/), 'A leaver keeps access')
    await userEvent.type(screen.getByLabelText(/^Information produced by the entity relied on/), 'HR termination report')
    await userEvent.click(screen.getByText('Save control'))
    await screen.findByText('Saved.')
    const sent = JSON.parse(patches[0] ?? '{}')
    expect(sent.evidence_expected).toBe('Leaver ticket with the time access was removed')
    expect(sent.risk_addressed).toBe('A leaver keeps access')
    expect(sent.ipe_relied_on).toBe('HR termination report')
  })

  it('asks before retiring the control on a day, naming both, and saves nothing when refused', async () => {
    const patches: string[] = []
    let saved = control
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
      if (init?.method === 'PATCH') {
        patches.push(String(init.body))
        saved = { ...saved, ...JSON.parse(String(init.body)), version: saved.version + 1 }
        return json({ control: saved })
      }
      if (url.pathname === '/api/v1/auth/session') return json(session)
      if (url.pathname === '/api/v1/controls/3') return json({ control: saved, mappings: [], evidence: [] })
      return json({ users: [], controls: [], requirements: [], total: 0, limit: 500, offset: 0, frameworks: [], checks: [], runs: [], windows: [] })
    }))
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    render(<MemoryRouter initialEntries={['/controls/3']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    await userEvent.type(await screen.findByLabelText(/^Retired on/), '2026-09-30')
    await userEvent.click(screen.getByText('Save control'))
    expect(confirm).toHaveBeenCalledWith('Retire HR-07 Leaver access removal on 2026-09-30? It stops operating after that day: '
      + 'no window after it expects evidence, and no task is set for one.')
    expect(patches).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByText('Save control'))
    await screen.findByText('Saved.')
    expect(JSON.parse(patches[0] ?? '{}').retired_on).toBe('2026-09-30')
    // Saving again without moving the day does not ask again.
    confirm.mockClear()
    await userEvent.click(screen.getByText('Save control'))
    await vi.waitFor(() => expect(patches).toHaveLength(2))
    expect(confirm).not.toHaveBeenCalled()
  })
})
