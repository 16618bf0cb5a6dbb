import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import {
  ApiError, controlTypes, frequencies, natures, program, statuses,
  type Control, type ControlInput, type ControlMapping, type Evidence,
} from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { EvidenceForm } from './EvidenceForm'
import { AutomatedHistory } from './AutomatedHistory'
import { ControlOperation } from './ControlOperation'
import { ConflictNotice, shown, useEdit, type ConflictField } from '../ConflictNotice'
import { SearchPicker, type Choice } from '../SearchPicker'
import { PersonPicker } from '../PersonPicker'
import { LoadError } from '../LoadError'
import { searchRequirements } from '../pickers'
import { useControl, useControlChanged, useControlEngagements, useMappableFrameworks } from '../queries/controls'

/** One control: its attributes, the requirements it serves and its evidence. */
export function ControlPage() {
  const id = Number(useParams().id)
  const { can, session } = useSession()
  const q = useControl(id)
  const changed = useControlChanged(id)
  const reload = () => void changed.reload()

  if (q.isError && !q.data) return <section className="page"><LoadError what="the control" message={messageOf(q.error)} onRetry={() => void q.refetch()} /></section>
  if (!q.data) return <section className="page"><p className="loading">Loading…</p></section>
  const { control, mappings, evidence } = q.data

  const manage = can('program.manage')
  const ownsIt = control.owner_id !== null && control.owner_id === session?.user.id
  const addEvidence = can('evidence.manage') && (session?.user.role !== 'owner' || ownsIt)

  return (
    <section className="page" aria-labelledby="control-title">
      <p className="crumbs"><Link to="/controls">Controls</Link></p>
      <h1 id="control-title"><code>{control.ref}</code> {control.title}</h1>
      <ControlForm control={control} editable={manage} onSaved={(c) => changed.saved(c)} />
      <Mappings control={control} mappings={mappings} editable={manage} onChanged={reload} />
      <AutomatedHistory controlId={control.id} />
      <section className="card" aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence</h2>
        {evidence.length === 0 && <p className="empty">No evidence yet.</p>}
        {evidence.length > 0 && (
          <ul className="evidence-list" id="control-evidence">
            {evidence.map((e) => (
              <li key={e.id} data-evidence={e.id}>
                <span className="kind">{e.kind}</span>{' '}
                <Link to={`/evidence/${e.id}`}>{e.title}</Link>
                {e.kind === 'file' && <> (<a href={program.downloadURL(e.id)}>download</a>)</>}
                {' '}<span className="muted">{period(e)}</span>
                {e.expires_on && <span className="muted"> · expires {e.expires_on}</span>}
              </li>
            ))}
          </ul>
        )}
        {addEvidence && <EvidenceForm controlIds={[control.id]} onDone={reload} />}
      </section>
      <ControlEngagements control={control} />
      {manage && <DeleteControl control={control} />}
    </section>
  )
}

const words = (s: string) => s.replaceAll('_', ' ')

/** The engagements whose scope holds the control, with its results there. */
function ControlEngagements({ control }: { control: Control }) {
  const q = useControlEngagements(control.id)
  const list = q.data
  return (
    <section className="card" aria-labelledby="control-engagements-title">
      <h2 id="control-engagements-title">Engagements</h2>
      {q.isError && <LoadError what="the engagements" message={messageOf(q.error)} onRetry={() => void q.refetch()} />}
      {q.isPending && <p className="loading">Loading…</p>}
      {list && list.length === 0 && <p className="empty">No engagement has this control in scope.</p>}
      {list && list.length > 0 && (
        <table className="data compact" id="control-engagements">
          <thead><tr><th scope="col">Engagement</th><th scope="col">Period or date</th><th scope="col">Design</th><th scope="col">Result</th><th scope="col">Windows and samples</th></tr></thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.id} data-engagement={e.id}>
                <td><Link to={`/engagements/${e.id}`}>{e.name}</Link> <span className="muted">({e.status})</span></td>
                <td>{e.as_of ? `as of ${e.as_of}` : `${e.period_start} to ${e.period_end}`}</td>
                <td>{words(e.design_result)}</td>
                <td>{words(e.result)}{e.result === 'exceptions_noted' && ` (${e.exceptions_found} of ${e.tested_count})`}</td>
                <td><Link to={`/engagements/${e.id}/controls/${control.id}`}>Open {control.ref} in {e.name}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/**
 * Deletes a control nothing refers to yet; one with evidence, marks or a
 * history stays on record, and the server says to retire it instead.
 */
function DeleteControl({ control }: { control: Control }) {
  const navigate = useNavigate()
  const [error, setError] = useState('')
  const remove = async () => {
    if (!window.confirm(`Delete ${control.ref} ${control.title}? This cannot be undone; a control with evidence or history is retired instead (Operation, Retired on).`)) return
    try {
      await program.deleteControl(control.id)
      navigate('/controls')
    } catch (e) {
      setError(messageOf(e))
    }
  }
  return (
    <div className="actions">
      <button type="button" className="danger" id="control-delete" onClick={() => void remove()}>Delete control</button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  )
}

export function period(e: Pick<Evidence, 'covers_from' | 'covers_to' | 'as_of'>): string {
  if (e.covers_from && e.covers_to) return `${e.covers_from} to ${e.covers_to}`
  if (e.as_of) return `as of ${e.as_of}`
  return ''
}

const controlFields = (control: Control): ConflictField[] => [
  { key: 'title', label: 'Title' },
  { key: 'owner_id', label: 'Owner', show: (id) => (id ? (id === control.owner_id ? control.owner_email : `user ${shown(id)}`) : '(no owner)') },
  { key: 'performer', label: 'Performer' },
  { key: 'frequency', label: 'Frequency' }, { key: 'nature', label: 'Nature' }, { key: 'type', label: 'Type' },
  { key: 'status', label: 'Status' }, { key: 'systems', label: 'Systems in scope' }, { key: 'implemented_on', label: 'Implemented on' },
  { key: 'retired_on', label: 'Retired on' }, { key: 'replaced_by', label: 'Replaced by' }, { key: 'calendar', label: 'Calendar' },
  { key: 'schedule_words', label: 'Schedule' },
  { key: 'key_control', label: 'Key control' }, { key: 'ipe', label: 'Relies on information produced by the entity' },
  { key: 'description', label: 'Description' },
  { key: 'evidence_expected', label: 'Evidence expected' }, { key: 'risk_addressed', label: 'Risk addressed' },
  { key: 'ipe_relied_on', label: 'Information produced by the entity relied on' },
]

/**
 * A new or moved retirement date ends the control's windows: it asks
 * first, naming the control and the day, and saves nothing if refused.
 */
function retirementConfirmed(control: Control, form: ControlInput): boolean {
  const on = form.retired_on ?? ''
  if (on === '' || on === (control.retired_on ?? '')) return true
  return window.confirm(`Retire ${control.ref} ${control.title} on ${on}? It stops operating after that day: `
    + 'no window after it expects evidence, and no task is set for one.')
}

function ControlForm({ control, editable, onSaved }: { control: Control; editable: boolean; onSaved: (c: Control) => void }) {
  const [form, setForm] = useState<ControlInput>(control)
  const edit = useEdit(control)
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [saved, setSaved] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!retirementConfirmed(control, form)) return
    setError('')
    setFields({})
    setSaved(false)
    try {
      const { ref, title, description, owner_id, performer, frequency, nature, type, key_control, ipe, systems, implemented_on, status,
        evidence_expected, risk_addressed, ipe_relied_on, retired_on, replaced_by, schedule, calendar } = form
      const r = await program.updateControl(control.id, {
        ref, title, description, owner_id: owner_id ?? 0, performer, frequency, nature, type, key_control, ipe, systems,
        implemented_on: implemented_on ?? '', status, evidence_expected, risk_addressed, ipe_relied_on,
        retired_on: retired_on ?? '', replaced_by: replaced_by ?? 0, schedule: schedule ?? {}, calendar: calendar ?? 'every-day',
      }, edit.base.version)
      edit.saved(r.control)
      setSaved(true)
      onSaved(r.control)
    } catch (err) {
      if (edit.caught(err, 'control')) return
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    }
  }

  const text = (name: 'title' | 'performer' | 'systems', label: string) => (
    <label>
      {label}
      <input disabled={!editable} value={form[name] ?? ''} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
      {fields[name] && <span className="field-error">{fields[name]}</span>}
    </label>
  )
  const long = (name: 'evidence_expected' | 'risk_addressed' | 'ipe_relied_on', label: string) => (
    <label className="wide">
      {label}
      <textarea disabled={!editable} rows={2} value={form[name] ?? ''} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
      {fields[name] && <span className="field-error">{fields[name]}</span>}
    </label>
  )
  const choice = (name: 'frequency' | 'nature' | 'type' | 'status', label: string, options: readonly string[]) => (
    <label>
      {label}
      <select disabled={!editable} value={form[name] ?? ''} onChange={(e) => setForm({ ...form, [name]: e.target.value })}>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  )
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Control attributes">
      {text('title', 'Title')}
      <PersonPicker id="control-owner" label="Owner" placeholder="No owner: type a name" disabled={!editable} value={String(form.owner_id ?? '')}
        known={control.owner_id ? { value: String(control.owner_id), label: control.owner_email } : null}
        onChange={(v) => setForm({ ...form, owner_id: v ? Number(v) : null })} />
      {text('performer', 'Performer')}
      {choice('frequency', 'Frequency', frequencies)}
      {choice('nature', 'Nature', natures)}
      {choice('type', 'Type', controlTypes)}
      {choice('status', 'Status', statuses)}
      {text('systems', 'Systems in scope')}
      <label>
        Implemented on
        <input type="date" disabled={!editable} value={form.implemented_on ?? ''} onChange={(e) => setForm({ ...form, implemented_on: e.target.value || null })} />
      </label>
      <ControlOperation form={form} setForm={setForm} editable={editable} fields={fields} words={control.schedule_words ?? ''} selfId={control.id} />
      <label className="check"><input type="checkbox" disabled={!editable} checked={!!form.key_control} onChange={(e) => setForm({ ...form, key_control: e.target.checked })} /> Key control</label>
      <label className="check"><input type="checkbox" disabled={!editable} checked={!!form.ipe} onChange={(e) => setForm({ ...form, ipe: e.target.checked })} /> Relies on information produced by the entity</label>
      <label className="wide">
        Description (who does what, when, how, and what evidence it leaves)
        <textarea disabled={!editable} rows={4} value={form.description ?? ''} onChange={(e) => setForm({ ...form, description: e.target.value })} />
      </label>
      {long('evidence_expected', 'Evidence expected (what each operation leaves behind, for the control matrix)')}
      {long('risk_addressed', 'Risk addressed')}
      {long('ipe_relied_on', 'Information produced by the entity relied on (reports, listings)')}
      <ConflictNotice what="control" edit={edit} fields={controlFields(control)} mine={form} onTakeTheirs={(theirs) => setForm(theirs)} />
      {error && <p className="error wide" role="alert">{error}</p>}
      {saved && <p className="notice wide" role="status">Saved.</p>}
      {editable && <div className="actions"><button type="submit" className="primary">Save control</button></div>}
    </form>
  )
}

function Mappings({ control, mappings, editable, onChanged }: { control: Control; mappings: ControlMapping[]; editable: boolean; onChanged: () => void }) {
  const frameworks = useMappableFrameworks().data ?? []
  const [framework, setFramework] = useState('soc2-tsc-2017')
  const [ref, setRef] = useState<Choice | null>(null)
  const [rationale, setRationale] = useState('')
  const [error, setError] = useState('')

  async function change(add: boolean, requirement: string) {
    setError('')
    try {
      if (add) await program.changeMappings([{ control_id: control.id, requirement, rationale }], [])
      else await program.changeMappings([], [{ control_id: control.id, requirement }])
      setRef(null)
      setRationale('')
      onChanged()
    } catch (err) {
      const reasons = err instanceof ApiError ? Object.values(err.fields) : []
      setError([messageOf(err), ...reasons].join(': '))
    }
  }

  return (
    <section className="card" aria-labelledby="mappings-title">
      <h2 id="mappings-title">Requirements this control serves</h2>
      {mappings.length === 0 && <p className="empty">Not mapped to any requirement yet.</p>}
      {mappings.length > 0 && (
        <ul className="mappings" id="control-mappings">
          {mappings.map((m) => (
            <li key={m.requirement} data-requirement={m.requirement}>
              <Link to={`/catalog/${encodeURIComponent(m.framework_id)}?q=${encodeURIComponent(m.ref)}`}><code>{m.ref}</code> {m.title}</Link>
              {m.rationale && <span className="muted"> — {m.rationale}</span>}
              {editable && <button type="button" className="small" aria-label={`Remove mapping to ${m.ref}`} onClick={() => {
                if (window.confirm(`Remove the mapping to ${m.ref}? The control no longer counts for it.`)) void change(false, m.requirement)
              }}>Remove</button>}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (ref) void change(true, `${framework}/${ref.value}`) }}>
          <label>
            Framework
            <select id="map-framework" value={framework} onChange={(e) => { setFramework(e.target.value); setRef(null) }}>
              {frameworks.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
            </select>
          </label>
          <SearchPicker id="map-ref" label="Requirement" required placeholder="Code or title, e.g. CC6.1" value={ref}
            search={searchRequirements(framework)} onChange={setRef} />
          <label className="grow">
            Rationale (optional)
            <input id="map-rationale" value={rationale} onChange={(e) => setRationale(e.target.value)} />
          </label>
          <button type="submit" id="map-add">Map</button>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  )
}
