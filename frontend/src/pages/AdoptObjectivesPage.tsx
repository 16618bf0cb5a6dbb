import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ApiError } from '../api'
import { useAdoptObjectives, useIndustries, useProposal } from '../queries/soc1-objectives'
import { activitiesLabel, adoption, draftRows, kindNames, numberRows, rowProblems, type DraftRow } from '../soc1'
import { messageOf } from './CatalogPage'

/**
 * Picks industries (or arrives from the scoping assistant with its service
 * answers), shows the complete numbered objective set they call for, and
 * adopts it as reworded in one step.
 */
export function AdoptObjectivesPage() {
  const [params, setParams] = useSearchParams()
  const query = { industries: params.get('industries') ?? '', services: params.get('services') ?? '' }
  const industries = useIndustries()
  const proposal = useProposal(query)
  const adopt = useAdoptObjectives()
  const navigate = useNavigate()
  const [rows, setRows] = useState<DraftRow[]>([])
  const [shown, setShown] = useState<typeof proposal.data>(undefined)

  // A new proposal (another industry ticked) becomes the rows, keeping
  // what the user already reworded.
  if (proposal.data && proposal.data !== shown) {
    setShown(proposal.data)
    setRows(draftRows(proposal.data, rows))
  }

  const picked = proposal.data?.industries.map((i) => i.code) ?? query.industries.split(',').filter(Boolean)
  function toggleIndustry(code: string, on: boolean) {
    const next = on ? [...picked, code] : picked.filter((c) => c !== code)
    setParams(next.length ? { industries: next.join(',') } : {})
  }
  function change(i: number, patch: Partial<DraftRow>) {
    const next = rows.map((r, j) => (j === i ? { ...r, ...patch } : r))
    setRows(numberRows(next, proposal.data?.numbering ?? []))
  }
  function submit(e: FormEvent) {
    e.preventDefault()
    adopt.mutate(adoption(rows), {
      onSuccess: (r) => navigate(`/soc1-objectives?adopted=${r.objectives.length}`),
    })
  }

  const problems = adopt.error instanceof ApiError ? rowProblems(rows, adopt.error.fields) : new Map<string, Record<string, string>>()
  const included = rows.filter((r) => r.selected).length
  const loadError = industries.error ?? (query.industries || query.services ? proposal.error : null)
  return (
    <section className="page" aria-labelledby="adopt-title">
      <h1 id="adopt-title">Propose SOC 1 objectives</h1>
      <p className="hint">
        Tick the industries whose services your report covers. socmap proposes the objectives such a report states, in
        the usual order: client set-up, input, your processing, output, then one objective per IT general control
        domain. Reword them in your own terms, leave out what does not apply, and adopt the set in one step.{' '}
        <Link to="/soc1-objectives">Back to your objectives</Link>
      </p>
      {loadError && <p className="error" role="alert">{messageOf(loadError)}</p>}
      <fieldset className="card industries" aria-label="Industries">
        <legend>Industries</legend>
        {industries.data?.map((ind) => (
          <label key={ind.code} className="check" title={ind.description}>
            <input type="checkbox" name="industry" value={ind.code} checked={picked.includes(ind.code)}
              onChange={(e) => toggleIndustry(ind.code, e.target.checked)} />{' '}
            {ind.name}
          </label>
        ))}
      </fieldset>
      {rows.length > 0 && picked.length > 0 && (
        <form className="proposal" onSubmit={submit} aria-label="Proposed objectives">
          <ol className="proposed" id="proposed-objectives">
            {rows.map((r, i) => {
              const p = problems.get(r.template.ref) ?? {}
              return (
                <li key={r.template.ref} className={`card proposed-objective${r.selected ? '' : ' left-out'}`} data-template={r.template.ref}>
                  <div className="req-head">
                    <label className="check">
                      <input type="checkbox" aria-label={`Include ${r.template.title}`} checked={r.selected}
                        onChange={(e) => change(i, { selected: e.target.checked })} />
                    </label>
                    <input className="ref-input" aria-label={`ID of ${r.template.title}`} value={r.ref} disabled={!r.selected}
                      onChange={(e) => change(i, { ref: e.target.value, refEdited: e.target.value !== '' })} />
                    <span className="badge">{kindNames[r.template.category] ?? r.template.category}</span>
                    <span className="domain">{r.template.series}</span>
                    <code className="ref" title="Template">{r.template.ref}</code>
                    {r.template.optional && <span className="badge">optional</span>}
                    {r.adoptedAs.length > 0 && <span className="badge">already stated as {r.adoptedAs.join(', ')}</span>}
                  </div>
                  {p.ref && <p className="field-error">{p.ref}</p>}
                  {r.selected && (
                    <>
                      <label className="wide">
                        Title
                        <input name="title" value={r.title} onChange={(e) => change(i, { title: e.target.value })} />
                      </label>
                      {p.title && <p className="field-error">{p.title}</p>}
                      <label className="wide">
                        Objective
                        <textarea name="description" rows={3} value={r.description} onChange={(e) => change(i, { description: e.target.value })} />
                      </label>
                      {p.description && <p className="field-error">{p.description}</p>}
                      {p.template_ref && <p className="field-error">{p.template_ref}</p>}
                    </>
                  )}
                  {!r.selected && <p className="desc">{r.template.description}</p>}
                  {r.template.activities.length > 0 && (
                    <details className="activities">
                      <summary>{activitiesLabel(r.template.activities.length)}</summary>
                      <ul>
                        {r.template.activities.map((a) => (
                          <li key={a.ref}><code>{a.ref}</code> {a.title} <span className="muted">({a.frequency}, {a.nature})</span></li>
                        ))}
                      </ul>
                    </details>
                  )}
                </li>
              )
            })}
          </ol>
          {adopt.error && <p className="error" role="alert">{messageOf(adopt.error)}</p>}
          <div className="actions">
            <button type="submit" className="primary" id="adopt-submit" disabled={included === 0 || adopt.isPending}>
              Adopt {included} {included === 1 ? 'objective' : 'objectives'}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
