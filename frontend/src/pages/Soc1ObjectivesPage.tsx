import { useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ApiError, type Objective } from '../api'
import { useAdoptActivities, useObjectives, useUpdateObjective } from '../queries/soc1-objectives'
import { useSession } from '../session'
import { activitiesLabel, kindNames } from '../soc1'
import { messageOf } from './CatalogPage'
import { ConflictNotice, useEdit, type ConflictField } from '../ConflictNotice'
import { LoadError } from '../LoadError'

/**
 * The organisation's SOC 1 objectives in report order, each with the
 * control activities suggested beneath it, which become draft controls.
 */
export function Soc1ObjectivesPage() {
  const { can } = useSession()
  const [params] = useSearchParams()
  const { data: objectives, error, refetch } = useObjectives()
  const manage = can('program.manage')
  const adopted = Number(params.get('adopted') ?? 0)

  return (
    <section className="page" aria-labelledby="objectives-title">
      <h1 id="objectives-title">SOC 1 objectives</h1>
      <p className="hint">
        The control objectives your SOC 1 report states, in its order. Controls are mapped to them on the Controls and
        Matrix pages; beneath each objective are the control activities its template suggests.
      </p>
      {manage && (
        <p>
          <Link to="/soc1-objectives/adopt" className="button-link" id="propose-objectives">Propose objectives for your industry</Link>
        </p>
      )}
      {adopted > 0 && <p className="notice" role="status">{adopted} objectives adopted.</p>}
      {error && <LoadError what="the SOC 1 objectives" message={messageOf(error)} onRetry={() => void refetch()} />}
      {objectives && objectives.length === 0 && (
        <p className="empty" id="objectives-empty">No SOC 1 objectives yet.{manage && ' Propose a set for your industry to start.'}</p>
      )}
      {objectives && objectives.length > 0 && (
        <ol className="objectives" id="objectives-list">
          {objectives.map((o) => <ObjectiveCard key={o.ref} objective={o} manage={manage} />)}
        </ol>
      )}
    </section>
  )
}

function ObjectiveCard({ objective: o, manage }: { objective: Objective; manage: boolean }) {
  const [editing, setEditing] = useState(false)
  return (
    <li className="card objective" data-ref={o.ref}>
      <div className="req-head">
        <code className="ref">{o.ref}</code>
        <span className="title">{o.title}</span>
        <span className="badge">{kindNames[o.category] ?? o.category}</span>
        {o.series && <span className="domain">{o.series}</span>}
      </div>
      {editing ? <RewordForm objective={o} done={() => setEditing(false)} /> : <p className="desc">{o.description}</p>}
      <TemplateLine objective={o} />
      {manage && !editing && (
        <button type="button" className="link-dark" onClick={() => setEditing(true)}>Reword</button>
      )}
      {o.activities.length > 0 && <Activities objective={o} manage={manage} />}
    </li>
  )
}

/** Where the objective came from, and what replaced a retired template. */
function TemplateLine({ objective: o }: { objective: Objective }) {
  if (!o.template) return <p className="muted template-line">Written by the organisation.</p>
  if (o.template.current) return <p className="muted template-line">From template <code>{o.template.ref}</code>.</p>
  return (
    <p className="muted template-line">
      From template <code>{o.template.ref}</code>, since retired
      {o.template.replaced_by.length > 0 && <>: now part of {o.template.replaced_by.map((r) => <code key={r}>{r} </code>)}</>}.
    </p>
  )
}

const objectiveFields: ConflictField[] = [{ key: 'title', label: 'Title' }, { key: 'description', label: 'Objective' }]

function RewordForm({ objective: o, done }: { objective: Objective; done: () => void }) {
  const update = useUpdateObjective()
  const [title, setTitle] = useState(o.title)
  const [description, setDescription] = useState(o.description)
  const edit = useEdit(o)
  const fields = update.error instanceof ApiError ? update.error.fields : {}
  function submit(e: FormEvent) {
    e.preventDefault()
    update.mutate({ ref: o.ref, version: edit.base.version, title, description }, {
      onSuccess: (r) => { edit.saved(r.objective); done() },
      onError: (err) => edit.caught(err, 'objective'),
    })
  }
  return (
    <form className="form-grid" onSubmit={submit} aria-label={`Reword ${o.ref}`}>
      <label className="wide">Title<input value={title} onChange={(e) => setTitle(e.target.value)} /></label>
      {fields.title && <p className="field-error">{fields.title}</p>}
      <label className="wide">Objective<textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      {fields.description && <p className="field-error">{fields.description}</p>}
      <ConflictNotice what="objective" edit={edit} fields={objectiveFields} mine={{ title, description }}
        onTakeTheirs={(theirs) => { setTitle(theirs.title); setDescription(theirs.description) }} />
      {update.error && !edit.theirs && <p className="error" role="alert">{messageOf(update.error)}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={update.isPending}>Save</button>
        <button type="button" onClick={done}>Cancel</button>
      </div>
    </form>
  )
}

/** The suggested control activities, any of which become draft controls mapped to the objective. */
function Activities({ objective: o, manage }: { objective: Objective; manage: boolean }) {
  const adopt = useAdoptActivities()
  const [picked, setPicked] = useState<string[]>([])
  const [created, setCreated] = useState<{ id: number; ref: string }[]>([])
  function submit(e: FormEvent) {
    e.preventDefault()
    adopt.mutate({ ref: o.ref, activities: picked }, {
      onSuccess: (r) => {
        setCreated(r.controls)
        setPicked([])
      },
    })
  }
  return (
    <details className="activities">
      <summary>{activitiesLabel(o.activities.length)}</summary>
      <form className="activities" onSubmit={submit} aria-label={`Suggested control activities for ${o.ref}`}>
        <ul>
          {o.activities.map((a) => (
            <li key={a.ref} data-activity={a.ref}>
              <label className="check">
                {manage && (
                  <input type="checkbox" checked={picked.includes(a.ref)}
                    onChange={(e) => setPicked(e.target.checked ? [...picked, a.ref] : picked.filter((p) => p !== a.ref))} />
                )}{' '}
                <strong>{a.title}</strong> <span className="muted">({a.frequency}, {a.nature}, {a.type})</span>
              </label>
              <p className="desc">{a.description}</p>
            </li>
          ))}
        </ul>
        {adopt.error && <p className="error" role="alert">{messageOf(adopt.error)}</p>}
        {created.length > 0 && (
          <p className="notice" role="status">
            Draft controls created:{' '}
            {created.map((c) => <Link key={c.id} to={`/controls/${c.id}`}>{c.ref} </Link>)}— give each an owner and make it your own.
          </p>
        )}
        {manage && (
          <div className="actions">
            <button type="submit" disabled={picked.length === 0 || adopt.isPending}>
              Create {picked.length || ''} draft {picked.length === 1 ? 'control' : 'controls'}
            </button>
          </div>
        )}
      </form>
    </details>
  )
}
