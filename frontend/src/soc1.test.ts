import { describe, expect, it } from 'vitest'
import type { Proposal, Requirement } from './api'
import { adoption, draftRows, numberRows, rowProblems } from './soc1'

function tpl(ref: string, optional = false): Requirement {
  return { framework_id: 'soc1-objective-templates', ref, category: 'business', series: ref, series_name: '', coso_principle: null,
    title: `${ref} title`, description: `${ref} text`, industry: 'all', optional, replaces: [], activities: [] }
}

const proposal: Proposal = {
  industries: [],
  objectives: [
    { ref: '', selected: false, adopted_as: [], template: tpl('ORG', true) },
    { ref: 'CO-01', selected: true, adopted_as: [], template: tpl('CLI') },
    { ref: 'CO-02', selected: true, adopted_as: [], template: tpl('PAY') },
    { ref: 'CO-03', selected: true, adopted_as: [], template: tpl('OUT') },
  ],
  numbering: ['CO-01', 'CO-02', 'CO-03', 'CO-04'],
}

describe('numbering a proposed set', () => {
  it('renumbers without gaps when a row is left out or added', () => {
    let rows = draftRows(proposal, [])
    rows = numberRows(rows.map((r) => (r.template.ref === 'CLI' ? { ...r, selected: false } : r)), proposal.numbering)
    expect(rows.map((r) => r.ref)).toEqual(['', '', 'CO-01', 'CO-02'])
    rows = numberRows(rows.map((r) => (r.template.ref === 'ORG' ? { ...r, selected: true } : r)), proposal.numbering)
    expect(rows.map((r) => r.ref)).toEqual(['CO-01', '', 'CO-02', 'CO-03'])
  })

  it('keeps a ref the user typed and skips it for the others', () => {
    const rows = draftRows(proposal, []).map((r) => (r.template.ref === 'OUT' ? { ...r, ref: 'co-01', refEdited: true } : r))
    expect(numberRows(rows, proposal.numbering).map((r) => r.ref)).toEqual(['', 'CO-02', 'CO-03', 'co-01'])
  })

  it('keeps rewording when the proposal changes', () => {
    const reworded = draftRows(proposal, []).map((r) => (r.template.ref === 'PAY' ? { ...r, title: 'Our words' } : r))
    const again = draftRows({ ...proposal, objectives: proposal.objectives.slice(2) }, reworded)
    expect(again.map((r) => [r.template.ref, r.title, r.ref])).toEqual([['PAY', 'Our words', 'CO-01'], ['OUT', 'OUT title', 'CO-02']])
  })
})

describe('adopting', () => {
  it('sends the included rows in order and maps problems back to them', () => {
    const rows = numberRows(draftRows(proposal, []).map((r) => (r.template.ref === 'CLI' ? { ...r, selected: false } : r)), proposal.numbering)
    expect(adoption(rows)).toEqual([
      { ref: 'CO-01', template_ref: 'PAY', title: 'PAY title', description: 'PAY text' },
      { ref: 'CO-02', template_ref: 'OUT', title: 'OUT title', description: 'OUT text' },
    ])
    const problems = rowProblems(rows, { 'objectives[1].title': 'required', 'objectives[1].ref': 'taken', other: 'x' })
    expect(Object.fromEntries(problems)).toEqual({ OUT: { title: 'required', ref: 'taken' } })
  })
})
