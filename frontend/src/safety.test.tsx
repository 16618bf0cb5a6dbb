import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { newQueryClient } from './queries/client'
import { HolidaysCard, removedHolidays } from './pages/HolidaysCard'
import { StatusControl } from './pages/Lock'

afterEach(() => vi.unstubAllGlobals())

describe('destructive changes ask first, naming what they affect', () => {
  it('asks before locking the engagement, and does nothing when refused', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onMove = vi.fn()
    render(<StatusControl e={{ status: 'fieldwork' }} admin={false} onMove={onMove} />)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'reporting')
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Move the engagement to reporting?'))
    expect(onMove).not.toHaveBeenCalled()
    confirm.mockReturnValue(true)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'reporting')
    expect(onMove).toHaveBeenCalledWith('reporting')
  })

  it('moves within planning and fieldwork without asking', async () => {
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const onMove = vi.fn()
    render(<StatusControl e={{ status: 'planning' }} admin={false} onMove={onMove} />)
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'fieldwork')
    expect(confirm).not.toHaveBeenCalled()
    expect(onMove).toHaveBeenCalledWith('fieldwork')
  })

  it('names the holidays a save would remove', () => {
    const before = [{ day: '2026-12-25', name: 'Christmas Day' }, { day: '2026-12-26', name: '' }]
    expect(removedHolidays(before, [{ day: '2026-12-25', name: 'Christmas' }])).toEqual(['2026-12-26'])
    expect(removedHolidays(before, [...before, { day: '2027-01-01', name: 'New Year' }])).toEqual([])
  })

  it('asks before removing a holiday and sends nothing when refused', async () => {
    const puts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (_input: string, init?: RequestInit) => {
      if (init?.method === 'PUT') puts.push(JSON.parse(String(init.body)))
      return new Response(JSON.stringify({ holidays: [{ day: '2026-12-25', name: 'Christmas Day' }, { day: '2026-12-26', name: 'Boxing Day' }] }), { status: 200 })
    }))
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    render(<QueryClientProvider client={newQueryClient()}><HolidaysCard editable /></QueryClientProvider>)
    const box = (await screen.findByLabelText('One per line: the date, then its name')) as HTMLTextAreaElement
    await userEvent.clear(box)
    await userEvent.type(box, '2026-12-25 Christmas Day')
    await userEvent.click(screen.getByRole('button', { name: 'Save holidays' }))
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Remove the holidays 2026-12-26 Boxing Day?'))
    expect(puts).toEqual([])
    confirm.mockReturnValue(true)
    await userEvent.click(screen.getByRole('button', { name: 'Save holidays' }))
    await waitFor(() => expect(puts).toEqual([{ holidays: [{ day: '2026-12-25', name: 'Christmas Day' }] }]))
  })
})
