import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ApiError } from './api'
import { errorWords, LockBanner, StatusControl, statusChoices } from './pages/Lock'

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
