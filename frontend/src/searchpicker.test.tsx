import { describe, expect, it } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { SearchPicker, type Choice, type Matches } from './SearchPicker'

// A programme of 1,200 controls: the picker must find any of them by
// typing, never by listing them all.
const all = Array.from({ length: 1200 }, (_, i) => ({ value: String(i + 1), label: `C-${String(i + 1).padStart(4, '0')} — Control ${i + 1}` }))
const asked: string[] = []
const search = (text: string): Promise<Matches> => {
  asked.push(text)
  const hits = all.filter((c) => c.label.toLowerCase().includes(text.toLowerCase()))
  return Promise.resolve({ choices: hits.slice(0, 20), total: hits.length })
}

function Harness({ initial = null }: { initial?: Choice | null }) {
  const [value, setValue] = useState<Choice | null>(initial)
  return (
    <>
      <SearchPicker id="pick" label="Replaced by" value={value} onChange={setValue} search={search} />
      <output>{value ? `chosen ${value.value}` : 'nothing chosen'}</output>
    </>
  )
}

describe('search picker', () => {
  it('says how many of how many it shows, narrows as one types and chooses with the keyboard', async () => {
    render(<Harness />)
    const box = screen.getByRole('combobox', { name: 'Replaced by' })
    await userEvent.click(box)
    expect(await screen.findByText('20 of 1,200 shown: type more to narrow.')).toBeTruthy()
    expect(screen.getAllByRole('option')).toHaveLength(20)
    await userEvent.type(box, 'C-1150')
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['C-1150 — Control 1150']))
    expect(screen.queryByText(/type more to narrow/)).toBeNull()
    expect(asked.at(-1)).toBe('C-1150')
    await userEvent.keyboard('{ArrowDown}{Enter}')
    expect(screen.getByText('chosen 1150')).toBeTruthy()
    expect((box as HTMLInputElement).value).toBe('C-1150 — Control 1150')
    expect(box.getAttribute('aria-expanded')).toBe('false')
  })

  it('moves with the arrows, shows the chosen item by name, closes on Escape and clears when emptied', async () => {
    render(<Harness initial={{ value: '7', label: 'C-0007 — Control 7' }} />)
    const box = screen.getByRole('combobox', { name: 'Replaced by' }) as HTMLInputElement
    expect(box.value).toBe('C-0007 — Control 7')
    await userEvent.clear(box)
    expect(screen.getByText('nothing chosen')).toBeTruthy()
    await userEvent.type(box, 'Control 12')
    await waitFor(() => expect(screen.getAllByRole('option')[0]?.textContent).toBe('C-0012 — Control 12'))
    await userEvent.keyboard('{ArrowDown}')
    const second = screen.getAllByRole('option')[1]!
    expect(second.getAttribute('aria-selected')).toBe('true')
    expect(box.getAttribute('aria-activedescendant')).toBe(second.id)
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(screen.getByText('nothing chosen')).toBeTruthy()
    await userEvent.type(box, 'zzz')
    expect(await screen.findByText('Nothing matches.')).toBeTruthy()
  })
})
