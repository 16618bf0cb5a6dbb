import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { EngagementsPage } from './pages/EngagementsPage'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

describe('engagement list', () => {
  it('says it is loading, not empty, then pages with the total', async () => {
    const list = Array.from({ length: 60 }, (_, i) => ({
      id: i + 1, name: `Engagement ${i + 1}`, report: 'soc2', type: 'type1', as_of: '2026-06-30', period_start: null, period_end: null,
      status: 'planning', tester: 'management', audit_firm: '', warning: '',
    }))
    let answer: (r: Response) => void = () => undefined
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      if (url.pathname === '/api/v1/engagements') return new Promise<Response>((r) => { answer = r })
      return new Response('{}', { status: 401 })
    }))
    render(<MemoryRouter><SessionProvider><EngagementsPage /></SessionProvider></MemoryRouter>)
    expect(screen.getByText('Loading the engagements…')).toBeTruthy()
    expect(screen.queryByText('No engagements yet.')).toBeNull()
    answer(new Response(JSON.stringify({ engagements: list }), { status: 200 }))
    expect(await screen.findByText('1–50 of 60')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Page 2' }))
    expect(screen.getByText('51–60 of 60')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Engagement 60' })).toBeTruthy()
    expect(screen.queryByRole('link', { name: 'Engagement 1' })).toBeNull()
  })
})
