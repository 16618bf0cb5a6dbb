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
