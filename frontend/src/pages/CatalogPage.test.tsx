import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation, useNavigate } from 'react-router'
import { QueryClientProvider } from '@tanstack/react-query'
import { CatalogPage } from './CatalogPage'
import { newQueryClient } from '../queries/client'
import type { Framework, Requirement } from '../api'
import { SessionProvider } from '../session'

const soc2: Framework = {
  id: 'soc2-tsc-2017',
  name: 'SOC 2 Trust Services Criteria',
  kind: 'soc2',
  version: '2017 (points of focus revised 2022)',
  description: 'The AICPA criteria.',
  requirement_count: 3,
  categories: [
    { code: 'security', name: 'Security', description: '', requirement_count: 2 },
    { code: 'availability', name: 'Availability', description: '', requirement_count: 1 },
  ],
}
const soc1: Framework = {
  id: 'soc1-objective-templates',
  name: 'SOC 1 control objective templates',
  kind: 'soc1',
  version: '1',
  description: 'Templates.',
  requirement_count: 1,
  categories: [{ code: 'itgc', name: 'IT general controls', description: '', requirement_count: 1 }],
}

function req(framework: Framework, ref: string, category: string, series: string, series_name: string, coso: number | null, title: string): Requirement {
  return { framework_id: framework.id, ref, category, series, series_name, coso_principle: coso, title, description: `${title} described.`,
    industry: '', optional: false, replaces: [], activities: [] }
}

const requirements: Record<string, Requirement[]> = {
  [soc2.id]: [
    req(soc2, 'CC1.1', 'security', 'CC1', 'Control environment', 1, 'Integrity and ethical values'),
    req(soc2, 'CC6.1', 'security', 'CC6', 'Logical and physical access', null, 'Logical access security'),
    req(soc2, 'A1.1', 'availability', 'A1', 'Additional criteria for availability', null, 'Capacity management'),
  ],
  [soc1.id]: [req(soc1, 'ITGC-LA-01', 'itgc', 'Logical access', '', null, 'User access provisioning')],
}

type Reply = [number, unknown] | [number, string, 'text']

/** Answers fetch like the server would; `override` may answer first. */
function serve(override?: (url: URL) => Reply | undefined) {
  const f = vi.fn(async (input: string) => {
    const url = new URL(input, 'http://socmap.test')
    const reply = override?.(url) ?? answer(url)
    const body = reply[2] === 'text' ? (reply[1] as string) : JSON.stringify(reply[1])
    return new Response(body, { status: reply[0] })
  })
  vi.stubGlobal('fetch', f)
  return f
}

function answer(url: URL): Reply {
  if (url.pathname === '/api/v1/frameworks') return [200, { frameworks: [soc2, soc1] }]
  if (url.pathname === `/api/v1/frameworks/${soc1.id}/industries`) return [200, { industries: [{ code: 'payroll', name: 'Payroll processing', description: '', services: ['payroll'], template_refs: [] }] }]
  const m = /^\/api\/v1\/frameworks\/([^/]+)\/requirements$/.exec(url.pathname)
  const list = m ? requirements[decodeURIComponent(m[1] ?? '')] : undefined
  if (!list) return [404, { error: { code: 'not_found', message: 'no such framework' } }]
  const q = (url.searchParams.get('q') ?? '').toLowerCase()
  const category = url.searchParams.get('category') ?? ''
  const hits = list.filter(
    (r) => (!category || r.category === category) && (!q || r.ref.toLowerCase().includes(q) || r.title.toLowerCase().includes(q)),
  )
  return [200, { requirements: hits, total: hits.length, limit: 500, offset: 0 }]
}

/** Shows the router's location and offers the browser's back and forward. */
function Probe() {
  const l = useLocation()
  const navigate = useNavigate()
  return (
    <div>
      <output data-testid="location">{l.pathname + l.search}</output>
      <button type="button" onClick={() => void navigate(-1)}>
        test-back
      </button>
      <button type="button" onClick={() => void navigate(1)}>
        test-forward
      </button>
    </div>
  )
}

const location = () => screen.getByTestId('location').textContent

function renderAt(...entries: string[]) {
  return render(
    <QueryClientProvider client={newQueryClient()}>
    <MemoryRouter initialEntries={entries} initialIndex={entries.length - 1}>
      <Probe />
      <Routes>
        <Route path="/catalog" element={<CatalogPage />} />
        <Route path="/catalog/:frameworkId" element={<CatalogPage />} />
      </Routes>
    </MemoryRouter>
    </QueryClientProvider>,
  )
}

const requested = (f: ReturnType<typeof serve>) => f.mock.calls.map(([u]) => String(u)).filter((u) => u.includes('/requirements'))
const box = () => screen.getByRole('searchbox', { name: 'Search requirements' }) as HTMLInputElement
const refs = (container: HTMLElement) => [...container.querySelectorAll('[data-ref]')].map((e) => e.getAttribute('data-ref'))

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('CatalogPage', () => {
  it('shows each criterion its mapped controls and coverage, and maps a control by its ID', async () => {
    const calls: string[] = []
    let mapped = false
    const f = vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://socmap.test')
      calls.push(`${init.method ?? 'GET'} ${url.pathname}${url.search} ${String(init.body ?? '')}`)
      let reply: Reply
      if (url.pathname === '/api/v1/auth/session') {
        reply = [200, { user: { id: 1, email: 'lead@example.com', name: 'Lead', role: 'compliance' }, csrf_token: 'c', via: 'session', permissions: ['program.read', 'program.manage', 'catalog.read'] }]
      } else if (url.pathname === '/api/v1/coverage') {
        const cc61 = { requirement: 'soc2-tsc-2017/CC6.1', framework_id: 'soc2-tsc-2017', ref: 'CC6.1', title: 'Logical access security', category: 'security', series: 'CC6', reason: '',
          state: mapped ? 'covered' : 'no_evidence', covered_controls: mapped ? 1 : 0,
          controls: [{ id: 7, ref: 'AC-01', title: 'Access policy', evidence: 0, state: 'no_evidence' }, ...(mapped ? [{ id: 9, ref: 'AC-03', title: 'Access review', evidence: 2, state: 'covered' }] : [])] }
        const cc11 = { requirement: 'soc2-tsc-2017/CC1.1', framework_id: 'soc2-tsc-2017', ref: 'CC1.1', title: 'Integrity', category: 'security', series: 'CC1', reason: '', state: 'no_control', covered_controls: 0, controls: [] }
        reply = [200, { requirements: [cc11, cc61], summary: [], controls_without_evidence: [], expiring_evidence: [] }]
      } else if (url.pathname === '/api/v1/controls') {
        reply = [200, { controls: [{ id: 9, ref: 'AC-03', title: 'Access review' }, { id: 10, ref: 'AC-030', title: 'Other' }], total: 2, limit: 20, offset: 0 }]
      } else if (url.pathname === '/api/v1/mappings') {
        mapped = true
        reply = [200, { added: 1, removed: 0 }]
      } else {
        reply = answer(url)
      }
      return new Response(JSON.stringify(reply[1]), { status: reply[0] })
    })
    vi.stubGlobal('fetch', f)
    render(
      <SessionProvider>
        <MemoryRouter initialEntries={['/catalog']}>
          <Routes><Route path="/catalog" element={<CatalogPage />} /></Routes>
        </MemoryRouter>
      </SessionProvider>,
    )
    const row = await waitFor(() => {
      const li = document.querySelector('[data-ref="CC6.1"]') as HTMLElement
      expect(within(li).getByText('0 of 1 control covered')).toBeTruthy()
      return li
    })
    expect(within(row).getByText('AC-01').getAttribute('href')).toBe('/controls/7')
    expect(within(document.querySelector('[data-ref="CC1.1"]') as HTMLElement).getByText('No control mapped')).toBeTruthy()
    await userEvent.click(within(row).getByText('Map a control…'))
    await userEvent.type(within(row).getByLabelText('Control to map to CC6.1'), 'ac-03')
    await userEvent.click(within(row).getByText('Map'))
    await waitFor(() => expect(calls).toContain('POST /api/v1/mappings {"add":[{"control_id":9,"requirement":"soc2-tsc-2017/CC6.1"}],"remove":[]}'))
    expect(await within(row).findByText('1 of 2 controls covered')).toBeTruthy()
    // Once on opening, once after the mapping: nothing else reads the coverage again.
    expect(calls.filter((c) => c.startsWith('GET /api/v1/coverage'))).toHaveLength(2)
  })

  it('leads a programme manager from the SOC 1 templates to a proposed set for the industry picked', async () => {
    const session = (permissions: string[]) => (url: URL): Reply | undefined =>
      url.pathname === '/api/v1/auth/session'
        ? [200, { user: { id: 1, email: 'lead@example.com', name: 'Lead', role: 'compliance' }, csrf_token: 'c', via: 'session', permissions }]
        : undefined
    serve(session(['program.read', 'program.manage']))
    const entry = `/catalog/${soc1.id}?industry=payroll`
    const { unmount } = render(
      <SessionProvider>
        <MemoryRouter initialEntries={[entry]}>
          <Routes>
            <Route path="/catalog/:frameworkId" element={<CatalogPage />} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>,
    )
    const link = await screen.findByRole('link', { name: 'Propose the Payroll processing objective set' }, { timeout: 5000 })
    expect(link.getAttribute('href')).toBe('/soc1-objectives/adopt?industries=payroll')
    unmount()

    // A reader who may not adopt objectives is offered no such step.
    serve(session(['program.read']))
    render(
      <SessionProvider>
        <MemoryRouter initialEntries={[entry]}>
          <Routes>
            <Route path="/catalog/:frameworkId" element={<CatalogPage />} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>,
    )
    expect(await screen.findByText('1 requirement', {}, { timeout: 5000 })).toBeTruthy()
    expect(screen.queryByRole('link', { name: /objective set/ })).toBeNull()
  })

  it('shows the first framework grouped by category, then series, in catalog order', async () => {
    serve()
    const { container } = renderAt('/catalog')
    expect(await screen.findByText('3 requirements')).toBeTruthy()
    expect(screen.getByText('3 requirements').id).toBe('result-count')

    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['Security', 'Availability'])
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'CC1 – Control environment',
      'CC6 – Logical and physical access',
      'A1 – Additional criteria for availability',
    ])
    expect(refs(container)).toEqual(['CC1.1', 'CC6.1', 'A1.1'])

    const cc11 = container.querySelector('[data-ref="CC1.1"]') as HTMLElement
    expect(within(cc11).getByText('CC1.1').tagName).toBe('CODE')
    expect(within(cc11).getByText('Integrity and ethical values')).toBeTruthy()
    expect(within(cc11).getByText('Integrity and ethical values described.')).toBeTruthy()
    expect(within(cc11).getByText('COSO principle 1')).toBeTruthy()
    expect(within(container.querySelector('[data-ref="CC6.1"]') as HTMLElement).queryByText(/COSO/)).toBeNull()

    const current = screen.getByRole('link', { current: 'page' })
    expect(current.textContent).toContain('SOC 2 Trust Services Criteria')
  })

  it('titles SOC 1 groups by their domain alone', async () => {
    serve()
    renderAt('/catalog/soc1-objective-templates')
    expect(await screen.findByRole('heading', { level: 3, name: 'Logical access' })).toBeTruthy()
    expect(screen.getByRole('heading', { level: 2, name: 'IT general controls' })).toBeTruthy()
    expect(screen.getByText('1 requirement')).toBeTruthy()
  })

  it('debounces typing into one query and keeps it in the URL', async () => {
    const f = serve()
    const { container } = renderAt('/catalog/soc2-tsc-2017')
    await screen.findByText('3 requirements')

    await userEvent.type(box(), 'cc6')
    await waitFor(() => expect(screen.getByText('1 requirement matches "cc6"')).toBeTruthy())
    expect(refs(container)).toEqual(['CC6.1'])
    expect(location()).toBe('/catalog/soc2-tsc-2017?q=cc6')
    // one request for the whole word, none for each keystroke
    expect(requested(f).filter((u) => u.includes('q='))).toEqual(['/api/v1/frameworks/soc2-tsc-2017/requirements?q=cc6&limit=500'])

    await userEvent.clear(box())
    await waitFor(() => expect(location()).toBe('/catalog/soc2-tsc-2017'))
    expect(await screen.findByText('3 requirements')).toBeTruthy()
  })

  it('waits for a pause before searching', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const f = serve()
    renderAt('/catalog/soc2-tsc-2017')
    await screen.findByText('3 requirements')
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
    await user.type(box(), 'access')
    await act(() => vi.advanceTimersByTimeAsync(100))
    expect(requested(f).some((u) => u.includes('q='))).toBe(false)
    expect(location()).toBe('/catalog/soc2-tsc-2017')
    await act(() => vi.advanceTimersByTimeAsync(150))
    expect(location()).toBe('/catalog/soc2-tsc-2017?q=access')
  })

  it('opens a shared link with its search and follows back and forward', async () => {
    const f = serve()
    renderAt('/catalog/soc2-tsc-2017?q=integrity', '/catalog/soc2-tsc-2017?q=capacity')
    expect(await screen.findByText('1 requirement matches "capacity"')).toBeTruthy()
    expect(box().value).toBe('capacity')
    expect(requested(f)).toContain('/api/v1/frameworks/soc2-tsc-2017/requirements?q=capacity&limit=500')

    await userEvent.click(screen.getByRole('button', { name: 'test-back' }))
    expect(await screen.findByText('1 requirement matches "integrity"')).toBeTruthy()
    expect(box().value).toBe('integrity')
    await userEvent.click(screen.getByRole('button', { name: 'test-forward' }))
    expect(await screen.findByText('1 requirement matches "capacity"')).toBeTruthy()
    expect(box().value).toBe('capacity')
  })

  it('filters by category through the URL', async () => {
    const f = serve()
    const { container } = renderAt('/catalog/soc2-tsc-2017')
    await screen.findByText('3 requirements')
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Category' }), 'availability')
    expect(await screen.findByText('1 requirement in Availability')).toBeTruthy()
    expect(location()).toBe('/catalog/soc2-tsc-2017?category=availability')
    expect(refs(container)).toEqual(['A1.1'])
    expect(requested(f)).toContain('/api/v1/frameworks/soc2-tsc-2017/requirements?category=availability&limit=500')
    expect((screen.getByRole('option', { name: 'All categories' }) as HTMLOptionElement).selected).toBe(false)
  })

  it('switches framework keeping the search', async () => {
    serve()
    renderAt('/catalog/soc2-tsc-2017?q=access')
    await screen.findByText('1 requirement matches "access"', { selector: '#result-count' })
    await userEvent.click(screen.getByRole('link', { name: /SOC 1 control objective templates/ }))
    expect(await screen.findByText('1 requirement matches "access"')).toBeTruthy()
    expect(location()).toBe('/catalog/soc1-objective-templates?q=access')
    expect(screen.getByRole('heading', { level: 3, name: 'Logical access' })).toBeTruthy()
  })

  it('says when nothing matches and clears the search', async () => {
    serve()
    const { container } = renderAt('/catalog/soc2-tsc-2017?q=zzz')
    expect(await screen.findByText('No requirements match "zzz".')).toBeTruthy()
    expect(screen.getByText('0 requirements match "zzz"')).toBeTruthy()
    expect(refs(container)).toEqual([])
    await userEvent.click(screen.getByRole('button', { name: 'clear the search' }))
    expect(await screen.findByText('3 requirements')).toBeTruthy()
    expect(box().value).toBe('')
    expect(location()).toBe('/catalog/soc2-tsc-2017')
  })

  it("shows the server's error message", async () => {
    serve((url) =>
      url.pathname.endsWith('/requirements')
        ? [400, { error: { code: 'invalid_request', message: 'The search is too long.', fields: { q: 'at most 200 characters' } } }]
        : undefined,
    )
    const { container } = renderAt('/catalog')
    expect((await screen.findByRole('alert')).textContent).toBe('The search is too long.')
    expect(refs(container)).toEqual([])
    expect(container.querySelector('#result-count')).toBeNull()
  })

  it('reports an unreachable server when the framework list fails', async () => {
    serve((url) => (url.pathname === '/api/v1/frameworks' ? [502, '<html>bad gateway</html>', 'text'] : undefined))
    renderAt('/catalog')
    expect((await screen.findByRole('alert')).textContent).toBe('The server answered 502')
  })

  it('says so for a framework that does not exist', async () => {
    serve()
    renderAt('/catalog/soc3')
    expect((await screen.findByRole('alert')).textContent).toContain('no framework “soc3”')
    expect(screen.getByRole('link', { name: /SOC 2 Trust Services Criteria/ }).getAttribute('href')).toBe('/catalog/soc2-tsc-2017')
  })
})

describe('a catalog longer than one page', () => {
  it('pages with the total instead of showing only the first 500', async () => {
    const f = serve((url) => {
      if (!url.pathname.endsWith('/requirements')) return undefined
      const offset = Number(url.searchParams.get('offset') ?? 0)
      return [200, { requirements: requirements[soc2.id], total: 1200, limit: 500, offset }]
    })
    renderAt('/catalog/soc2-tsc-2017')
    const pages = await screen.findByRole('navigation', { name: 'Pages of requirements' })
    expect(pages.textContent).toContain('of 1,200')
    await userEvent.click(screen.getByRole('button', { name: 'Page 3' }))
    await waitFor(() => expect(requested(f)).toContain('/api/v1/frameworks/soc2-tsc-2017/requirements?limit=500&offset=1000'))
  })
})
