import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Pager, pageNumbers, rangeLabel } from './Pager'

describe('Pager', () => {
  it('labels the range with the total, grouped in thousands', () => {
    expect(rangeLabel(0, 50, 1234)).toBe('1–50 of 1,234')
    expect(rangeLabel(1200, 34, 1234)).toBe('1,201–1,234 of 1,234')
    expect(rangeLabel(0, 0, 0)).toBe('0 of 0')
  })

  it('offers the first, last and nearby pages with gaps between', () => {
    expect(pageNumbers(1, 1)).toEqual([1])
    expect(pageNumbers(1, 5)).toEqual([1, 2, 3, 4, 5])
    expect(pageNumbers(10, 25)).toEqual([1, 'gap', 8, 9, 10, 11, 12, 'gap', 25])
    expect(pageNumbers(4, 25)).toEqual([1, 2, 3, 4, 5, 6, 'gap', 25])
    expect(pageNumbers(25, 25)).toEqual([1, 'gap', 23, 24, 25])
  })

  it('shows the total of a single page without page controls', () => {
    render(<Pager offset={0} pageSize={50} total={12} onOffset={() => {}} />)
    expect(screen.getByText('1–12 of 12')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull()
  })

  it('goes to a page by number, by Next and by a jump, within bounds', async () => {
    const onOffset = vi.fn()
    render(<Pager offset={100} pageSize={50} total={1234} onOffset={onOffset} />)
    expect(screen.getByText('101–150 of 1,234')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Page 3' }).getAttribute('aria-current')).toBe('page')
    await userEvent.click(screen.getByRole('button', { name: 'Page 25' }))
    expect(onOffset).toHaveBeenLastCalledWith(1200)
    await userEvent.click(screen.getByRole('button', { name: 'Next' }))
    expect(onOffset).toHaveBeenLastCalledWith(150)
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }))
    expect(onOffset).toHaveBeenLastCalledWith(50)
    const jump = screen.getByRole('spinbutton', { name: 'Page' })
    await userEvent.type(jump, '7{Enter}')
    expect(onOffset).toHaveBeenLastCalledWith(300)
    await userEvent.type(jump, '99{Enter}')
    expect(onOffset).toHaveBeenLastCalledWith(1200)
  })

  it('disables Previous on the first page and Next on the last', () => {
    const { rerender } = render(<Pager offset={0} pageSize={50} total={120} onOffset={() => {}} prev="Newer" next="Older" />)
    expect((screen.getByRole('button', { name: 'Newer' }) as HTMLButtonElement).disabled).toBe(true)
    rerender(<Pager offset={100} pageSize={50} total={120} onOffset={() => {}} prev="Newer" next="Older" />)
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByText('101–120 of 120')).toBeTruthy()
  })
})
