import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter } from 'react-router'
import { AuditPage } from './pages/AuditPage'
import { newQueryClient } from './queries/client'
import type { AuditEntry } from './api'

afterEach(() => vi.unstubAllGlobals())

const entry = (seq: number, object_type: string, object_id: string, object_name: string): AuditEntry => ({
  seq, at: '2026-03-16T08:00:00Z', actor_id: 1, actor: 'lead@example.com', via: 'session', token_id: null, action: `${object_type}.update`,
  object_type, object_id, object_name, changes: {}, client: '', request_id: '', hash: '',
})

describe('audit log', () => {
  it('names its objects and links to them, and applies filters on Enter only', async () => {
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string) => {
      const url = new URL(input, 'http://socmap.test')
      seen.push(url.search)
      const entries = [entry(3, 'control', '12', 'CM-02 Access review'), entry(2, 'engagement', '4', 'FY2026 SOC 2'),
        entry(1, 'requirement', 'soc2-tsc-2017/CC6.4', 'SOC 2 CC6.4 Physical access'), entry(0, 'control', '99', '')]
      return new Response(JSON.stringify({ entries, total: 4, limit: 50, offset: 0 }), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/audit']}><QueryClientProvider client={newQueryClient()}><AuditPage /></QueryClientProvider></MemoryRouter>)
    const control = await screen.findByRole('link', { name: 'CM-02 Access review' })
    expect(control.getAttribute('href')).toBe('/controls/12')
    expect(screen.getByRole('link', { name: 'FY2026 SOC 2' }).getAttribute('href')).toBe('/engagements/4')
    expect(screen.getByRole('link', { name: 'SOC 2 CC6.4 Physical access' }).getAttribute('href')).toBe('/catalog/soc2-tsc-2017?q=CC6.4')
    expect(screen.getByText('control #99')).toBeTruthy()
    expect(document.body.textContent).not.toContain('soc2-tsc-2017')
    expect(screen.getByText('1–4 of 4')).toBeTruthy()

    await userEvent.type(screen.getByLabelText('Object type'), 'control')
    await userEvent.type(screen.getByLabelText('Actor'), 'lead@example.com')
    await act(() => new Promise((r) => setTimeout(r, 200)))
    expect(seen).toEqual(['?limit=50&offset=0'])
    await userEvent.type(screen.getByLabelText('Actor'), '{Enter}')
    await waitFor(() => expect(seen).toHaveLength(2))
    expect(seen[1]).toBe('?limit=50&offset=0&object_type=control&actor=lead%40example.com')
  })
})
