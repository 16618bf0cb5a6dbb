import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { ComplementaryControls, shortRefs } from './pages/EngagementExtras'

afterEach(() => vi.unstubAllGlobals())

describe('subservice organisations', () => {
  it('names the control that monitors each one, and sends the chosen monitor', async () => {
    const posts: unknown[] = []
    const controls = [{ id: 7, ref: 'VEN-02', title: 'Annual review of the SOC 2 report' }, { id: 8, ref: 'VEN-03', title: 'Vendor register' }]
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)))
        return new Response('{}', { status: 201 })
      }
      if (new URL(url, 'http://socmap.test').pathname === '/api/v1/engagements/1/controls') {
        const q = new URL(url, 'http://socmap.test').searchParams.get('q') ?? ''
        const hits = controls.filter((c) => `${c.ref} ${c.title}`.includes(q))
        return new Response(JSON.stringify({ controls: hits, total: hits.length }), { status: 200 })
      }
      return new Response(JSON.stringify({
        cuecs: [],
        subservice_orgs: [{ id: 1, name: 'Stratus Cloud', services: 'hosting', method: 'carve-out', monitoring_control_id: 7, csocs: [] }],
      }), { status: 200 })
    }))
    render(
      <MemoryRouter>
        <ComplementaryControls id={1} editable act={async (fn) => { await fn() }} controls={controls} />
      </MemoryRouter>,
    )
    expect(await screen.findByText(/monitored by VEN-02/)).toBeTruthy()
    await userEvent.type(screen.getByLabelText('Name'), 'Mailer Inc.')
    await userEvent.type(screen.getByRole('combobox', { name: 'Monitored by' }), 'VEN-03')
    await userEvent.click(await screen.findByRole('option', { name: 'VEN-03 — Vendor register' }))
    await userEvent.click(screen.getByText('Add organisation'))
    await waitFor(() => expect(posts).toHaveLength(1))
    expect(posts[0]).toMatchObject({ name: 'Mailer Inc.', method: 'carve-out', monitoring_control_id: 8 })
  })
})

describe('editing a CUEC', () => {
  it('sends the listed version and, when someone saved first, shows both without losing the input', async () => {
    const patches: { ifMatch: string | null; body: unknown }[] = []
    const listed = { id: 4, ref: 'CUEC-01', text: 'Customers review their users', requirements: ['soc2-tsc-2017/CC6.2'], version: 1 }
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        const ifMatch = new Headers(init.headers).get('If-Match')
        patches.push({ ifMatch, body: JSON.parse(String(init.body)) })
        if (ifMatch === '"1"') {
          const theirs = { ...listed, text: 'Customers review their users quarterly', version: 2 }
          return new Response(JSON.stringify({ error: { code: 'version_mismatch', message: 'someone else saved this' }, current: { cuec: theirs } }), { status: 412 })
        }
        return new Response(JSON.stringify({ cuec: { ...listed, version: 3 } }), { status: 200 })
      }
      return new Response(JSON.stringify({ cuecs: [listed], subservice_orgs: [] }), { status: 200 })
    }))
    render(
      <MemoryRouter>
        <ComplementaryControls id={1} editable act={async (fn) => { await fn() }} controls={[]} />
      </MemoryRouter>,
    )
    expect(await screen.findByText('CUEC-01')).toBeTruthy()
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }))
    const text = screen.getByLabelText('Control user entities run') as HTMLInputElement
    await userEvent.clear(text)
    await userEvent.type(text, 'Customers review access monthly')
    await userEvent.click(screen.getByRole('button', { name: 'Save CUEC' }))
    const notice = await screen.findByRole('alert', { name: 'Edit conflict' })
    expect(notice.textContent).toContain('Customers review their users quarterly')
    expect(notice.textContent).toContain('Customers review access monthly')
    expect(text.value).toBe('Customers review access monthly')
    await userEvent.click(screen.getByRole('button', { name: 'Keep my changes' }))
    await userEvent.click(screen.getByRole('button', { name: 'Save CUEC' }))
    await waitFor(() => expect(patches).toHaveLength(2))
    expect(patches[1]).toMatchObject({ ifMatch: '"2"', body: { text: 'Customers review access monthly' } })
  })
})

describe('subservice organisation reviews', () => {
  it('shows where the review stands with the vendor CUECs, and records a new review', async () => {
    const posts: { url: string; body: unknown }[] = []
    const review = { id: 5, report: 'soc2', report_type: 'type2', period_start: '2025-07-01', period_end: '2026-06-30', vendor_auditor: 'Calder Ross LLP',
      opinion: 'unmodified', exceptions_noted: 'One badge returned late', exceptions_relevance: 'None for us', bridge_letter_evidence_id: null,
      reviewed_by: 2, reviewed_on: '2026-08-10', cuecs: [{ text: 'Customers require MFA for their cloud accounts', control_id: 7 }], version: 1 }
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push({ url, body: JSON.parse(String(init.body)) })
        return new Response(JSON.stringify({ review: { ...review, id: 6 } }), { status: 201 })
      }
      return new Response(JSON.stringify({
        cuecs: [],
        subservice_orgs: [{ id: 1, name: 'Stratus Cloud', services: 'hosting', method: 'carve-out', monitoring_control_id: 7, csocs: [],
          review_due: false, version: 1, review_state: 'gap_without_bridge_letter', latest_review: review }],
      }), { status: 200 })
    }))
    const controls = [{ id: 7, ref: 'AC-02', title: 'SSO with MFA' }]
    render(
      <MemoryRouter>
        <ComplementaryControls id={3} editable act={async (fn) => { await fn() }} controls={controls} />
      </MemoryRouter>,
    )
    expect(await screen.findByText('gap without bridge letter')).toBeTruthy()
    expect(screen.getByText(/SOC 2 Type II, 2025-07-01 to 2026-06-30, Calder Ross LLP, opinion unmodified/)).toBeTruthy()
    expect(screen.getByText(/addressed by AC-02/)).toBeTruthy()

    await userEvent.click(screen.getByRole('button', { name: 'Record review' }))
    const form = screen.getByRole('form', { name: "Review of Stratus Cloud's report" })
    await userEvent.type(within(form).getByLabelText('Vendor period start'), '2025-10-01')
    await userEvent.type(within(form).getByLabelText('Vendor period end'), '2026-09-30')
    await userEvent.selectOptions(within(form).getByLabelText('Opinion'), 'qualified')
    await userEvent.click(within(form).getByRole('button', { name: 'Add a vendor CUEC' }))
    await userEvent.type(within(form).getByLabelText('Vendor CUEC 1'), 'Customers review their cloud users')
    await userEvent.selectOptions(within(form).getByLabelText('Addressed by'), '7')
    await userEvent.click(within(form).getByRole('button', { name: 'Record review' }))
    await waitFor(() => expect(posts).toHaveLength(1))
    expect(posts[0]?.url).toBe('/api/v1/engagements/3/subservice-orgs/1/reviews')
    expect(posts[0]?.body).toMatchObject({ report: 'soc2', report_type: 'type2', period_start: '2025-10-01', period_end: '2026-09-30', opinion: 'qualified',
      cuecs: [{ text: 'Customers review their cloud users', control_id: 7 }] })
  })
})

describe('shortRefs', () => {
  it('shows requirements as people read them, without the framework ID', () => {
    expect(shortRefs(['soc2-tsc-2017/CC6.2', 'org-soc1/CO-01', 'CC6.4'])).toBe('CC6.2, CO-01, CC6.4')
  })
})
