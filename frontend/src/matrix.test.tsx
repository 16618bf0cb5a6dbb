import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { App } from './App'
import { SessionProvider } from './session'

afterEach(() => vi.unstubAllGlobals())

const controls = Array.from({ length: 90 }, (_, i) => ({
  id: i + 1, ref: `C-${String(i + 1).padStart(2, '0')}`, title: `Control ${i + 1}`, status: 'active', requirements: i === 80 ? ['soc2-tsc-2017/CC1.1'] : [],
}))
const requirements = [{ requirement: 'soc2-tsc-2017/CC1.1', framework_id: 'soc2-tsc-2017', ref: 'CC1.1', title: 'Integrity and ethics', category: 'security' }]

describe('mapping matrix', () => {
  it('pages its control columns with the total and maps a cell without reloading the matrix', async () => {
    const seen: string[] = []
    const posts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      seen.push(`${init?.method ?? 'GET'} ${url.pathname}`)
      if (init?.method === 'POST') posts.push(JSON.parse(String(init.body)))
      const body = url.pathname === '/api/v1/auth/session'
        ? { user: { id: 1, email: 'a@example.com', name: '', role: 'admin', access_until: null, disabled: false, created_at: '', disabled_at: null },
            csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage'] }
        : url.pathname === '/api/v1/matrix' ? { requirements, controls }
          : url.pathname === '/api/v1/mappings' ? { added: 1, removed: 0 } : {}
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(<MemoryRouter initialEntries={['/matrix']}><SessionProvider><App /></SessionProvider></MemoryRouter>)
    expect(await screen.findByText('1–40 of 90')).toBeTruthy()
    expect(screen.getByText('1 requirements × 90 controls')).toBeTruthy()
    expect(screen.getAllByRole('columnheader')).toHaveLength(41)
    await userEvent.click(screen.getByRole('button', { name: 'Page 3' }))
    expect(await screen.findByText('81–90 of 90')).toBeTruthy()
    expect((screen.getByLabelText('C-81 serves CC1.1') as HTMLInputElement).checked).toBe(true)
    await userEvent.click(screen.getByLabelText('C-82 serves CC1.1'))
    await waitFor(() => expect(seen).toContain('POST /api/v1/mappings'))
    expect((screen.getByLabelText('C-82 serves CC1.1') as HTMLInputElement).checked).toBe(true)
    expect(seen.filter((s) => s === 'GET /api/v1/matrix')).toHaveLength(1)
    // The tick is a quick edit: its notice's Undo unticks the cell on the server.
    expect((await screen.findByRole('status')).textContent).toContain('C-82 now serves CC1.1.')
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await screen.findByText('Undone.')
    expect(posts.at(-1)).toEqual({ add: [], remove: [{ control_id: 82, requirement: 'soc2-tsc-2017/CC1.1' }] })
    expect((screen.getByLabelText('C-82 serves CC1.1') as HTMLInputElement).checked).toBe(false)
  })
})
