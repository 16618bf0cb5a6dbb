import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { ComplementaryControls } from './pages/EngagementExtras'

afterEach(() => vi.unstubAllGlobals())

describe('subservice organisations', () => {
  it('names the control that monitors each one, and sends the chosen monitor', async () => {
    const posts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)))
        return new Response('{}', { status: 201 })
      }
      return new Response(JSON.stringify({
        cuecs: [],
        subservice_orgs: [{ id: 1, name: 'Stratus Cloud', services: 'hosting', method: 'carve-out', monitoring_control_id: 7, csocs: [] }],
      }), { status: 200 })
    }))
    const controls = [{ id: 7, ref: 'VEN-02', title: 'Annual review of the SOC 2 report' }, { id: 8, ref: 'VEN-03', title: 'Vendor register' }]
    render(
      <MemoryRouter>
        <ComplementaryControls id={1} editable act={async (fn) => { await fn() }} controls={controls} />
      </MemoryRouter>,
    )
    expect(await screen.findByText(/monitored by VEN-02/)).toBeTruthy()
    await userEvent.type(screen.getByLabelText('Name'), 'Mailer Inc.')
    await userEvent.selectOptions(screen.getByLabelText('Monitored by'), '8')
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
