import { afterEach, describe, expect, it } from 'vitest'
import { act, render, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { MemoryRouter, Route, Routes, useNavigate } from 'react-router'
import { DocumentTitle, routeTitle } from './title'

function Control() {
  const [loaded, setLoaded] = useState(false)
  const navigate = useNavigate()
  return (
    <section>
      {loaded ? <h1><code>AC-03</code> Quarterly user access review</h1> : <p>Loading…</p>}
      <button type="button" onClick={() => setLoaded(true)}>load</button>
      <button type="button" onClick={() => void navigate('/outbox')}>outbox</button>
    </section>
  )
}

afterEach(() => {
  document.title = ''
})

describe('document titles', () => {
  it('names each page after its heading, and after its address while it has none', async () => {
    const { getByText } = render(
      <MemoryRouter initialEntries={['/controls/7']}>
        <DocumentTitle />
        <main>
          <Routes>
            <Route path="/controls/:id" element={<Control />} />
            <Route path="/outbox" element={<h1>Outbox</h1>} />
          </Routes>
        </main>
      </MemoryRouter>,
    )
    expect(document.title).toBe('Control · socmap')
    act(() => getByText('load').click())
    await waitFor(() => expect(document.title).toBe('AC-03 Quarterly user access review · socmap'))
    act(() => getByText('outbox').click())
    await waitFor(() => expect(document.title).toBe('Outbox · socmap'))
  })

  it('gives every route of the app a name of its own', () => {
    const paths = ['/dashboard', '/tasks', '/team-tasks', '/engagements', '/engagements/scoping', '/engagements/3',
      '/engagements/3/controls/9', '/engagements/3/requests', '/engagements/3/requests/4', '/coverage', '/controls', '/controls/9', '/matrix', '/soc1-objectives', '/soc1-objectives/adopt',
      '/evidence', '/automated', '/catalog', '/users', '/audit', '/outbox', '/settings', '/tokens', '/account', '/login', '/setup']
    const titles = paths.map(routeTitle)
    expect(new Set(titles).size).toBe(paths.length)
    expect(titles).not.toContain('Page not found')
    expect(routeTitle('/nowhere')).toBe('Page not found')
  })
})
