import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'
import { ApiError, uploadEvidence } from './api'
import { period } from './pages/ControlPage'

afterEach(() => vi.unstubAllGlobals())

describe('period', () => {
  it('shows the period covered or the as-of date', () => {
    expect(period({ covers_from: '2026-01-01', covers_to: '2026-03-31', as_of: null })).toBe('2026-01-01 to 2026-03-31')
    expect(period({ covers_from: null, covers_to: null, as_of: '2026-02-03' })).toBe('as of 2026-02-03')
    expect(period({ covers_from: null, covers_to: null, as_of: null })).toBe('')
  })
})

class FakeXHR {
  static last: FakeXHR
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: FormData | null = null
  status = 0
  responseText = ''
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor() {
    FakeXHR.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  send(body: FormData) {
    this.body = body
  }
}

describe('uploadEvidence', () => {
  it('sends the metadata before the file, reports progress and returns the evidence', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    const progress: number[] = []
    const done = uploadEvidence(new File(['data'], 'review.pdf'), { title: 'Q1 review', control_ids: [3, 7], covers_from: '' }, (f) => progress.push(f))
    const xhr = FakeXHR.last
    expect([...xhr.body!.keys()]).toEqual(['title', 'control_ids', 'file'])
    expect(xhr.body!.get('control_ids')).toBe('3,7')
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 50, total: 100 })
    xhr.status = 201
    xhr.responseText = '{"evidence":{"id":9,"title":"Q1 review"}}'
    xhr.onload!()
    expect((await done)?.id).toBe(9)
    expect(progress).toEqual([0.5])
    expect(xhr.url).toBe('/api/v1/evidence')
  })

  it('turns a refusal into an ApiError with the server message', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    const done = uploadEvidence(new File(['x'], 'big.bin'), {}, () => undefined, 4)
    const xhr = FakeXHR.last
    expect(xhr.url).toBe('/api/v1/evidence/4/revisions')
    xhr.status = 413
    xhr.responseText = '{"error":{"code":"file_too_large","message":"the file is larger than the 100 MiB limit"}}'
    xhr.onload!()
    await expect(done).rejects.toEqual(new ApiError(413, 'file_too_large', 'the file is larger than the 100 MiB limit'))
  })
})

const coverage = {
  requirements: [
    { requirement: 'soc2-tsc-2017/CC6.1', framework_id: 'soc2-tsc-2017', ref: 'CC6.1', title: 'Logical access', category: 'security', series: 'CC6', state: 'covered', reason: '', covered_controls: 1, controls: [{ id: 1, ref: 'AC-03', title: 'Review', evidence: 1, state: 'covered' }, { id: 2, ref: 'AC-04', title: 'Recertification', evidence: 1, state: 'no_dated_evidence' }] },
    { requirement: 'soc2-tsc-2017/CC6.4', framework_id: 'soc2-tsc-2017', ref: 'CC6.4', title: 'Physical access', category: 'security', series: 'CC6', state: 'not_applicable', reason: 'Carved-out hosting', covered_controls: 0, controls: [] },
    { requirement: 'soc2-tsc-2017/CC7.1', framework_id: 'soc2-tsc-2017', ref: 'CC7.1', title: 'Vulnerabilities', category: 'security', series: 'CC7', state: 'no_control', reason: '', covered_controls: 0, controls: [] },
  ],
  summary: [{ framework_id: 'soc2-tsc-2017', category: 'security', name: 'Security', total: 3, states: { covered: 1, not_applicable: 1, no_control: 1 } }],
  controls_without_evidence: [],
  expiring_evidence: [{ id: 5, title: 'Pen test', expires_on: '2026-12-01', expired: false }],
}

describe('gap view', () => {
  it('shows each requirement with its state, and filters by a summary count', async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      calls.push(input)
      const url = new URL(input, 'http://socmap.test')
      const body =
        url.pathname === '/api/v1/auth/session'
          ? { user: { id: 1, email: 'v@example.com', name: '', role: 'viewer', access_until: null, disabled: false, created_at: '', disabled_at: null }, csrf_token: 'c', via: 'session', permissions: ['program.read', 'catalog.read'] }
          : coverage
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(
      <MemoryRouter initialEntries={['/coverage?categories=availability']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    expect(await screen.findByText('Carved-out hosting')).toBeTruthy()
    expect(calls.some((c) => c.includes('categories=availability'))).toBe(true)
    const rows = document.querySelectorAll('#coverage-table tbody tr')
    expect(rows).toHaveLength(3)
    expect(within(rows[0] as HTMLElement).getByText('Covered')).toBeTruthy()
    expect(within(rows[0] as HTMLElement).getByText('1 of 2 controls covered')).toBeTruthy()
    expect(within(rows[0] as HTMLElement).getByTitle('No dated evidence').textContent).toBe('AC-04')
    // A viewer sees no applicability buttons.
    expect(screen.queryByText('Not applicable…')).toBeNull()

    const summary = document.querySelector('#coverage-summary')!
    await userEvent.click(within(summary as HTMLElement).getAllByRole('button')[0]!)
    expect(document.querySelectorAll('#coverage-table tbody tr')).toHaveLength(1)
    expect(screen.getByText(/Pen test/)).toBeTruthy()
    // Filtering and sorting are done on the page: the server is not asked again.
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Show' }), '')
    await userEvent.click(within(document.querySelector('#coverage-table thead') as HTMLElement).getByRole('button', { name: /State/ }))
    expect(document.querySelectorAll('#coverage-table tbody tr')[0]?.getAttribute('data-requirement')).toBe('soc2-tsc-2017/CC7.1')
    await act(() => new Promise((r) => setTimeout(r, 200)))
    expect(calls.filter((c) => c.includes('/api/v1/coverage'))).toHaveLength(1)
  })
})

describe('gap view for an engagement', () => {
  it("uses the chosen engagement's decisions and marks a requirement not applicable for that engagement alone", async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      calls.push(`${init.method ?? 'GET'} ${url.pathname}${url.search} ${String(init.body ?? '')}`)
      const body =
        url.pathname === '/api/v1/auth/session'
          ? { user: { id: 1, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null }, csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage', 'catalog.read', 'engagements.read'] }
          : url.pathname === '/api/v1/engagements'
            ? { engagements: url.searchParams.get('q') === 'FY2026' ? [{ id: 4, name: 'FY2026 SOC 2 Type II' }] : [], total: 1, limit: 20, offset: 0 }
            : url.pathname === '/api/v1/engagements/4'
              ? { engagement: { id: 4, name: 'FY2026 SOC 2 Type II' } }
              : coverage
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(
      <MemoryRouter initialEntries={['/coverage']}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MemoryRouter>,
    )
    const choice = await screen.findByRole('combobox', { name: 'Not applicable as decided by' })
    await userEvent.type(choice, 'FY2026')
    await userEvent.click(await screen.findByRole('option', { name: 'FY2026 SOC 2 Type II' }))
    await waitFor(() => expect(calls.some((c) => c.startsWith('GET /api/v1/coverage?') && c.includes('engagement=4'))).toBe(true))
    const row = document.querySelector('[data-requirement="soc2-tsc-2017/CC7.1"]') as HTMLElement
    await userEvent.click(within(row).getByText('Not applicable…'))
    await userEvent.type(within(row).getByLabelText('Why CC7.1 does not apply'), 'No systems of our own')
    await userEvent.click(within(row).getByText('Mark'))
    await waitFor(() => expect(calls).toContain('PUT /api/v1/engagements/4/applicability/CC7.1 {"reason":"No systems of our own"}'))
    expect(calls.some((c) => c.startsWith('PUT /api/v1/applicability'))).toBe(false)
    await waitFor(() => expect((choice as HTMLInputElement).value).toBe('FY2026 SOC 2 Type II'))
  })
})

describe('sortRequirements', () => {
  it('keeps catalog order by ref and puts the worst gaps first by state', async () => {
    const { sortRequirements } = await import('./pages/CoveragePage')
    const refs = (sort: string) => sortRequirements(coverage.requirements, sort).map((r) => r.ref)
    expect(refs('ref')).toEqual(['CC6.1', 'CC6.4', 'CC7.1'])
    expect(refs('-ref')).toEqual(['CC7.1', 'CC6.4', 'CC6.1'])
    expect(refs('state')).toEqual(['CC7.1', 'CC6.1', 'CC6.4'])
  })
})

describe('a gap view row', () => {
  it('links a requirement\'s first twelve controls and the rest on request', async () => {
    const { CoverageRow } = await import('./pages/CoveragePage')
    const controls = Array.from({ length: 15 }, (_, i) => ({ id: i + 1, ref: `AC-${String(i + 1).padStart(2, '0')}`, title: '', evidence: 1, state: 'covered' }))
    const r = { ...coverage.requirements[0]!, covered_controls: 15, controls }
    render(<MemoryRouter><table><tbody><CoverageRow r={r} engagement={0} manage={false} onChanged={() => undefined} /></tbody></table></MemoryRouter>)
    expect(screen.getAllByRole('link')).toHaveLength(12)
    expect(screen.getByText('15 of 15 controls covered')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'and 3 more' }))
    expect(screen.getAllByRole('link').map((a) => a.textContent)).toEqual(controls.map((c) => c.ref))
  })
})

describe('shortLabel', () => {
  it('shortens window labels for the occurrence grid', async () => {
    const { shortLabel } = await import('./pages/EngagementPage')
    expect(['January 2026', '2026-Q1', '2026-H2', '2026-W05', '2026', '2026-03-07', 'whole period'].map(shortLabel)).toEqual([
      'Jan', 'Q1', 'H2', 'W05', '2026', '07', 'whole period',
    ])
  })
})

describe('control matrix import', () => {
  it('shows the dry run with its problems and only then allows importing', async () => {
    const { ImportControls } = await import('./pages/ImportControls')
    const plans = [
      { changes: [{ row: 2, ref: 'AC-03', action: 'create', changes: [] }], problems: [{ row: 3, column: 'owner', reason: 'no user' }], applied: false },
      { changes: [{ row: 2, ref: 'AC-03', action: 'create', changes: [] }], problems: [], applied: false },
      { changes: [{ row: 2, ref: 'AC-03', action: 'create', changes: [] }], problems: [], applied: true },
    ]
    const calls: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      calls.push(url)
      return new Response(JSON.stringify({ plan: plans[calls.length - 1] }), { status: 200 })
    }))
    const applied = vi.fn()
    render(<ImportControls csrf={() => 'tok'} onApplied={applied} />)
    const file = new File(['Reference,Title\nAC-03,x\n'], 'm.csv', { type: 'text/csv' })
    await userEvent.upload(document.querySelector('#import-file') as HTMLInputElement, file)
    const apply = screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement
    expect(apply.disabled).toBe(true)
    await userEvent.click(screen.getByRole('button', { name: 'Check' }))
    expect(await screen.findByText('Row 3, column owner: no user')).toBeTruthy()
    expect(apply.disabled).toBe(true)
    await userEvent.click(screen.getByRole('button', { name: 'Check' }))
    await waitFor(() => expect(apply.disabled).toBe(false))
    await userEvent.click(apply)
    expect(await screen.findByText('Imported 1 rows.')).toBeTruthy()
    expect(applied).toHaveBeenCalledOnce()
    expect(calls).toEqual(['/api/v1/controls/import?apply=false', '/api/v1/controls/import?apply=false', '/api/v1/controls/import?apply=true'])
  })
})
