import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { ApiError, engagements, readinessLabel, type Engagement, type EngagementInput } from '../api'
import { useSession } from '../session'
import type { Report, ReportType } from '../schema'
import { optionalCategories } from '../scope'
import { messageOf } from './CatalogPage'
import { Pager } from '../Pager'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { SearchPicker, type Choice } from '../SearchPicker'
import { searchRequirements } from '../pickers'
import { LoadError } from '../LoadError'
import { useHasObjectives } from '../queries/soc1-objectives'

const pageSize = 50

export function dates(e: Pick<Engagement, 'type' | 'as_of' | 'period_start' | 'period_end'>): string {
  return e.type === 'type1' ? `as of ${e.as_of}` : `${e.period_start} to ${e.period_end}`
}

export const reportName = (e: Pick<Engagement, 'report' | 'type'>) =>
  `${e.report === 'soc1' ? 'SOC 1' : 'SOC 2'} ${e.type === 'type1' ? 'Type I' : 'Type II'}`

const fetchEngagements = (q: Record<string, string | number>) => engagements.list(q).then((r) => ({ rows: r.engagements, total: r.total }))

/** Every engagement the user may see, a page at a time, and a form for a new one. */
export function EngagementsPage() {
  const { can } = useSession()
  const setParam = useParamSetter()
  const { rows: list, total, error, retry, offset } = useUrlListPage('engagements', [], pageSize, fetchEngagements)
  return (
    <section className="page" aria-labelledby="engagements-title">
      <h1 id="engagements-title">Engagements</h1>
      {can('program.manage') && (
        <p><Link to="/engagements/scoping" className="button-link" id="start-scoping">Which report do we need? Start the scoping assistant</Link></p>
      )}
      {error && <LoadError what="the engagements" message={error} onRetry={retry} />}
      {!list && !error && <p className="loading" role="status">Loading the engagements…</p>}
      {list && total === 0 && <p className="empty">No engagements yet.</p>}
      {list && list.length > 0 && (
        <table className="data" id="engagements-table">
          <thead><tr><th scope="col">Name</th><th scope="col">Report</th><th scope="col">Date or period</th><th scope="col">Status</th><th scope="col">Testing</th><th scope="col">Audit firm</th></tr></thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.id}>
                <td><Link to={`/engagements/${e.id}`}>{e.name}</Link></td>
                <td>{reportName(e)}</td>
                <td>{dates(e)}{e.warning && <span className="warn" title={e.warning}> ⚠</span>}</td>
                <td>{e.status}</td>
                <td>{e.tester === 'service_auditor' ? 'By the service auditor' : readinessLabel}</td>
                <td>{e.audit_firm}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && total > 0 && <Pager label="Pages of engagements" offset={offset} pageSize={pageSize} total={total} shown={list.length} onOffset={(o) => setParam('offset', String(o))} />}
      {can('program.manage') && <EngagementForm />}
    </section>
  )
}

/** Creates an engagement; the scoping assistant pre-fills it. */
export function EngagementForm({ initial, heading = 'New engagement' }: { initial?: EngagementInput; heading?: string }) {
  const navigate = useNavigate()
  const [form, setForm] = useState<EngagementInput>({ name: '', report: 'soc2', type: 'type2', categories: [], objectives: [], ...initial })
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    const body: EngagementInput = { ...form }
    if (body.type === 'type1') {
      delete body.period_start
      delete body.period_end
    } else {
      delete body.as_of
      delete body.evidence_window_days
    }
    if (body.report === 'soc1') delete body.categories
    else delete body.objectives
    try {
      const r = await engagements.create(body)
      navigate(`/engagements/${r.engagement.id}`)
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    }
  }
  const fieldError = (n: string) => fields[n] && <span className="field-error">{fields[n]}</span>
  const toggle = <T extends string>(list: T[] | undefined, v: T, on: boolean) => (on ? [...(list ?? []), v] : (list ?? []).filter((x) => x !== v))

  return (
    <form className="card form-grid" onSubmit={submit} aria-label={heading}>
      <h2>{heading}</h2>
      <label className="wide">Name<input className="engagement-name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />{fieldError('name')}</label>
      <label>Report
        <select value={form.report} onChange={(e) => setForm({ ...form, report: e.target.value as Report })}>
          <option value="soc2">SOC 2</option><option value="soc1">SOC 1</option>
        </select>
      </label>
      <label>Type
        <select value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as ReportType })}>
          <option value="type2">Type II (operating effectiveness over a period)</option><option value="type1">Type I (design as of a date)</option>
        </select>
      </label>
      {form.type === 'type1' ? (
        <>
          <label>As of<input type="date" value={form.as_of ?? ''} onChange={(e) => setForm({ ...form, as_of: e.target.value })} />{fieldError('as_of')}</label>
          <label>Evidence window (days before the as-of date)
            <input type="number" id="evidence-window-days" min={1} max={730} placeholder="90" value={form.evidence_window_days ?? ''}
              onChange={(e) => setForm({ ...form, evidence_window_days: e.target.value ? Number(e.target.value) : undefined })} />{fieldError('evidence_window_days')}
          </label>
        </>
      ) : (
        <>
          <label>Period start<input type="date" className="period-start" value={form.period_start ?? ''} onChange={(e) => setForm({ ...form, period_start: e.target.value })} /></label>
          <label>Period end<input type="date" className="period-end" value={form.period_end ?? ''} onChange={(e) => setForm({ ...form, period_end: e.target.value })} />{fieldError('period_end')}</label>
        </>
      )}
      {form.report === 'soc2' ? (
        <fieldset className="wide kinds">
          <legend>Categories (Security is always in)</legend>
          {optionalCategories.map((c) => (
            <label key={c.code} className="check">
              <input type="checkbox" checked={form.categories?.includes(c.code) ?? false} onChange={(e) => setForm({ ...form, categories: toggle(form.categories, c.code, e.target.checked) })} /> {c.name}
            </label>
          ))}
          {fieldError('categories')}
        </fieldset>
      ) : (
        <fieldset className="wide kinds objectives">
          <legend>SOC 1 objectives in scope</legend>
          <ObjectivesPicker chosen={form.objectives ?? []} onChange={(objectives) => setForm({ ...form, objectives })} />
          {fieldError('objectives')}
        </fieldset>
      )}
      <label>Audit firm<input value={form.audit_firm ?? ''} onChange={(e) => setForm({ ...form, audit_firm: e.target.value })} /></label>
      <label>Auditor contact<input value={form.auditor_contact ?? ''} onChange={(e) => setForm({ ...form, auditor_contact: e.target.value })} /></label>
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions"><button type="submit" className="primary">Create engagement</button></div>
    </form>
  )
}

const searchObjectives = searchRequirements('org-soc1')

/**
 * The SOC 1 objectives chosen for an engagement, each one can be taken
 * out, and a search to add more: an organisation's set may be long.
 */
function ObjectivesPicker({ chosen, onChange }: { chosen: string[]; onChange: (refs: string[]) => void }) {
  const [titles, setTitles] = useState<Record<string, string>>({})
  const any = useHasObjectives().data
  if (any === false) return <span className="muted">Write your objectives first (from the templates in the catalog).</span>
  const add = (c: Choice | null) => {
    if (!c || chosen.includes(c.value)) return
    setTitles({ ...titles, [c.value]: c.label })
    onChange([...chosen, c.value])
  }
  return (
    <>
      {chosen.length === 0 && <span className="muted">None chosen yet.</span>}
      <ul className="chosen" aria-label="Objectives chosen">
        {chosen.map((ref) => (
          <li key={ref}>
            {titles[ref] ?? <code>{ref}</code>}{' '}
            <button type="button" className="small" aria-label={`Take out ${ref}`} onClick={() => onChange(chosen.filter((r) => r !== ref))}>Take out</button>
          </li>
        ))}
      </ul>
      <SearchPicker id="engagement-objective" label="Add an objective" placeholder="Code or words of the objective" value={null}
        search={searchObjectives} onChange={add} />
    </>
  )
}
