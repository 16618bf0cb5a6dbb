import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { SampleTable } from './pages/ControlTestPage'
import { SessionProvider } from './session'
import type { DrawnSample, Evidence, SampledItem } from './api'

afterEach(() => vi.unstubAllGlobals())

const item = (seq: number, results: Record<string, string>, tested_on: string | null): SampledItem => ({
  seq, item_id: `CHG-${seq}`, date: '2026-02-01', description: '', results, exception: results.approved === 'fail', notes: seq === 1 ? 'late' : '',
  tested_by: '', tested_on, evidence_ids: [],
})

const sample = {
  id: 9, population_id: 1, extends_id: null, seed: '7', method: 'random', size: 3, required_size: 3, risk: '', size_reason: '', attributes: ['approved'],
  selected_at: '2026-03-01T00:00:00Z', version: 1,
  items: [item(1, { approved: 'fail' }, '2026-03-02'), item(2, {}, null), item(3, {}, null)],
  sign_off: { prepared_by: null, prepared_on: null, reviewed_by: null, reviewed_on: null },
} as unknown as DrawnSample

describe('sample items', () => {
  it('marks the chosen items passed at once and undoes it item by item', async () => {
    const sent: { method: string; path: string; body: unknown }[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      if (init.method) sent.push({ method: init.method, path: url.pathname, body: JSON.parse(String(init.body)) })
      return new Response(url.pathname === '/api/v1/auth/session' ? '{}' : null, { status: url.pathname === '/api/v1/auth/session' ? 401 : 204 })
    }))
    const act = vi.fn(async (fn: () => Promise<unknown>) => { await fn() })
    render(<SessionProvider><SampleTable id={4} sample={sample} evidence={[]} left={0} editable act={act} /></SessionProvider>)
    await userEvent.click(screen.getByLabelText('Select CHG-1'))
    await userEvent.click(screen.getByLabelText('Select CHG-3'))
    await userEvent.click(screen.getByRole('button', { name: 'Mark chosen passed' }))
    expect((await screen.findByRole('status')).textContent).toContain('2 items marked passed.')
    expect(sent).toEqual([{ method: 'POST', path: '/api/v1/engagements/4/samples/9/items/pass', body: { seqs: [1, 3] } }])
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await screen.findByText('Undone.')
    expect(sent.slice(1)).toEqual([
      { method: 'PUT', path: '/api/v1/engagements/4/samples/9/items/1', body: { results: { approved: 'fail' }, notes: 'late', tested_on: '2026-03-02' } },
      { method: 'PUT', path: '/api/v1/engagements/4/samples/9/items/3', body: { results: {}, notes: '' } },
    ])
    await waitFor(() => expect(act).toHaveBeenCalledTimes(2))
  })

  it('saves a result cell with a notice whose Undo writes the item back as it was', async () => {
    const sent: { method: string; path: string; body: unknown }[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      if (init.method) sent.push({ method: init.method, path: url.pathname, body: JSON.parse(String(init.body)) })
      return new Response(url.pathname === '/api/v1/auth/session' ? '{}' : null, { status: url.pathname === '/api/v1/auth/session' ? 401 : 204 })
    }))
    const act = vi.fn(async (fn: () => Promise<unknown>) => { await fn() })
    render(<SessionProvider><SampleTable id={4} sample={sample} evidence={[]} left={0} editable act={act} /></SessionProvider>)
    await userEvent.selectOptions(screen.getByLabelText('approved for CHG-1'), 'pass')
    expect((await screen.findByRole('status')).textContent).toContain('approved for CHG-1: passed.')
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    await screen.findByText('Undone.')
    expect(sent).toEqual([
      { method: 'PUT', path: '/api/v1/engagements/4/samples/9/items/1', body: { results: { approved: 'pass' }, notes: 'late', evidence_ids: [] } },
      { method: 'PUT', path: '/api/v1/engagements/4/samples/9/items/1', body: { results: { approved: 'fail' }, notes: 'late', tested_on: '2026-03-02', evidence_ids: [] } },
    ])
  })

  it('lists the evidence to choose from for one item, when asked, and saves the choice', async () => {
    const sent: { method: string; path: string; body: unknown }[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      if (init.method) sent.push({ method: init.method, path: url.pathname, body: JSON.parse(String(init.body)) })
      return new Response(url.pathname === '/api/v1/auth/session' ? '{}' : null, { status: url.pathname === '/api/v1/auth/session' ? 401 : 204 })
    }))
    const evidence = [{ id: 31, title: 'Change ticket export' }, { id: 32, title: 'Approval log' }] as Evidence[]
    const act = vi.fn(async (fn: () => Promise<unknown>) => { await fn() })
    render(<SessionProvider><SampleTable id={4} sample={sample} evidence={evidence} left={0} editable act={act} /></SessionProvider>)
    expect(screen.queryAllByRole('option', { name: /Approval log/ })).toHaveLength(0)
    await userEvent.click(screen.getByRole('button', { name: 'Choose evidence for CHG-2' }))
    expect(screen.getAllByRole('option', { name: /Approval log/ })).toHaveLength(1)
    await userEvent.selectOptions(screen.getByLabelText('Evidence for CHG-2'), '32')
    await waitFor(() => expect(sent).toEqual([
      { method: 'PUT', path: '/api/v1/engagements/4/samples/9/items/2', body: { results: {}, notes: '', evidence_ids: [32] } },
    ]))
  })

  it('offers no choice to those who do not test', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 401 })))
    render(<SessionProvider><SampleTable id={4} sample={sample} evidence={[]} left={0} editable={false} act={async () => undefined} /></SessionProvider>)
    await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalled())
    expect(screen.getByText('CHG-1')).toBeTruthy()
    expect(screen.queryByLabelText('Select CHG-1')).toBeNull()
  })
})
