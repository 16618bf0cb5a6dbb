import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'
import type { AutomatedHistory, IngestCheck } from './api'

afterEach(() => vi.unstubAllGlobals())

const session = {
  user: { id: 2, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage', 'ingest.write', 'users.read'],
}

const unmapped: IngestCheck = {
  check_id: 'ec2_instance_imdsv2_enabled', title: 'IMDSv2 is required', tool: 'Prowler', last_seen_at: '2026-03-02T02:20:00Z',
  criteria: [], controls: [], via: '', latest: { passed: 3, failed: 1, errored: 0, skipped: 0 },
}

const history: AutomatedHistory = {
  control_id: 3, frequency: 'daily', from: '2026-03-01', to: '2026-03-03',
  checks: [{ check_id: 'iam_user_mfa_enabled_console_access', title: 'MFA', via: 'criteria' }],
  runs: [
    { run_id: 1, source_id: 1, source: 'aws-prod', scanned_at: '2026-03-02T02:14:07Z', evidence_id: 9, outcome: 'fail', passed: 1, failed: 1, errored: 0, skipped: 0,
      failing: [{ id: 5, run_id: 1, check_id: 'iam_user_mfa_enabled_console_access', status: 'fail', resource: 'arn:aws:iam::210987654321:user/dana', message: 'No MFA' }], failing_total: 1 },
    { run_id: 2, source_id: 1, source: 'aws-prod', scanned_at: '2026-03-03T02:00:00Z', evidence_id: 10, outcome: 'pass', passed: 2, failed: 0, errored: 0, skipped: 0, failing: [], failing_total: 0 },
  ],
  windows: [
    { label: '2026-03-01', start: '2026-03-01', end: '2026-03-01', state: 'missing', passing_runs: 0, failing_runs: 0 },
    { label: '2026-03-02', start: '2026-03-02', end: '2026-03-02', state: 'failed', passing_runs: 0, failing_runs: 1 },
    { label: '2026-03-03', start: '2026-03-03', end: '2026-03-03', state: 'covered', passing_runs: 1, failing_runs: 0 },
  ],
}

function serve(posts: { url: string; body: string }[]) {
  vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://socmap.test')
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status })
    if (init?.method === 'POST') {
      posts.push({ url: url.pathname, body: String(init.body) })
      return json({ rules: [], created: 1 }, 201)
    }
    switch (url.pathname) {
      case '/api/v1/auth/session': return json(session)
      case '/api/v1/ingest/sources':
        return json({ sources: [{ id: 1, name: 'aws-prod', tool: 'Prowler', owner_id: null, owner_email: '', interval_hours: 24,
          last_scanned_at: '2026-03-02T02:14:07Z', runs: 1, stale: true, stale_since: '2026-03-03T02:14:07Z' }] })
      case '/api/v1/ingest/checks': return json({ checks: [unmapped] })
      case '/api/v1/ingest/rules': return json({ rules: [] })
      case '/api/v1/ingest/runs': return json({ runs: [], total: 0, limit: 20, offset: 0 })
      case '/api/v1/controls':
        return json({ controls: url.searchParams.get('q') === 'AC-03' ? [{ id: 7, ref: 'AC-03', title: 'Access review' }] : [], total: 1, limit: 20, offset: 0 })
      case '/api/v1/controls/3/automated': return json(history)
      case '/api/v1/controls/3':
        return json({ control: { id: 3, ref: 'AC-01', title: 'MFA for everyone', description: '', owner_id: null, owner_email: '', performer: '',
          frequency: 'daily', nature: 'it-dependent-manual', type: 'preventive', key_control: false, ipe: false, systems: '', implemented_on: null,
          status: 'active', mapping_count: 1, evidence_count: 1, updated_at: '' }, mappings: [], evidence: [] })
    }
    return json({ users: [], controls: [], requirements: [], total: 0, limit: 500, offset: 0, frameworks: [] })
  }))
}

function open(path: string) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </MemoryRouter>,
  )
}

describe('automated evidence', () => {
  it('flags a silent source and maps an unmapped check to a control with a rule', async () => {
    const posts: { url: string; body: string }[] = []
    serve(posts)
    open('/automated')
    expect(await screen.findByRole('heading', { name: 'Automated evidence' })).toBeTruthy()
    await screen.findByText(/stale since/)
    const sources = document.querySelector('#ingest-sources')! as HTMLElement
    expect(within(sources).getByText('aws-prod')).toBeTruthy()
    const row = (await screen.findByText('ec2_instance_imdsv2_enabled')).closest('tr')! as HTMLElement
    await userEvent.type(within(row).getByRole('combobox', { name: 'Control for ec2_instance_imdsv2_enabled' }), 'AC-03')
    await userEvent.click(await within(row).findByRole('option', { name: 'AC-03 — Access review' }))
    await userEvent.click(within(row).getByText('Map'))
    expect(posts).toEqual([{ url: '/api/v1/ingest/rules', body: '{"pattern":"ec2_instance_imdsv2_enabled","control":"AC-03","note":""}' }])
  })

  it("shows a control's scans, failing resources and windows covered by passing scans", async () => {
    serve([])
    open('/controls/3')
    expect(await screen.findByRole('heading', { name: 'Automated checks' })).toBeTruthy()
    expect(screen.getByText('1 of 3 windows covered by a passing scan')).toBeTruthy()
    const runs = document.querySelector('#history-runs')! as HTMLElement
    expect(within(runs).getByText('arn:aws:iam::210987654321:user/dana')).toBeTruthy()
    expect(within(runs).getAllByText(/passed|failed/).length).toBeGreaterThan(0)
    expect(document.querySelector('svg.trend')).toBeTruthy()
  })
})
