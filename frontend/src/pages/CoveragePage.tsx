import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ApiError, conclusions, program, type CoverageRequirement } from '../api'
import { LoadError } from '../LoadError'
import { useCoverage, useCoverageChanged } from '../queries/coverage'
import { SearchPicker } from '../SearchPicker'
import { engagementName, searchEngagements, useChosen } from '../pickers'
import { useSession } from '../session'
import { optionalCategories, stateLabels, stateOrder } from '../scope'
import { messageOf } from './CatalogPage'
import { SortHeader } from '../SortHeader'

/** The gap view: for the chosen scope, what is covered and what is in the way. */
export function CoveragePage() {
  const { can } = useSession()
  const [params, setParams] = useSearchParams()
  const categories = (params.get('categories') ?? '').split(',').filter(Boolean)
  const soc1 = params.get('soc1') === 'true'
  const only = params.get('state') ?? ''
  const sort = params.get('sort') ?? 'ref'
  const engagement = Number(params.get('engagement') ?? '') || 0
  const readsEngagements = can('engagements.read')
  const chosenEngagement = useChosen(engagement ? String(engagement) : '', engagementName)

  // Sorting and the state shown are the page's: only the scope is asked of the server.
  const q = useCoverage({ categories: params.get('categories') ?? '', soc1, engagement })
  const cov = q.data
  const changed = useCoverageChanged()

  function toggleCategory(code: string, on: boolean) {
    const next = on ? [...categories, code] : categories.filter((c) => c !== code)
    setParams((p) => {
      if (next.length) p.set('categories', next.join(','))
      else p.delete('categories')
      return p
    })
  }
  function set(name: string, value: string) {
    setParams((p) => {
      if (value) p.set(name, value)
      else p.delete(name)
      return p
    })
  }

  const shown = sortRequirements(cov?.requirements.filter((r) => !only || r.state === only) ?? [], sort)
  return (
    <section className="page" aria-labelledby="coverage-title">
      <h1 id="coverage-title">Coverage and gaps</h1>
      <fieldset className="filters scope">
        <legend>Scope</legend>
        <label className="check"><input type="checkbox" checked disabled /> Security (always)</label>
        {optionalCategories.map((c) => (
          <label key={c.code} className="check">
            <input type="checkbox" checked={categories.includes(c.code)} onChange={(e) => toggleCategory(c.code, e.target.checked)} /> {c.name}
          </label>
        ))}
        <label className="check"><input type="checkbox" checked={soc1} onChange={(e) => set('soc1', e.target.checked ? 'true' : '')} /> Our SOC 1 objectives</label>
        {readsEngagements && (
          <SearchPicker id="coverage-engagement" label="Not applicable as decided by" placeholder="the organisation: type an engagement's name"
            value={chosenEngagement} search={searchEngagements} onChange={(c) => set('engagement', c?.value ?? '')} />
        )}
      </fieldset>
      {q.isError && <LoadError what="the coverage" message={messageOf(q.error)} onRetry={() => void q.refetch()} />}
      {!cov && q.isPending && <p className="loading">Loading…</p>}
      {cov && (
        <>
          <table className="data summary" id="coverage-summary">
            <caption>Requirements by state</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Total</th>
                {stateOrder.map((s) => <th key={s} scope="col">{stateLabels[s]}</th>)}
              </tr>
            </thead>
            <tbody>
              {cov.summary.map((s) => (
                <tr key={s.framework_id + s.category}>
                  <th scope="row">{s.name}{s.framework_id === 'org-soc1' ? ' (SOC 1)' : ''}</th>
                  <td>{s.total}</td>
                  {stateOrder.map((st) => (
                    <td key={st}>
                      {s.states[st] ? <button type="button" className="link-dark" onClick={() => set('state', st)}>{s.states[st]}</button> : 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="filters">
            <label>Show
              <select id="coverage-state" value={only} onChange={(e) => set('state', e.target.value)}>
                <option value="">All states</option>
                {stateOrder.map((s) => <option key={s} value={s}>{stateLabels[s]}</option>)}
              </select>
            </label>
          </div>
          <table className="data" id="coverage-table">
            <thead>
              <tr>
                <SortHeader label="Requirement" sortKey="ref" sort={sort} onSort={(v) => set('sort', v)} />
                <SortHeader label="State" sortKey="state" sort={sort} onSort={(v) => set('sort', v)} />
                <th scope="col">Controls</th>
                {can('program.manage') && <th scope="col">Applicability</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => <CoverageRow key={r.requirement} r={r} engagement={engagement} manage={can('program.manage')} onChanged={() => void changed()} />)}
            </tbody>
          </table>
          <div className="two-col">
            <section className="card" aria-labelledby="no-evidence-title">
              <h2 id="no-evidence-title">Controls without evidence ({cov.controls_without_evidence.length})</h2>
              <ul id="controls-without-evidence">
                {cov.controls_without_evidence.map((c) => <li key={c.id}><Link to={`/controls/${c.id}`}><code>{c.ref}</code> {c.title}</Link></li>)}
              </ul>
            </section>
            <section className="card" aria-labelledby="expiring-title">
              <h2 id="expiring-title">Evidence expired or expiring in 30 days ({cov.expiring_evidence.length})</h2>
              <ul>
                {cov.expiring_evidence.map((e) => <li key={e.id}>{e.title} — <span className={e.expired ? 'state disabled' : 'state expiring'}>{e.expired ? 'expired' : 'expires'} {e.expires_on}</span></li>)}
              </ul>
            </section>
          </div>
        </>
      )}
    </section>
  )
}

/** Catalog order for "ref", worst gaps first for "state"; "-" reverses. */
export function sortRequirements(list: CoverageRequirement[], sort: string): CoverageRequirement[] {
  const out = [...list]
  if (sort.replace('-', '') === 'state') {
    out.sort((a, b) => stateOrder.indexOf(a.state) - stateOrder.indexOf(b.state))
  }
  return sort.startsWith('-') ? out.reverse() : out
}

/**
 * A requirement's first controls; the rest on request. On a programme of
 * 1,000 controls a criterion has dozens, and links to all of them, 1,700 on
 * the page, held it for over half a second.
 */
const controlsShown = 12

/** With an engagement chosen, "not applicable" is that engagement's decision; without, the organisation's. */
export function CoverageRow({ r, engagement, manage, onChanged }: { r: CoverageRequirement; engagement: number; manage: boolean; onChanged: () => void }) {
  const [reason, setReason] = useState('')
  const [allControls, setAllControls] = useState(false)
  const [error, setError] = useState('')
  async function mark(notApplicable: boolean) {
    setError('')
    try {
      if (!engagement) await program.setApplicability(r.requirement, notApplicable, reason)
      else if (notApplicable) await conclusions.setNotApplicable(engagement, r.ref, reason)
      else await conclusions.clearNotApplicable(engagement, r.ref)
      onChanged()
    } catch (err) {
      setError(err instanceof ApiError ? [err.message, ...Object.values(err.fields)].join(': ') : messageOf(err))
    }
  }
  return (
    <tr data-requirement={r.requirement} data-state={r.state}>
      <td><code>{r.ref}</code> {r.title}</td>
      <td><span className={`pill ${r.state}`}>{stateLabels[r.state] ?? r.state}</span>{r.reason && <div className="muted">{r.reason}</div>}</td>
      <td>
        {(allControls ? r.controls : r.controls.slice(0, controlsShown)).map((c) => <Link key={c.id} to={`/controls/${c.id}`} className={`ctl ${c.state}`} title={stateLabels[c.state]}>{c.ref}</Link>)}
        {!allControls && r.controls.length > controlsShown && (
          <button type="button" className="link-dark" onClick={() => setAllControls(true)}>and {r.controls.length - controlsShown} more</button>
        )}
        {r.controls.length > 0 && <div className="muted covered-count">{r.covered_controls} of {r.controls.length} {r.controls.length === 1 ? 'control' : 'controls'} covered</div>}
      </td>
      {manage && (
        <td>
          {r.state === 'not_applicable' ? (
            <button type="button" className="small" onClick={() => void mark(false)}>Back in scope</button>
          ) : (
            <details>
              <summary>Not applicable…</summary>
              <form className="reset" onSubmit={(e) => { e.preventDefault(); void mark(true) }}>
                <input aria-label={`Why ${r.ref} does not apply`} required placeholder="Reason" value={reason} onChange={(e) => setReason(e.target.value)} />
                <button type="submit">Mark</button>
              </form>
            </details>
          )}
          {error && <div className="field-error">{error}</div>}
        </td>
      )}
    </tr>
  )
}
