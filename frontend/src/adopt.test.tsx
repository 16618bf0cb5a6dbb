import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { QueryClientProvider } from '@tanstack/react-query'
import { MemoryRouter, Route, Routes } from 'react-router'
import { AdoptObjectivesPage } from './pages/AdoptObjectivesPage'
import { newQueryClient } from './queries/client'
import type { Proposal, Requirement } from './api'

afterEach(() => vi.unstubAllGlobals())

function tpl(ref: string, category: string, series: string, optional = false): Requirement {
  return { framework_id: 'soc1-objective-templates', ref, category, series, series_name: '', coso_principle: null,
    title: `${series} title`, description: `Controls provide reasonable assurance that ${series.toLowerCase()} works.`,
    industry: 'all', optional, replaces: [], activities: category === 'itgc' ? [{ ref: `${ref}.01`, title: 'Review', description: 'd', frequency: 'quarterly', nature: 'manual', type: 'detective' }] : [] }
}

const proposal: Proposal = {
  industries: [{ code: 'payroll', name: 'Payroll processing', description: '', services: ['payroll'], template_refs: [] }],
  objectives: [
    { ref: '', selected: false, adopted_as: [], template: tpl('ENT-ORG', 'entity', 'Organisation and administration', true) },
    { ref: 'CO-01', selected: true, adopted_as: [], template: tpl('BP-CLI-01', 'business', 'Client set-up') },
    { ref: 'CO-02', selected: true, adopted_as: [], template: tpl('BP-PAY-01', 'business', 'Employee master data') },
    { ref: 'CO-03', selected: true, adopted_as: [], template: tpl('ITGC-LA', 'itgc', 'Logical access') },
  ],
  numbering: ['CO-01', 'CO-02', 'CO-03', 'CO-04'],
}

describe('adopting a proposed objective set', () => {
  it('proposes for the scoping answers, renumbers what is kept and sends the reworded set', async () => {
    const asked: string[] = []
    const posts: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://socmap.test')
      if (init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)))
        return new Response(JSON.stringify({ objectives: [{}, {}] }), { status: 201 })
      }
      asked.push(url.pathname + url.search)
      if (url.pathname.endsWith('/industries')) return new Response(JSON.stringify({ industries: proposal.industries }), { status: 200 })
      return new Response(JSON.stringify(proposal), { status: 200 })
    }))
    render(
      <QueryClientProvider client={newQueryClient()}>
        <MemoryRouter initialEntries={['/soc1-objectives/adopt?services=payroll,saas']}>
          <Routes>
            <Route path="/soc1-objectives/adopt" element={<AdoptObjectivesPage />} />
            <Route path="/soc1-objectives" element={<p>objectives page</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    )
    await screen.findByLabelText('ID of Logical access title')
    const list = document.getElementById('proposed-objectives')!
    expect(asked).toContain('/api/v1/soc1-objectives/proposal?services=payroll%2Csaas')
    expect((screen.getByLabelText('Payroll processing') as HTMLInputElement).checked).toBe(true)
    const idOf = (title: string) => (within(list).getByLabelText(`ID of ${title}`) as HTMLInputElement).value
    expect(idOf('Logical access title')).toBe('CO-03')

    await userEvent.click(within(list).getByLabelText('Include Client set-up title'))
    expect(idOf('Logical access title')).toBe('CO-02')
    const title = within(list).getAllByLabelText('Title')[0] as HTMLInputElement
    await userEvent.clear(title)
    await userEvent.type(title, 'Employee changes are authorised')
    expect(screen.getByText('1 suggested control activity')).toBeTruthy()

    await userEvent.click(screen.getByRole('button', { name: 'Adopt 2 objectives' }))
    await waitFor(() => expect(posts).toHaveLength(1))
    expect(posts[0]).toEqual({ objectives: [
      { ref: 'CO-01', template_ref: 'BP-PAY-01', title: 'Employee changes are authorised', description: proposal.objectives[2]!.template.description },
      { ref: 'CO-02', template_ref: 'ITGC-LA', title: 'Logical access title', description: proposal.objectives[3]!.template.description },
    ] })
    expect(await screen.findByText('objectives page')).toBeTruthy()
  })
})
