import type { ObjectiveInput, Proposal, Requirement } from './api'

/** One objective of the set being adopted, as the user has edited it so far. */
export interface DraftRow {
  template: Requirement
  adoptedAs: string[]
  selected: boolean
  ref: string
  /** The user typed the ref: renumbering leaves it alone. */
  refEdited: boolean
  title: string
  description: string
}

/**
 * The rows of a proposal, keeping what the user already changed in rows of
 * the same templates (a second industry added to the first keeps its
 * rewording), then numbered.
 */
export function draftRows(p: Proposal, previous: DraftRow[]): DraftRow[] {
  const before = new Map(previous.map((r) => [r.template.ref, r]))
  const rows = p.objectives.map((o): DraftRow => {
    const kept = before.get(o.template.ref)
    if (kept) return { ...kept, template: o.template, adoptedAs: o.adopted_as }
    return { template: o.template, adoptedAs: o.adopted_as, selected: o.selected, ref: o.ref, refEdited: false,
      title: o.template.title, description: o.template.description }
  })
  return numberRows(rows, p.numbering)
}

/**
 * Gives the n-th included row the n-th free ref, so a trimmed set has no
 * gaps; refs the user typed stay, and rows left out have none.
 */
export function numberRows(rows: DraftRow[], numbering: string[]): DraftRow[] {
  const typed = new Set(rows.filter((r) => r.selected && r.refEdited).map((r) => r.ref.toUpperCase()))
  const free = numbering.filter((ref) => !typed.has(ref.toUpperCase()))
  let next = 0
  return rows.map((r) => {
    if (!r.selected) return r.refEdited ? r : { ...r, ref: '' }
    if (r.refEdited) return r
    return { ...r, ref: free[next++] ?? '' }
  })
}

/** What the adoption request sends: the included rows, in order. */
export function adoption(rows: DraftRow[]): ObjectiveInput[] {
  return rows
    .filter((r) => r.selected)
    .map((r) => ({ ref: r.ref.trim(), template_ref: r.template.ref, title: r.title, description: r.description }))
}

/**
 * The server names a problem by the position of the objective in the
 * request ("objectives[3].title"): this finds the row it means.
 */
export function rowProblems(rows: DraftRow[], fields: Record<string, string>): Map<string, Record<string, string>> {
  const included = rows.filter((r) => r.selected)
  const out = new Map<string, Record<string, string>>()
  for (const [key, message] of Object.entries(fields)) {
    const m = /^objectives\[(\d+)\]\.(\w+)$/.exec(key)
    const row = m ? included[Number(m[1])] : undefined
    if (!m || !row) continue
    out.set(row.template.ref, { ...out.get(row.template.ref), [m[2]!]: message })
  }
  return out
}

export const kindNames: Record<string, string> = {
  entity: 'Entity level',
  itgc: 'IT general controls',
  business: 'Business process',
}

/** "1 suggested control activity", "5 suggested control activities". */
export function activitiesLabel(n: number): string {
  return `${n} suggested control ${n === 1 ? 'activity' : 'activities'}`
}
