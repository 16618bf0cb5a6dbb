import { useEffect, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { importResults, testing, type ResultsImportPlan, type Complementary, type CUEC, type EngagementException, type NextPeriod, type RollUp, type SubserviceOrg } from '../api'
import { messageOf } from './CatalogPage'
import { ConflictNotice, useEdit } from '../ConflictNotice'
import { conclusionWords } from '../conclusions'
import { ApplicabilityControl } from './Conclusions'
import { RecordReview, ReviewSummary } from './SubserviceReview'
import { SearchPicker, type Choice } from '../SearchPicker'
import { searchScopedControls } from '../pickers'

const words = conclusionWords

/** Readiness with the parts it is made of, and each requirement's conclusion. */
export function Readiness({ id, version, manage = false, onChanged = () => undefined }: { id: number; version: number; manage?: boolean; onChanged?: () => void }) {
  const [r, setR] = useState<RollUp | null>(null)
  useEffect(() => {
    testing.rollUp(id).then(setR, () => setR(null))
  }, [id, version])
  if (!r) return null
  return (
    <section className="card" aria-labelledby="readiness-title">
      <h2 id="readiness-title">Readiness: <span id="readiness-percent">{r.readiness.percent}%</span></h2>
      <ul className="parts">
        {r.readiness.parts.map((p) => <li key={p.name}>{p.name}: {p.done} of {p.total}</li>)}
        <li>exceptions: {r.readiness.exceptions}</li>
      </ul>
      <details>
        <summary>Conclusion per requirement</summary>
        <table className="data" id="rollup-table">
          <thead><tr><th scope="col">Requirement</th><th scope="col">Conclusion</th><th scope="col">Controls</th>{manage && <th scope="col">Applicability</th>}</tr></thead>
          <tbody>
            {r.requirements.map((q) => (
              <tr key={q.ref} data-state={q.state}>
                <td><code>{q.ref}</code> {q.title}</td>
                <td><span className={`pill ${q.state}`}>{words(q.state)}</span>{q.reason && <div className="muted">{q.reason}</div>}</td>
                <td>{q.controls.join(', ')}</td>
                {manage && <td><ApplicabilityControl id={id} refName={q.ref} notApplicable={q.state === 'not_applicable'} onChanged={onChanged} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  )
}

/** The engagement's exceptions, for the exceptions list auditors and management read. */
export function ExceptionsList({ id, version }: { id: number; version: number }) {
  const [list, setList] = useState<EngagementException[]>([])
  useEffect(() => {
    testing.exceptions(id).then((r) => setList(r.exceptions), () => setList([]))
  }, [id, version])
  if (list.length === 0) return null
  return (
    <section className="card" aria-labelledby="eng-exceptions-title">
      <h2 id="eng-exceptions-title">Exceptions ({list.length})</h2>
      <table className="data">
        <thead><tr><th scope="col">Control</th><th scope="col">Exception</th><th scope="col">Management response</th></tr></thead>
        <tbody>{list.map((x) => <tr key={x.id}><td><code>{x.control_ref}</code></td><td>{x.description}</td><td>{x.management_response || '–'}</td></tr>)}</tbody>
      </table>
    </section>
  )
}

const refs = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)
/** "CC6.2, CC6.4": requirements as people read them, without their framework's ID. */
export const shortRefs = (list: string[]) => list.map((r) => r.replace(/^[^/]+\//, '')).join(', ')

/** Rewords a CUEC as of the version listed; a 412 shows the other change beside this one. */
function EditCUEC({ engagementId, cuec, onDone, onCancel }: { engagementId: number; cuec: CUEC; onDone: () => void; onCancel: () => void }) {
  const [text, setText] = useState(cuec.text)
  const [requirements, setRequirements] = useState(shortRefs(cuec.requirements))
  const [error, setError] = useState('')
  const edit = useEdit(cuec)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    try {
      edit.saved((await testing.updateCUEC(engagementId, cuec.id, { text, requirements: refs(requirements) }, edit.base.version)).cuec)
      onDone()
    } catch (err) {
      if (!edit.caught(err, 'cuec')) setError(messageOf(err))
    }
  }
  return (
    <form className="form-grid" aria-label={`Edit ${cuec.ref}`} onSubmit={(e) => void submit(e)}>
      <label className="wide">Control user entities run<input required value={text} onChange={(e) => setText(e.target.value)} /></label>
      <label className="wide">Requirements it serves<input value={requirements} onChange={(e) => setRequirements(e.target.value)} /></label>
      <ConflictNotice what="CUEC" edit={edit} fields={[{ key: 'text', label: 'Control user entities run' }, { key: 'requirements', label: 'Requirements' }]}
        mine={{ text, requirements: refs(requirements) }} onTakeTheirs={(t) => { setText(t.text); setRequirements(shortRefs(t.requirements)) }} />
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions"><button type="submit">Save CUEC</button><button type="button" onClick={onCancel}>Cancel</button></div>
    </form>
  )
}

/** Changes a subservice organisation as of the version listed (its CSOCs stay as they are). */
function EditSubservice({ engagementId, org, controls, onDone, onCancel }: {
  engagementId: number; org: SubserviceOrg; controls: { id: number; ref: string; title: string }[]; onDone: () => void; onCancel: () => void
}) {
  const [f, setF] = useState({ name: org.name, services: org.services, method: org.method, monitoring_control_id: org.monitoring_control_id })
  const [error, setError] = useState('')
  const edit = useEdit(org)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    try {
      const body = { ...f, monitoring_control_id: f.monitoring_control_id ?? 0 }
      edit.saved((await testing.updateSubservice(engagementId, org.id, body, edit.base.version)).subservice_org)
      onDone()
    } catch (err) {
      if (!edit.caught(err, 'subservice_org')) setError(messageOf(err))
    }
  }
  const monitor = (v: unknown) => (v ? controls.find((x) => x.id === v)?.ref ?? `control ${String(v)}` : 'no control')
  return (
    <form className="form-grid" aria-label={`Edit ${org.name}`} onSubmit={(e) => void submit(e)}>
      <label>Organisation name<input required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} /></label>
      <label>Services it provides<input value={f.services} onChange={(e) => setF({ ...f, services: e.target.value })} /></label>
      <label>Presented<select value={f.method} onChange={(e) => setF({ ...f, method: e.target.value })}><option value="carve-out">carve-out</option><option value="inclusive">inclusive</option></select></label>
      <label>Monitoring control
        <select value={f.monitoring_control_id ?? ''} onChange={(e) => setF({ ...f, monitoring_control_id: e.target.value ? Number(e.target.value) : null })}>
          <option value="">No control yet</option>
          {controls.map((x) => <option key={x.id} value={x.id}>{x.ref} {x.title}</option>)}
        </select>
      </label>
      <ConflictNotice what="subservice organisation" edit={edit} mine={f} onTakeTheirs={(t) => setF({ name: t.name, services: t.services, method: t.method, monitoring_control_id: t.monitoring_control_id })}
        fields={[{ key: 'name', label: 'Name' }, { key: 'services', label: 'Services' }, { key: 'method', label: 'Presented' },
          { key: 'monitoring_control_id', label: 'Monitoring control', show: monitor }]} />
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions"><button type="submit">Save organisation</button><button type="button" onClick={onCancel}>Cancel</button></div>
    </form>
  )
}

/**
 * CUECs and subservice organisations with their CSOCs and the control of
 * the organisation's own that monitors each subservice organisation.
 */
export function ComplementaryControls({ id, editable, act, controls }: {
  id: number
  editable: boolean
  act: (fn: () => Promise<unknown>) => Promise<void>
  controls: { id: number; ref: string; title: string }[]
}) {
  const [c, setC] = useState<Complementary | null>(null)
  const [version, setVersion] = useState(0)
  const [cuec, setCuec] = useState({ text: '', requirements: '' })
  const [sub, setSub] = useState({ name: '', services: '', method: 'carve-out', csoc: '', csocReqs: '' })
  // Found by typing: a list of the whole scope was 1,000 options on a large programme.
  const [monitor, setMonitor] = useState<Choice | null>(null)
  const [editing, setEditing] = useState('') // "cuec-3", "org-2": the item whose edit form is open
  useEffect(() => {
    testing.complementary(id).then(setC, () => setC(null))
  }, [id, version])
  const edited = () => {
    setEditing('')
    setVersion((v) => v + 1)
  }
  const run = (fn: () => Promise<unknown>) => void act(fn).then(() => setVersion((v) => v + 1))
  if (!c) return null
  return (
    <section className="card" aria-labelledby="complementary-title">
      <h2 id="complementary-title">Complementary controls</h2>
      <h3>User entity controls (CUECs)</h3>
      {c.cuecs.length === 0 && <p className="empty">None.</p>}
      <ul>
        {c.cuecs.map((x) => (
          <li key={x.id}><code>{x.ref}</code> {x.text} <span className="muted">{shortRefs(x.requirements)}</span>
            {editable && <button type="button" className="small" onClick={() => setEditing(editing === `cuec-${x.id}` ? '' : `cuec-${x.id}`)}>Edit</button>}
            {editable && <button type="button" className="small" onClick={() => window.confirm(`Remove the CUEC “${x.text}” from the engagement?`) && run(() => testing.removeCUEC(id, x.id))}>Remove</button>}
            {editing === `cuec-${x.id}` && <EditCUEC key={x.version} engagementId={id} cuec={x} onDone={edited} onCancel={() => setEditing('')} />}
          </li>
        ))}
      </ul>
      {editable && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); run(() => testing.addCUEC(id, cuec.text, refs(cuec.requirements))); setCuec({ text: '', requirements: '' }) }}>
          <label className="grow">CUEC<input required value={cuec.text} onChange={(e) => setCuec({ ...cuec, text: e.target.value })} /></label>
          <label>Requirements<input placeholder="CC6.2" value={cuec.requirements} onChange={(e) => setCuec({ ...cuec, requirements: e.target.value })} /></label>
          <button type="submit">Add CUEC</button>
        </form>
      )}
      <h3>Subservice organisations</h3>
      {c.subservice_orgs.length === 0 && <p className="empty">None.</p>}
      <ul>
        {c.subservice_orgs.map((s) => (
          <li key={s.id}><strong>{s.name}</strong> ({s.method}) {s.services}
            {s.monitoring_control_id && <span className="muted"> — monitored by {controls.find((x) => x.id === s.monitoring_control_id)?.ref ?? `control ${s.monitoring_control_id}`}</span>}
            {editable && <button type="button" className="small" onClick={() => setEditing(editing === `review-${s.id}` ? '' : `review-${s.id}`)}>Record review</button>}
            {editable && <button type="button" className="small" onClick={() => setEditing(editing === `org-${s.id}` ? '' : `org-${s.id}`)}>Edit</button>}
            {editable && <button type="button" className="small" onClick={() => window.confirm(`Remove ${s.name} and its CSOCs from the engagement?`) && run(() => testing.removeSubservice(id, s.id))}>Remove</button>}
            {editing === `org-${s.id}` && <EditSubservice key={s.version} engagementId={id} org={s} controls={controls} onDone={edited} onCancel={() => setEditing('')} />}
            <ReviewSummary engagementId={id} org={s} controls={controls} editable={editable} run={run} />
            {editing === `review-${s.id}` && <RecordReview engagementId={id} org={s} controls={controls} onDone={edited} />}
            <ul>{s.csocs.map((x) => <li key={x.id}><code>{x.ref}</code> {x.text} <span className="muted">{shortRefs(x.requirements)}</span></li>)}</ul>
          </li>
        ))}
      </ul>
      {editable && (
        <form className="inline-form" onSubmit={(e) => {
          e.preventDefault()
          run(() => testing.addSubservice(id, { name: sub.name, services: sub.services, method: sub.method,
            monitoring_control_id: monitor ? Number(monitor.value) : undefined,
            csocs: sub.csoc ? [{ text: sub.csoc, requirements: refs(sub.csocReqs) }] : [] }))
          setSub({ name: '', services: '', method: 'carve-out', csoc: '', csocReqs: '' })
          setMonitor(null)
        }}>
          <label>Name<input required value={sub.name} onChange={(e) => setSub({ ...sub, name: e.target.value })} /></label>
          <label>Services<input value={sub.services} onChange={(e) => setSub({ ...sub, services: e.target.value })} /></label>
          <label>Method<select value={sub.method} onChange={(e) => setSub({ ...sub, method: e.target.value })}><option value="carve-out">carve-out</option><option value="inclusive">inclusive</option></select></label>
          <SearchPicker id="subservice-monitor" label="Monitored by" placeholder="No control yet" value={monitor} onChange={setMonitor} search={searchScopedControls(id)} />
          <label className="grow">CSOC<input value={sub.csoc} onChange={(e) => setSub({ ...sub, csoc: e.target.value })} /></label>
          <label>CSOC requirements<input placeholder="CC6.4" value={sub.csocReqs} onChange={(e) => setSub({ ...sub, csocReqs: e.target.value })} /></label>
          <button type="submit">Add organisation</button>
        </form>
      )}
    </section>
  )
}

/** Starts the next period's engagement from this one. */
export function RollForward({ id, next }: { id: number; next: NextPeriod | null }) {
  const navigate = useNavigate()
  // The server's default, the next period: from the day after this one
  // ends, as long; a Type I a year later.
  const [form, setForm] = useState({ name: '', period_start: next?.period_start ?? '', period_end: next?.period_end ?? '', as_of: next?.as_of ?? '' })
  const [error, setError] = useState('')
  return (
    <details className="card">
      <summary>Roll forward to the next period</summary>
      <form className="inline-form" onSubmit={(e) => {
        e.preventDefault()
        setError('')
        const body = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== ''))
        testing.rollForward(id, body).then((r) => navigate(`/engagements/${r.engagement.id}`), (err: unknown) => setError(messageOf(err)))
      }}>
        <label>Name<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        {next?.as_of == null ? (
          <>
            <label>Period start<input type="date" value={form.period_start} onChange={(e) => setForm({ ...form, period_start: e.target.value })} /></label>
            <label>Period end<input type="date" value={form.period_end} onChange={(e) => setForm({ ...form, period_end: e.target.value })} /></label>
          </>
        ) : <label>As of<input type="date" value={form.as_of} onChange={(e) => setForm({ ...form, as_of: e.target.value })} /></label>}
        <p className="hint wide">Scope, schedules, sample policy, CUECs and subservice organisations (each "review due") are carried; results are not.</p>
        <button type="submit">Create the next engagement</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </details>
  )
}

/**
 * Brings the auditor's filled-in results sheet (the workbook as exported)
 * back: a check lists every change and conflict, then it is applied all at once.
 */
export function ResultsImport({ id, onApplied }: { id: number; onApplied: () => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [plan, setPlan] = useState<ResultsImportPlan | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  async function go(apply: boolean) {
    if (!file) return
    setError('')
    setBusy(true)
    try {
      const p = await importResults(id, file, apply)
      setPlan(p)
      if (p.applied) onApplied()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="card" aria-labelledby="results-import-title">
      <h2 id="results-import-title">Import a filled-in results sheet</h2>
      <p className="hint">The workbook as exported, with test methods, procedures and results on the Control matrix and attribute results on the Samples sheet.</p>
      <input type="file" accept=".xlsx" aria-label="Results workbook" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPlan(null) }} />
      <div className="actions">
        <button type="button" id="check-results" disabled={!file || busy} onClick={() => void go(false)}>Check</button>
        <button type="button" id="apply-results" className="primary" disabled={!file || busy || !plan || plan.applied || plan.conflicts.length > 0 || plan.changes.length === 0}
          onClick={() => void go(true)}>Apply</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {plan && (
        <>
          <p role="status">{plan.applied ? `Applied ${plan.changes.length} changes.` : `${plan.changes.length} changes, ${plan.conflicts.length} conflicts.`}</p>
          {plan.conflicts.length > 0 && (
            <ul className="import-conflicts">{plan.conflicts.map((c, i) => <li key={i} className="error">{c.sheet} row {c.row}{c.column && `, ${c.column}`}: {c.message}</li>)}</ul>
          )}
          {plan.changes.length > 0 && (
            <table className="data import-changes">
              <thead><tr><th scope="col">Sheet</th><th scope="col">Row</th><th scope="col">What</th><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
              <tbody>{plan.changes.map((c, i) => <tr key={i}><td>{c.sheet}</td><td>{c.row}</td><td>{c.what}</td><td>{c.field}</td><td>{c.before || '–'}</td><td>{c.after || '–'}</td></tr>)}</tbody>
            </table>
          )}
        </>
      )}
    </section>
  )
}
