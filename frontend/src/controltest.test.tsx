import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const session = {
  user: { id: 1, email: 'a@audit.example', name: '', role: 'auditor', access_until: null, disabled: false, created_at: '', disabled_at: null, version: 1 },
  csrf_token: 'c', via: 'session', permissions: ['engagements.read', 'testing.record'],
}
const engagement = {
  id: 4, name: 'SOC 2 FY26', report: 'soc2', type: 'type2', status: 'fieldwork', tester: 'service_auditor', as_of: null,
  period_start: '2026-01-01', period_end: '2026-12-31', categories: ['security'], audit_firm: '', version: 1,
}
const control = {
  id: 7, ref: 'CM-01', title: 'Change approval', frequency: 'as needed', nature: 'manual', owner_email: '', included: true, reason: 'maps CC8.1',
  requirements: ['CC8.1'], windows: [], sample: null, sample_note: '', evidence_outside_period: [], evidence_after_as_of: [], evidence_stale: [],
  implemented_after_as_of: false, basis: 'population', schedule_words: '', calendar_words: '', implemented_on: null, retired_on: null, replaced_by: '', retired: '', changes: [],
}
const noSignOff = { prepared_by: null, prepared_on: null, reviewed_by: null, reviewed_on: null }
const item = { seq: 1, item_id: 'CHG-1', date: '2026-02-01', description: '', results: {}, exception: false, notes: '', tested_by: '', tested_on: null, evidence_ids: [] }
const work = {
  population: null,
  populations: [{ id: 1, phase: 'period', covers_from: '2026-01-01', covers_to: '2026-12-31', source: '', query: '', parameters: '', generated_by: '', generated_at: null, file_name: 'p.csv', item_count: 5, uploaded_at: '', evidence_ids: [] }],
  samples: [{
    id: 9, population_id: 1, extends_id: null, seed: '7', method: 'random', size: 1, required_size: 1, risk: '', size_reason: '', attributes: ['approved'],
    selected_at: '2026-03-01T00:00:00Z', items: [item], sign_off: noSignOff, version: 1, purpose: 'original', remediation_exception_id: null, covers_from: null, covers_to: null,
  }],
  counts: { required: 1, selected: 1, tested: 0, failed: 0, untested: ['CHG-1'] },
}
const exception = (id: number, control_id: number) => ({
  id, control_id, control_ref: '', description: `exception ${id}`, management_response: '', sample_id: null, sample_seq: null,
  remediation_date: null, remediation_owner_id: null, remediation_owner: '', version: 1,
})

type Answer = [number, unknown]

/** Serves the control's testing page and records every request as "METHOD /path". */
function serve(override: (path: string, method: string) => Answer | undefined = () => undefined): string[] {
  const seen: string[] = []
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://socmap.test')
    const method = init.method ?? 'GET'
    const path = url.pathname.replace('/api/v1', '')
    if (path !== '/auth/session') seen.push(`${method} ${path}`)
    const base = '/engagements/4/controls/7'
    const answers: Record<string, Answer> = {
      '/auth/session': [200, session],
      '/engagements/4': [200, { engagement, sample_policy: { bands: [] } }],
      [base]: [200, { control }],
      [`${base}/result`]: [200, { result: { version: 0 } }],
      [`${base}/work`]: [200, work],
      [`${base}/evidence`]: [200, { evidence: [], total: 0 }],
      [`${base}/walkthrough`]: [200, { walkthrough: { control_id: 7, performed_on: '', participants: '', instance_traced: '', evidence_inspected: '', evidence_ids: [], performed_by: '', updated_at: '', version: 0 } }],
      '/engagements/4/exceptions': [200, { exceptions: [exception(1, 7), exception(2, 8)] }],
    }
    const [status, body] = override(path, method) ?? (method === 'GET' ? answers[path] : undefined) ?? [204, null]
    return new Response(status === 204 ? null : JSON.stringify(body), { status })
  }))
  return seen
}

const open = () => render(<MemoryRouter initialEntries={['/engagements/4/controls/7']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
const settle = () => act(() => new Promise((r) => setTimeout(r, 200)))

describe('a control in an engagement', () => {
  it('reads each of its parts once, and the exceptions of this control only', async () => {
    const seen = serve()
    open()
    expect(await screen.findByRole('heading', { level: 1, name: /Change approval/ })).toBeTruthy()
    await settle()
    expect(screen.getByRole('heading', { name: 'Exceptions (1)' })).toBeTruthy()
    expect(screen.getByText('exception 1')).toBeTruthy()
    expect(screen.queryByText('exception 2')).toBeNull()
    expect(seen.filter((r) => r.startsWith('GET /engagements/4')).sort()).toEqual([
      'GET /engagements/4', 'GET /engagements/4/controls/7', 'GET /engagements/4/controls/7/evidence', 'GET /engagements/4/controls/7/result',
      'GET /engagements/4/controls/7/walkthrough', 'GET /engagements/4/controls/7/work', 'GET /engagements/4/exceptions',
    ])
  })

  it('records a sampled item and reads again only the samples and the exceptions', async () => {
    const seen = serve()
    open()
    const cell = await screen.findByRole('combobox', { name: 'approved for CHG-1' })
    await settle()
    seen.length = 0
    await userEvent.selectOptions(cell, 'pass')
    await settle()
    expect(seen).toEqual(['PUT /engagements/4/samples/9/items/1', 'GET /engagements/4/controls/7/work', 'GET /engagements/4/exceptions'])
  })

  it('adds an exception and reads again only the exceptions', async () => {
    const seen = serve()
    open()
    const box = await screen.findByLabelText('New exception')
    await settle()
    seen.length = 0
    await userEvent.type(box, 'late approval')
    await userEvent.click(screen.getByRole('button', { name: 'Add exception' }))
    await settle()
    expect(seen).toEqual(['POST /engagements/4/controls/7/exceptions', 'GET /engagements/4/exceptions'])
  })

  it('says what could not be read and reads it again on Try again', async () => {
    let down = true
    const seen = serve((path, method) => (down && method === 'GET' && path === '/engagements/4/controls/7/work'
      ? [403, { error: { code: 'forbidden', message: 'no access to this work' } }] : undefined))
    open()
    expect((await screen.findByRole('alert')).textContent).toContain('no access to this work')
    expect(screen.queryByText('Loading…')).toBeNull()
    down = false
    seen.length = 0
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('heading', { level: 1, name: /Change approval/ })).toBeTruthy()
    expect(seen).toEqual(['GET /engagements/4/controls/7/work'])
  })
})
