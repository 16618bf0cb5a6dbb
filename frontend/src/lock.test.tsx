import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ApiError, type DrawnSample } from './api'
import { retestWords } from './pages/Remediation'
import { BridgeLetterCard, errorWords, LockBanner, StatusControl, statusChoices } from './pages/Lock'

describe('the lock from reporting on', () => {
  it('offers the moves the server allows', () => {
    expect(statusChoices('fieldwork', false)).toEqual(['planning', 'fieldwork', 'reporting', 'issued', 'closed'])
    expect(statusChoices('reporting', false)).toEqual(['reporting', 'issued', 'closed'])
    expect(statusChoices('reporting', true)).toEqual(['planning', 'fieldwork', 'reporting', 'issued', 'closed'])
    // Issued never goes back to planning, not even for an admin.
    expect(statusChoices('issued', true)).toEqual(['fieldwork', 'reporting', 'issued', 'closed'])
    expect(statusChoices('closed', true)).toEqual(['fieldwork', 'reporting', 'issued', 'closed'])
  })

  it('shows the banner only while locked', () => {
    const { rerender } = render(<LockBanner e={{ status: 'fieldwork' }} />)
    expect(screen.queryByRole('note')).toBeNull()
    rerender(<LockBanner e={{ status: 'reporting' }} />)
    expect(screen.getByRole('note').textContent).toContain('Frozen from reporting on: scope, period, results, samples and evidence relied on cannot change')
  })

  it('asks a reason and a confirmation before moving back', async () => {
    const onMove = vi.fn()
    render(<StatusControl e={{ status: 'reporting' }} admin onMove={onMove} />)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'fieldwork')
    expect(onMove).not.toHaveBeenCalled()
    const go = screen.getByRole('button', { name: 'Move back to fieldwork' })
    expect((go as HTMLButtonElement).disabled).toBe(true)
    await userEvent.type(screen.getByLabelText('Why it goes back'), 'a sample item was misread')
    await userEvent.click(go)
    expect(onMove).toHaveBeenCalledWith('fieldwork', 'a sample item was misread')
  })

  it('moves forward at once', async () => {
    const onMove = vi.fn()
    render(<StatusControl e={{ status: 'reporting' }} admin={false} onMove={onMove} />)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'issued')
    expect(onMove).toHaveBeenCalledWith('issued')
  })

  it('words a lock refusal', () => {
    const err = new ApiError(409, 'engagement_locked', 'the engagement "X" is in reporting: its scope, period, results, samples and evidence are locked')
    expect(errorWords(err)).toBe('Not saved: the engagement is locked. the engagement "X" is in reporting: its scope, period, results, samples and evidence are locked.')
  })
})

describe('a retest', () => {
  const sample = (results: Record<string, string>[]): DrawnSample => ({
    id: 9, population_id: 1, extends_id: null, seed: '1', method: 'm', size: results.length, required_size: results.length, risk: 'lower',
    size_reason: '', attributes: ['approved'], selected_at: '2026-07-01T00:00:00Z', sign_off: { prepared_by: null, prepared_on: null, reviewed_by: null, reviewed_on: null },
    version: 1, purpose: 'retest', remediation_exception_id: 3, covers_from: '2026-04-01', covers_to: '2026-06-30',
    items: results.map((r, i) => ({ seq: i + 1, item_id: `C${i}`, date: '2026-05-01', description: '', results: r, exception: false, notes: '', tested_by: '', tested_on: null, evidence_ids: [] })),
  })
  it('is stated as Section IV states it', () => {
    expect(retestWords(sample([{ approved: 'pass' }, { approved: 'pass' }]))).toBe('Retest of 2026-04-01 to 2026-06-30: no exceptions noted (0 of 2)')
    expect(retestWords(sample([{ approved: 'fail' }, { approved: 'pass' }]))).toBe('Retest of 2026-04-01 to 2026-06-30: exceptions noted (1 of 2)')
    expect(retestWords(sample([{ approved: 'pass' }, {}]))).toBe('Retest of 2026-04-01 to 2026-06-30: in progress (1 of 2 items tested)')
  })
})

describe('the bridge letter card', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('previews the material changes the letter will name', async () => {
    const seen: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
      seen.push(`${init.method ?? 'GET'} ${input} ${String(init.body ?? '')}`)
      const body = input.endsWith('/bridge-letters') ? { bridge_letters: [] }
        : { bridge_letter: { gap_from: '2026-07-01', covers_to: '2026-09-30', changes: ['AC-01 was updated (title)'], deficiencies: [] } }
      return new Response(JSON.stringify(body), { status: 200 })
    }))
    render(<BridgeLetterCard id={4} periodEnd="2026-06-30" controls={[{ id: 1, ref: 'AC-01', title: 'Access' }]} editable />)
    await userEvent.type(screen.getByLabelText('Covers to'), '2026-09-30')
    await userEvent.type(screen.getByLabelText('Signer'), 'Ada Admin')
    await userEvent.click(screen.getByRole('button', { name: 'Preview the material changes' }))
    expect((await screen.findByText('AC-01 was updated (title)')).tagName).toBe('LI')
    expect(screen.getByText(/Known deficiencies the report noted: none/)).toBeTruthy()
    expect(seen).toContain('POST /api/v1/engagements/4/bridge-letter {"covers_to":"2026-09-30","signer_name":"Ada Admin","signer_title":""}')
  })
})
