import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const session = {
  user: { id: 2, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage'],
}
const control = {
  id: 3, ref: 'HR-07', title: 'Leaver access removal', description: '', owner_id: null, owner_email: '', performer: '',
  frequency: 'event-driven', nature: 'manual', type: 'preventive', key_control: true, ipe: false, systems: '', implemented_on: null,
  status: 'active', evidence_expected: '', risk_addressed: '', ipe_relied_on: '', mapping_count: 1, evidence_count: 0, updated_at: '', version: 1,
}
const mapping = { requirement: 'soc2-tsc-2017/CC6.2', framework_id: 'soc2-tsc-2017', ref: 'CC6.2', title: 'Access removal', rationale: '' }

/** Serves one control's page and records every request but the session's as "METHOD /path". */
function serve(down: (path: string) => boolean = () => false, shown: Record<string, unknown> = control): string[] {
  const seen: string[] = []
  let mappings = [mapping]
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://socmap.test')
    const method = init.method ?? 'GET'
    const path = url.pathname.replace('/api/v1', '')
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
    if (path !== '/auth/session') seen.push(`${method} ${path}`)
    if (down(path)) return json({ error: { code: 'forbidden', message: 'not for you' } }, 403)
    if (method === 'PATCH') return json({ control: { ...control, ...JSON.parse(String(init.body)), version: 2 } })
    if (method === 'POST' && path === '/mappings') {
      mappings = []
      return json({ added: 0, removed: 1 })
    }
    switch (path) {
      case '/auth/session': return json(session)
      case '/controls/3': return json({ control: shown, mappings, evidence: [] })
      case '/controls/9': return json({ control: { ...control, id: 9, ref: 'HR-09', title: 'Automated leaver removal' }, mappings: [], evidence: [] })
      case '/controls/3/engagements': return json({ engagements: [] })
      case '/controls/3/automated': return json({ control_id: 3, frequency: 'event-driven', from: '', to: '', checks: [], runs: [], windows: [] })
      case '/frameworks': return json({ frameworks: [{ id: 'soc2-tsc-2017', name: 'SOC 2' }] })
    }
    return json({ users: [], total: 0, limit: 20, offset: 0 })
  }))
  return seen
}

const open = () => render(<MemoryRouter initialEntries={['/controls/3']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
const settle = () => act(() => new Promise((r) => setTimeout(r, 200)))

describe('the control page', () => {
  it('saves the attributes without reading the control, its engagements or the frameworks again', async () => {
    const seen = serve()
    open()
    const title = await screen.findByLabelText('Title')
    expect(await screen.findByText('No engagement has this control in scope.')).toBeTruthy()
    await settle()
    seen.length = 0
    await userEvent.type(title, ' on the day')
    await userEvent.click(screen.getByText('Save control'))
    await screen.findByText('Saved.')
    await settle()
    expect(seen).toEqual(['PATCH /controls/3'])
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Leaver access removal on the day')
  })

  it('reads only the control again after removing a mapping', async () => {
    const seen = serve()
    vi.stubGlobal('confirm', () => true)
    open()
    const remove = await screen.findByRole('button', { name: 'Remove mapping to CC6.2' })
    await settle()
    seen.length = 0
    await userEvent.click(remove)
    expect(await screen.findByText('Not mapped to any requirement yet.')).toBeTruthy()
    await settle()
    expect(seen.filter((r) => r.startsWith('GET'))).toEqual(['GET /controls/3'])
  })

  it('offers to read the engagements again when they cannot be read, and still shows the control', async () => {
    let down = true
    serve((path) => down && path === '/controls/3/engagements')
    open()
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load the engagements: not for you')
    expect(screen.getByLabelText('Title')).toBeTruthy()
    down = false
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText('No engagement has this control in scope.')).toBeTruthy()
  })

  it('names the replacing control of a retired one, read once', async () => {
    const seen = serve(undefined, { ...control, retired_on: '2026-09-30', replaced_by: 9 })
    open()
    const box = await screen.findByRole('combobox', { name: 'Replaced by' })
    await vi.waitFor(() => expect((box as HTMLInputElement).value).toBe('HR-09 — Automated leaver removal'))
    await settle()
    expect(seen.filter((r) => r === 'GET /controls/9')).toHaveLength(1)
  })
})
