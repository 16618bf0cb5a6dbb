import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const session = {
  user: { id: 1, email: 'c@example.com', name: '', role: 'compliance', access_until: null, disabled: false, created_at: '', disabled_at: null },
  csrf_token: 'c', via: 'session', permissions: ['program.read', 'engagements.read'],
}
const board = (engagement: { id: number; name: string } | null, percent: number) => ({
  engagement: engagement && { ...engagement, report: 'soc2', type: 'type1', as_of: '2026-06-30', period_start: null, period_end: null, status: 'fieldwork' },
  readiness: { percent, parts: [], exceptions: 0 }, heatmap: [], timeline: null, tasks: [], expiring: [], exceptions: [],
  gaps: { without_owner: [], without_mapping: [], without_evidence: [] }, automated: null, today: '2026-05-01',
})

describe('the dashboard', () => {
  it('reads the organisation’s, then the chosen engagement’s, each once, and the engagements to choose from once', async () => {
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      const json = (body: unknown) => new Response(JSON.stringify(body))
      if (url.pathname === '/api/v1/auth/session') return json(session)
      seen.push(`${url.pathname}${url.search}`)
      if (url.pathname === '/api/v1/engagements') return json({ engagements: [{ id: 4, name: 'SOC 2 FY26' }], total: 1, limit: 50, offset: 0 })
      const id = Number(url.searchParams.get('engagement_id'))
      return json(id ? board({ id, name: 'SOC 2 FY26' }, 62) : board(null, 40))
    }))
    render(<MemoryRouter initialEntries={['/dashboard']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    expect((await screen.findByText('40')).id).toBe('dashboard-readiness')
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Show' }), 'SOC 2 FY26')
    expect((await screen.findByText('62')).id).toBe('dashboard-readiness')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('SOC 2 FY26')
    await act(() => new Promise((r) => setTimeout(r, 300)))
    expect(seen.sort()).toEqual(['/api/v1/dashboard', '/api/v1/dashboard?engagement_id=4', '/api/v1/engagements'])
  })
})
