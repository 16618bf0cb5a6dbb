import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter, Route, Routes } from 'react-router'
import { newQueryClient } from './queries/client'
import { RequestsPage } from './pages/RequestsPage'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const row = (n: number) => ({
  ref: `REQ-${String(n).padStart(3, '0')}`, number: n, engagement_id: 2, auditor_ref: '', type: 'document', phase: 'final', description: `Item ${n}`,
  owner_id: null, owner_email: '', due_on: null, status: 'open', return_reason: '', requested_at: '', submitted_at: null, accepted_at: null,
  generated: false, controls: [], sample_items: [], evidence: [], comments: [], history: [], version: 1,
})

describe('request list', () => {
  it('asks the server for one page at a time with the filter, shows the total and jumps to a page', async () => {
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname !== '/api/v1/engagements/2/requests') return new Response('{}', { status: 401 })
      seen.push(url.search)
      const total = url.searchParams.get('status') === 'open' ? 130 : 260
      const limit = Number(url.searchParams.get('limit')), offset = Number(url.searchParams.get('offset'))
      const requests = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => row(offset + i + 1))
      return new Response(JSON.stringify({ requests, total, limit, offset }), { status: 200 })
    }))
    render(
      <QueryClientProvider client={newQueryClient()}>
        <MemoryRouter initialEntries={['/engagements/2/requests']}>
          <SessionProvider><Routes><Route path="/engagements/:id/requests" element={<RequestsPage />} /></Routes></SessionProvider>
        </MemoryRouter>
      </QueryClientProvider>,
    )
    expect(await screen.findByText('1–50 of 260')).toBeTruthy()
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Page' }), '6{Enter}')
    expect(await screen.findByText('251–260 of 260')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'REQ-260' })).toBeTruthy()
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'open')
    expect(await screen.findByText('1–50 of 130')).toBeTruthy()
    expect(seen).toEqual(['?limit=50&offset=0', '?limit=50&offset=250', '?limit=50&offset=0&status=open'])
  })
})

describe('adding a request', () => {
  it('finds the control by typing instead of reading every control of the engagement, and sends the one chosen', async () => {
    const reads: string[] = []
    const posts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      let body: unknown = {}
      if (url.pathname === '/api/v1/auth/session') {
        body = { user: { id: 1, email: 'lead@example.com', role: 'compliance' }, csrf_token: 'c', via: 'session', permissions: ['requests.manage'] }
      } else if (url.pathname === '/api/v1/engagements/2/requests' && init.method === 'POST') {
        posts.push(JSON.parse(String(init.body)))
        body = { request: row(1) }
      } else if (url.pathname === '/api/v1/engagements/2/requests') {
        body = { requests: [], total: 0, limit: 50, offset: 0 }
      } else if (url.pathname === '/api/v1/engagements/2/controls') {
        reads.push(url.search)
        body = { controls: [{ id: 9, ref: 'CM-02', title: 'Change approval', included: true, reason: '' }], total: 1 }
      }
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(
      <QueryClientProvider client={newQueryClient()}>
        <MemoryRouter initialEntries={['/engagements/2/requests']}>
          <SessionProvider><Routes><Route path="/engagements/:id/requests" element={<RequestsPage />} /></Routes></SessionProvider>
        </MemoryRouter>
      </QueryClientProvider>,
    )
    await userEvent.type(await screen.findByRole('combobox', { name: 'Control' }), 'change')
    await userEvent.click(await screen.findByRole('option', { name: 'CM-02 — Change approval' }))
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.every((q) => new URLSearchParams(q).get('limit') === '20' && new URLSearchParams(q).get('scope') === 'included')).toBe(true)
    expect(reads.at(-1)).toContain('q=change')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await vi.waitFor(() => expect(posts).toHaveLength(1))
    expect(posts[0]).toMatchObject({ control_ids: [9] })
  })
})
