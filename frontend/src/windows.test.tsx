import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { newQueryClient } from './queries/client'
import { HolidaysCard, parseHolidays } from './pages/HolidaysCard'
import { WindowActions, windowTitle } from './pages/OccurrenceWindows'
import { WindowCounts } from './pages/EngagementGrid'
import { monthsFrom } from './pages/ControlOperation'
import type { GridControl, OccurrenceWindow, ScopedControl } from './api'

afterEach(() => vi.unstubAllGlobals())

function serve(handler: (url: URL, init: RequestInit) => [number, unknown]): string[] {
  const seen: string[] = []
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://socmap.test')
    seen.push(`${init.method ?? 'GET'} ${url.pathname} ${String(init.body ?? '')}`)
    const [status, body] = handler(url, init)
    return new Response(status === 204 ? null : JSON.stringify(body), { status })
  }))
  return seen
}

const withQueries = (ui: ReactNode) => render(<QueryClientProvider client={newQueryClient()}>{ui}</QueryClientProvider>)

const win = (start: string, state: OccurrenceWindow['state'], extra: Partial<OccurrenceWindow> = {}): OccurrenceWindow => ({
  label: `Month of ${start}`, short: 'M', start, end: start, partial: false, state, due_on: '2026-05-28', evidence: [], attached: [],
  missing: state === 'missing', reason: '', ...extra,
})

const control: ScopedControl = {
  id: 7, ref: 'AC-03', title: 'Access review', frequency: 'monthly', nature: 'manual', owner_email: '', included: true, reason: '',
  requirements: ['CC6.1'], sample: null, sample_note: '', evidence_outside_period: [], evidence_after_as_of: [], evidence_stale: [], implemented_after_as_of: false, basis: 'windows',
  schedule_words: '', calendar_words: '', implemented_on: null, retired_on: null, replaced_by: '', retired: '', changes: [],
  windows: [win('2026-04-15', 'missing'), win('2026-05-15', 'not_expected', { reason: 'No joiners' })],
}

/** The control as the grid lists it: its windows counted, not listed. */
const { windows: listed, ...fields } = control
const row: GridControl = {
  ...fields,
  window_summary: { expected: listed.length, partial: 0, counts: { not_yet_due: 0, due: 0, covered: 0, missing: 1, not_expected: 1 } },
}

describe('occurrence windows', () => {
  it('says what covers a window, when it is due or why it is not expected', () => {
    expect(windowTitle(win('2026-04-15', 'due'))).toBe('Month of 2026-04-15: due by 2026-05-28')
    expect(windowTitle(win('2026-04-15', 'covered', { evidence: [3, 9], attached: [9] }))).toBe('Month of 2026-04-15: covered by evidence 3, 9 (attached: 9)')
    expect(windowTitle(win('2026-04-15', 'not_yet_due'))).toBe('Month of 2026-04-15: not yet due')
    expect(windowTitle(win('2026-04-15', 'not_expected', { reason: 'Shutdown' }))).toBe('Month of 2026-04-15: not expected: Shutdown')
  })

  it('marks a window not expected with the reason, and withdraws a mark', async () => {
    const seen = serve((_url, init) => (init.method ?? 'GET') === 'GET' ? [200, { control }] : [204, null])
    const changed = vi.fn()
    withQueries(<WindowActions engagementId={4} controls={[row]} onChanged={changed} />)
    await userEvent.type(await screen.findByLabelText(/Why the control did not have to operate/), 'No changes in April')
    await userEvent.click(screen.getByText('Mark not expected'))
    await waitFor(() => expect(changed).toHaveBeenCalledTimes(1))
    expect(seen).toContain('PUT /api/v1/engagements/4/controls/7/windows/2026-04-15/not-expected {"reason":"No changes in April"}')
    await userEvent.selectOptions(screen.getByLabelText('Window'), '2026-05-15')
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    await userEvent.click(screen.getByText('Expected after all'))
    expect(confirm).toHaveBeenCalledWith('Expect AC-03 to operate in Month of 2026-05-15 after all? The reason it did not have to is removed, '
      + 'and the window needs evidence again: once due without it, it counts as missing.')
    expect(seen.filter((s) => s.startsWith('DELETE'))).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByText('Expected after all'))
    await waitFor(() => expect(seen).toContain('DELETE /api/v1/engagements/4/controls/7/windows/2026-05-15/not-expected '))
    // The windows are read for the chosen control alone, not carried by the grid.
    expect(seen[0]).toBe('GET /api/v1/engagements/4/controls/7 ')
  })

  it('counts a grid row\'s windows by state', () => {
    const { container } = render(<WindowCounts c={row} />)
    const cells = [...container.querySelectorAll('.cell')].map((c) => `${c.getAttribute('data-state')}=${c.textContent}`)
    expect(cells).toEqual(['missing=1', 'not_expected=1'])
    expect(container.querySelector('.cells')?.getAttribute('aria-label')).toBe('0 of 1 windows due so far have evidence; 2 expected in the period')
  })
})

describe('holidays', () => {
  it('asks before detaching evidence from a window, naming both', async () => {
    const attached = { ...control, windows: [win('2026-04-15', 'covered', { evidence: [9], attached: [9] })] }
    const seen = serve((_url, init) => (init.method ?? 'GET') === 'GET' ? [200, { control: attached }] : [204, null])
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    withQueries(<WindowActions engagementId={4} controls={[row]} onChanged={vi.fn()} />)
    await userEvent.click(await screen.findByText('Detach'))
    expect(confirm).toHaveBeenCalledWith('Detach evidence 9 from AC-03, Month of 2026-04-15? It no longer speaks for that window.')
    expect(seen.filter((s) => s.startsWith('DELETE'))).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByText('Detach'))
    await waitFor(() => expect(seen).toContain('DELETE /api/v1/engagements/4/controls/7/windows/2026-04-15/evidence/9 '))
  })

  it('reads one holiday per line and shows the server refusing a bad one', async () => {
    expect(parseHolidays('2026-12-25 Christmas Day\n\n 2027-01-01\n')).toEqual([{ day: '2026-12-25', name: 'Christmas Day' }, { day: '2027-01-01', name: '' }])
    const seen = serve((_url, init) => init.method === 'PUT'
      ? [400, { error: { code: 'invalid', message: 'the holidays cannot be saved as given', fields: { 'holidays[0]': 'the day must be a date such as 2026-12-25' } } }]
      : [200, { holidays: [{ day: '2026-12-25', name: 'Christmas Day' }] }])
    vi.stubGlobal('confirm', vi.fn(() => true))
    withQueries(<HolidaysCard editable />)
    const box = await screen.findByLabelText(/One per line/)
    expect((box as HTMLTextAreaElement).value).toBe('2026-12-25 Christmas Day')
    await userEvent.clear(box)
    await userEvent.type(box, '2026-13-01 Nonsense')
    await userEvent.click(screen.getByText('Save holidays'))
    expect((await screen.findByRole('alert')).textContent).toContain('holidays[0]: the day must be a date')
    expect(seen).toContain('PUT /api/v1/settings/holidays {"holidays":[{"day":"2026-13-01","name":"Nonsense"}]}')
  })
})

describe('schedules', () => {
  it('lists the months a control runs in from the first', () => {
    expect(monthsFrom(1, 'quarterly')).toEqual([1, 4, 7, 10])
    expect(monthsFrom(3, 'semi-annual')).toEqual([3, 9])
    expect(monthsFrom(10, 'annual')).toEqual([10])
  })
})
