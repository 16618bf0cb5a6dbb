import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation, useNavigate } from 'react-router'
import { useParamSetter } from './urlparams'

function Search() {
  const set = useParamSetter()
  const l = useLocation()
  const navigate = useNavigate()
  return (
    <div>
      <input aria-label="Search" onChange={(e) => set('q', e.target.value, { replace: true })} />
      <output data-testid="at">{l.pathname + l.search}</output>
      <button type="button" onClick={() => void navigate(-1)}>back</button>
    </div>
  )
}

describe('useParamSetter', () => {
  it('types a search into the address without a history entry per keystroke', async () => {
    render(
      <MemoryRouter initialEntries={['/dashboard', '/controls']} initialIndex={1}>
        <Routes>
          <Route path="*" element={<Search />} />
        </Routes>
      </MemoryRouter>,
    )
    await userEvent.type(screen.getByLabelText('Search'), 'ac-0')
    expect(screen.getByTestId('at').textContent).toBe('/controls?q=ac-0')
    await userEvent.click(screen.getByText('back'))
    expect(screen.getByTestId('at').textContent).toBe('/dashboard')
  })
})
