import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter } from 'react-router'
import { newQueryClient } from './queries/client'
import { RequestView } from './pages/RequestsPage'
import type { AuditRequest } from './api'

afterEach(() => vi.unstubAllGlobals())

const submitted: AuditRequest = {
  ref: 'REQ-004', number: 4, engagement_id: 2, auditor_ref: '', type: 'population', phase: 'interim', description: 'Leavers list',
  owner_id: 5, owner_email: 'owner@example.com', due_on: '2026-04-15', status: 'submitted', return_reason: '',
  requested_at: '2026-03-01T09:00:00Z', submitted_at: '2026-03-05T09:00:00Z', accepted_at: null, generated: true,
  controls: [{ id: 7, ref: 'CM-02' }], sample_items: [], evidence: [{ id: 12, title: 'Leavers', kind: 'file', file_name: 'leavers.csv', attached_at: '' }],
  comments: [{ id: 1, author: 'owner@example.com', body: 'Attached.', created_at: '2026-03-05T09:00:00Z', files: [] }],
  history: [{ id: 9, action: 'submit', from: 'open', to: 'submitted', by: 'owner@example.com', at: '2026-03-05T09:00:00Z', undoes: null }],
  version: 3,
}

function serve(answer: (method: string, path: string) => unknown) {
  const seen: string[] = []
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://socmap.test')
    const method = init.method ?? 'GET'
    const ifMatch = new Headers(init.headers).get('If-Match')
    seen.push(`${method} ${url.pathname} ${String(init.body ?? '')}${ifMatch ? ` If-Match ${ifMatch}` : ''}`)
    return new Response(JSON.stringify(answer(method, url.pathname)), { status: 200 })
  }))
  return seen
}

const page = (can: (p: string) => boolean) => render(
  <QueryClientProvider client={newQueryClient()}>
    <MemoryRouter><RequestView id={2} ref_="REQ-004" can={can} /></MemoryRouter>
  </QueryClientProvider>,
)

describe('a request', () => {
  it('lets the auditor return a submission with a reason, and shows the answer', async () => {
    let current = submitted
    const seen = serve((method) => {
      if (method === 'POST') current = { ...submitted, status: 'returned', return_reason: 'Whole period please' }
      return { request: current }
    })
    page((p) => p === 'requests.manage' || p === 'requests.comment')
    expect(await screen.findByText('leavers.csv')).toBeTruthy()
    expect(screen.queryByText('Submit', { selector: 'button' })).toBeNull()
    await userEvent.type(screen.getByLabelText('Reason to return it'), 'Whole period please')
    await userEvent.click(screen.getByText('Return'))
    await waitFor(() => expect(seen).toContain('POST /api/v1/engagements/2/requests/REQ-004/return {"reason":"Whole period please"}'))
    expect(await screen.findByText(/Returned: Whole period please/)).toBeTruthy()
  })

  it('offers to undo an acceptance, which takes back that step by its history id', async () => {
    let current = submitted
    const accepted: AuditRequest = { ...submitted, status: 'accepted', accepted_at: '2026-03-06T09:00:00Z',
      history: [...submitted.history, { id: 10, action: 'accept', from: 'submitted', to: 'accepted', by: 'auditor@example.com', at: '2026-03-06T09:00:00Z', undoes: null }] }
    const seen = serve((method, path) => {
      if (method === 'POST' && path.endsWith('/accept')) current = accepted
      if (method === 'POST' && path.endsWith('/undo')) current = { ...submitted, history: [...accepted.history, { id: 11, action: 'undo', from: 'accepted', to: 'submitted', by: 'auditor@example.com', at: '2026-03-06T09:01:00Z', undoes: 10 }] }
      return { request: current }
    })
    page((p) => p === 'requests.manage')
    await userEvent.click(await screen.findByText('Accept'))
    expect(await screen.findByText('REQ-004 accepted.')).toBeTruthy()
    await userEvent.click(screen.getByText('Undo'))
    await waitFor(() => expect(seen).toContain('POST /api/v1/engagements/2/requests/REQ-004/undo {"transition":10}'))
    expect(await screen.findByText('Undone.')).toBeTruthy()
    await waitFor(() => expect(screen.getByText('Accept')).toBeTruthy())
    expect(screen.getByText('History (3)')).toBeTruthy()
  })

  it('reopens a request accepted earlier by undoing its acceptance, for the auditor only', async () => {
    const accepted: AuditRequest = { ...submitted, status: 'accepted', accepted_at: '2026-03-06T09:00:00Z',
      history: [...submitted.history, { id: 10, action: 'accept', from: 'submitted', to: 'accepted', by: 'auditor@example.com', at: '2026-03-06T09:00:00Z', undoes: null }] }
    let current = accepted
    const seen = serve((method) => {
      if (method === 'POST') current = submitted
      return { request: current }
    })
    const { unmount } = page((p) => p === 'requests.work')
    expect(await screen.findByText('Accepted')).toBeTruthy()
    expect(screen.queryByText('Reopen')).toBeNull()
    unmount()
    page((p) => p === 'requests.manage')
    await userEvent.click(await screen.findByText('Reopen'))
    await waitFor(() => expect(seen).toContain('POST /api/v1/engagements/2/requests/REQ-004/undo {"transition":10}'))
    expect(await screen.findByText('Accept')).toBeTruthy()
    expect(screen.queryByText('Reopen')).toBeNull()
  })

  it('shows no undo when the answer has no step to take back', async () => {
    serve((method) => ({ request: method === 'POST' ? { ...submitted, status: 'accepted', history: [] } : submitted }))
    page((p) => p === 'requests.manage')
    await userEvent.click(await screen.findByText('Accept'))
    expect(await screen.findByText('REQ-004 accepted.')).toBeTruthy()
    expect(screen.queryByText('Undo')).toBeNull()
  })

  it('offers the owner the submit form on a returned request, not the review', async () => {
    serve(() => ({ request: { ...submitted, status: 'returned', return_reason: 'x' }, evidence: [], total: 0 }))
    page((p) => p === 'requests.work' || p === 'requests.comment')
    expect(await screen.findByText('Submit', { selector: 'button' })).toBeTruthy()
    expect(screen.queryByText('Accept')).toBeNull()
  })

  it('changes a request with its version as If-Match, and deletes an open one once confirmed, with its version too', async () => {
    const open: AuditRequest = { ...submitted, status: 'open', submitted_at: null, evidence: [] }
    const seen = serve((method) => (method === 'DELETE' ? {} : { request: open }))
    page((p) => p === 'requests.manage')
    await userEvent.click(await screen.findByText('Change or delete this request'))
    const description = screen.getByLabelText('What is needed', { selector: 'textarea' })
    await userEvent.clear(description)
    await userEvent.type(description, 'Leavers, whole period')
    await userEvent.click(screen.getByText('Save'))
    await waitFor(() => expect(seen.some((s) => s.startsWith('PATCH /api/v1/engagements/2/requests/REQ-004 {"description":"Leavers, whole period"') && s.endsWith('If-Match "3"'))).toBe(true))
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    await userEvent.click(screen.getByText('Delete'))
    expect(confirm).toHaveBeenCalled()
    expect(seen.some((s) => s.startsWith('DELETE'))).toBe(false)
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByText('Delete'))
    await waitFor(() => expect(seen).toContain('DELETE /api/v1/engagements/2/requests/REQ-004  If-Match "3"'))
  })
})
