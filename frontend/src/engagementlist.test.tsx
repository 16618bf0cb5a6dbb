import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter } from 'react-router'
import { EngagementsPage } from './pages/EngagementsPage'
import { newQueryClient } from './queries/client'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

describe('engagement list', () => {
  it('says it is loading, not empty, then asks the server for each page and shows its total', async () => {
    const list = Array.from({ length: 60 }, (_, i) => ({
      id: i + 1, name: `Engagement ${i + 1}`, report: 'soc2', type: 'type1', as_of: '2026-06-30', period_start: null, period_end: null,
      status: 'planning', tester: 'management', audit_firm: '', warning: '',
    }))
    const seen: string[] = []
    let answer: (r: Response) => void = () => undefined
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname !== '/api/v1/engagements') return new Response('{}', { status: 401 })
      seen.push(url.search)
      const limit = Number(url.searchParams.get('limit')), offset = Number(url.searchParams.get('offset'))
      const body = JSON.stringify({ engagements: list.slice(offset, offset + limit), total: list.length, limit, offset })
      if (seen.length === 1) return new Promise<Response>((r) => { answer = r }).then(() => new Response(body, { status: 200 }))
      return new Response(body, { status: 200 })
    }))
    render(<MemoryRouter><QueryClientProvider client={newQueryClient()}><SessionProvider><EngagementsPage /></SessionProvider></QueryClientProvider></MemoryRouter>)
    expect(screen.getByText('Loading the engagements…')).toBeTruthy()
    expect(screen.queryByText('No engagements yet.')).toBeNull()
    answer(new Response(null))
    expect(await screen.findByText('1–50 of 60')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Page 2' }))
    expect(await screen.findByText('51–60 of 60')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Engagement 60' })).toBeTruthy()
    expect(screen.queryByRole('link', { name: 'Engagement 1' })).toBeNull()
    expect(seen).toEqual(['?limit=50&offset=0', '?limit=50&offset=50'])
  })

  it('asks whether SOC 1 objectives exist once, and says to write them first when there are none', async () => {
    const asked: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      const json = (body: unknown) => new Response(JSON.stringify(body))
      if (url.pathname === '/api/v1/auth/session') {
        return json({ user: { id: 1, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null }, csrf_token: 'c', via: 'session', permissions: ['program.manage', 'engagements.read'] })
      }
      if (url.pathname.startsWith('/api/v1/frameworks/org-soc1')) {
        asked.push(url.pathname)
        return json({ requirements: [], total: 0, limit: 1, offset: 0 })
      }
      return json({ engagements: [], total: 0, limit: 50, offset: 0 })
    }))
    render(<MemoryRouter><SessionProvider><EngagementsPage /></SessionProvider></MemoryRouter>)
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Report' }), 'soc1')
    expect(await screen.findByText(/Write your objectives first/)).toBeTruthy()
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'SOC 1 FY26')
    expect(asked).toHaveLength(1)
  })
})
