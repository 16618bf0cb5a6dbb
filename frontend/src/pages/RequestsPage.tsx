import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { ApiError, auditRequests, type RequestImportPlan, type RequestInput, type RequestStep, requestStatuses, requestTypeLabels, requestTypes, testing, type AuditRequest } from '../api'
import { Toast, type ToastMessage } from '../Toast'
import { useEngagementControlEvidence } from '../queries/engagements'
import { SearchPicker, type Choice } from '../SearchPicker'
import { searchScopedControls } from '../pickers'
import { useCreateRequest, useGenerateRequests, useImportRequests, useRequest, useRequestChange, useRequests } from '../queries/requests'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { Pager } from '../Pager'
import { useParamSetter } from '../urlparams'
import { LoadError } from '../LoadError'

const requestPage = 50

const words = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ')

/** An engagement's request (PBC) list: filter, generate, add by hand, export. */
export function RequestsPage() {
  const id = Number(useParams().id)
  const { can } = useSession()
  const [params] = useSearchParams()
  const setParam = useParamSetter()
  const status = params.get('status') ?? ''
  const offset = Number(params.get('offset') ?? 0) || 0
  const query: Record<string, string | number> = { limit: requestPage, offset, ...(status ? { status } : {}) }
  const list = useRequests(id, query)
  const generate = useGenerateRequests(id)
  const [note, setNote] = useState('')
  const manage = can('requests.manage')
  return (
    <section className="page wide-page" aria-labelledby="requests-title">
      <p className="crumbs"><Link to={`/engagements/${id}`}>Engagement</Link></p>
      <h1 id="requests-title">Requests</h1>
      <div className="filters">
        <label>Status
          <select id="requests-status" value={status} onChange={(e) => setParam('status', e.target.value)}>
            <option value="">all</option>
            {requestStatuses.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <a href={auditRequests.xlsxURL(id)} download>Download XLSX</a>
        <a href={auditRequests.csvURL(id)} download>Download CSV</a>
        {manage && (
          <button type="button" id="generate-requests" disabled={generate.isPending}
            onClick={() => generate.mutate(undefined, { onSuccess: (created) => setNote(`${created.length} new requests`) })}>
            Generate from the engagement
          </button>
        )}
      </div>
      {note && <p role="status">{note}</p>}
      {generate.error && <p className="error" role="alert">{messageOf(generate.error)}</p>}
      {list.error && <LoadError what="the requests" message={messageOf(list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.total === 0 && <p className="empty">No requests yet.</p>}
      {!list.data && !list.error && <p className="loading" role="status">Loading the requests…</p>}
      {list.data && list.data.rows.length > 0 && <RequestTable id="requests-table" rows={list.data.rows} />}
      {list.data && list.data.total > 0 && <Pager label="Pages of requests" offset={offset} pageSize={requestPage} total={list.data.total} shown={list.data.rows.length} onOffset={(o) => setParam('offset', String(o))} />}
      {manage && <AddRequest id={id} />}
      {manage && <ImportList id={id} />}
    </section>
  )
}

/** Requests as a table, each linking to its page. */
export function RequestTable({ id, rows }: { id: string; rows: AuditRequest[] }) {
  return (
    <table className="data request-cards" id={id}>
      <thead><tr><th>ID</th><th>Type</th><th>Phase</th><th>Controls</th><th>What is needed</th><th>Owner</th><th>Due</th><th>Status</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.engagement_id}-${r.ref}`} data-ref={r.ref}>
            <td data-label="ID"><Link to={`/engagements/${r.engagement_id}/requests/${r.ref}`}>{r.ref}</Link>{r.auditor_ref && <span className="muted"> ({r.auditor_ref})</span>}</td>
            <td data-label="Type">{requestTypeLabels[r.type]}</td>
            <td data-label="Phase">{r.phase}</td>
            <td data-label="Controls">{r.controls.map((c) => c.ref).join(', ')}</td>
            <td data-label="What is needed">{r.description}</td>
            <td data-label="Owner">{r.owner_email || '–'}</td>
            <td data-label="Due">{r.due_on ?? '–'}</td>
            <td data-label="Status" className={`status-${r.status}`}>{words(r.status)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function AddRequest({ id }: { id: number }) {
  const create = useCreateRequest(id)
  const [type, setType] = useState<string>('document')
  const [phase, setPhase] = useState('final')
  const [description, setDescription] = useState('')
  const [owner, setOwner] = useState('')
  const [due, setDue] = useState('')
  const [ref, setRef] = useState('')
  const [control, setControl] = useState<Choice | null>(null)
  function submit(e: FormEvent) {
    e.preventDefault()
    create.mutate({ type, phase, description, owner_email: owner, due_on: due, auditor_ref: ref, control_ids: control ? [Number(control.value)] : [] },
      { onSuccess: () => { setDescription(''); setRef('') } })
  }
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Add a request">
      <h2>Add a request</h2>
      <label>Type<select value={type} onChange={(e) => setType(e.target.value)}>{requestTypes.map((t) => <option key={t} value={t}>{requestTypeLabels[t]}</option>)}</select></label>
      <label>Phase<select value={phase} onChange={(e) => setPhase(e.target.value)}><option value="interim">interim</option><option value="final">final</option></select></label>
      <SearchPicker id="new-request-control" label="Control" placeholder="None: type a reference or title" value={control}
        search={searchScopedControls(id)} onChange={setControl} />
      <label>Owner (e-mail)<input type="email" value={owner} onChange={(e) => setOwner(e.target.value)} /></label>
      <label>Due<input type="date" value={due} onChange={(e) => setDue(e.target.value)} /></label>
      <label>Auditor ref<input value={ref} onChange={(e) => setRef(e.target.value)} /></label>
      <label className="wide">What is needed<textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      {create.error && <p className="error wide" role="alert">{messageOf(create.error)}</p>}
      <div className="actions"><button type="submit" className="primary">Add</button></div>
    </form>
  )
}

/** One request: what it asks for, what was handed over, the thread, and its next step. */
export function RequestPage() {
  const params = useParams()
  const { can } = useSession()
  return <RequestView id={Number(params.id)} ref_={params.request ?? ''} can={can} />
}

/** The request page's content, for the caller's permissions. */
export function RequestView({ id, ref_: ref, can }: { id: number; ref_: string; can: (p: string) => boolean }) {
  const navigate = useNavigate()
  const req = useRequest(id, ref)
  const change = useRequestChange(id)
  const [toast, setToast] = useState<ToastMessage | null>(null)
  /** Makes a transition; the notice offers to take it back while it is the request's last step. */
  const step = (fn: () => Promise<{ request: AuditRequest }>, done: string) => change.mutate(fn, {
    onSuccess: (res) => {
      const r = (res as { request: AuditRequest }).request
      const last = r.history.at(-1)
      setToast({ text: `${r.ref} ${done}.`, undo: last && (() => change.mutateAsync(() => auditRequests.undo(id, r.ref, last.id))) })
    },
  })
  if (!req.data) return <section className="page">{req.error ? <LoadError what={`request ${ref}`} message={messageOf(req.error)} onRetry={() => void req.refetch()} /> : <p className="loading">Loading…</p>}</section>
  const r = req.data
  const answerable = r.status === 'open' || r.status === 'returned'
  const lastStep = r.history.at(-1)
  return (
    <section className="page" aria-labelledby="request-title">
      <p className="crumbs"><Link to={`/engagements/${id}`}>Engagement</Link> › <Link to={`/engagements/${id}/requests`}>Requests</Link></p>
      <h1 id="request-title">{r.ref} <span className="muted">{requestTypeLabels[r.type]}, {r.phase}</span></h1>
      <dl className="facts">
        <dt>Status</dt><dd id="request-status">{words(r.status)}{r.status === 'returned' && r.return_reason && <>: {r.return_reason}</>}</dd>
        <dt>What is needed</dt><dd>{r.description || '–'}</dd>
        <dt>Controls</dt><dd>{r.controls.map((c) => <Link key={c.id} to={`/engagements/${id}/controls/${c.id}`}>{c.ref} </Link>)}</dd>
        {r.sample_items.length > 0 && <><dt>Sample items</dt><dd>{r.sample_items.map((i) => i.item_id).join(', ')}</dd></>}
        <dt>Owner</dt><dd>{r.owner_email || '–'}</dd>
        <dt>Due</dt><dd>{r.due_on ?? '–'}</dd>
        {r.auditor_ref && <><dt>Auditor ref</dt><dd>{r.auditor_ref}</dd></>}
      </dl>
      <section className="card" aria-labelledby="request-evidence">
        <h2 id="request-evidence">Evidence handed over ({r.evidence.length})</h2>
        <ul>
          {r.evidence.map((e) => (
            <li key={e.id}>{e.kind === 'file' ? <a href={testing.evidenceURL(id, e.id)} download>{e.file_name || e.title}</a> : e.title} <span className="muted">#{e.id}</span></li>
          ))}
        </ul>
      </section>
      {change.error && <p className="error" role="alert">{change.error instanceof ApiError && change.error.status === 412
        ? 'Someone changed this request meanwhile: the page now shows their version; make your change again.' : messageOf(change.error)}</p>}
      {can('requests.manage') && r.status !== 'accepted' && (
        <EditRequest key={r.version} r={r} onSave={(input) => change.mutate(() => auditRequests.update(id, r.ref, input, r.version))}
          onDelete={r.status === 'open' ? () => {
            if (window.confirm(`Delete ${r.ref}? Its number is not given out again.`)) change.mutate(() => auditRequests.remove(id, r.ref, r.version).then(() => navigate(`/engagements/${id}/requests`)))
          } : undefined} />
      )}
      {can('requests.work') && answerable && <SubmitForm id={id} r={r} onSubmit={(ids, note, file) => step(() => auditRequests.submit(id, r.ref, ids, note, file), 'submitted')} />}
      {can('requests.manage') && r.status === 'submitted' && <Decide onAccept={() => step(() => auditRequests.accept(id, r.ref), 'accepted')} onReturn={(reason) => step(() => auditRequests.sendBack(id, r.ref, reason), 'returned')} />}
      {can('requests.manage') && r.status === 'accepted' && lastStep?.action === 'accept' && (
        <section className="card" aria-label="Reopen">
          <p className="hint">Accepted by mistake? Reopening takes the acceptance back: the request is submitted again, with its evidence and thread.</p>
          <div className="actions"><button type="button" id="reopen-request" onClick={() => change.mutate(() => auditRequests.undo(id, r.ref, lastStep.id))}>Reopen</button></div>
        </section>
      )}
      <Toast message={toast} onClose={() => setToast(null)} />
      {r.history.length > 0 && <History steps={r.history} />}
      <Thread id={id} r={r} canComment={can('requests.comment')} onComment={(body, files) => change.mutateAsync(() => auditRequests.comment(id, r.ref, body, files))} />
    </section>
  )
}

const stepWords: Record<RequestStep['action'], string> = { submit: 'Submitted', accept: 'Accepted', return: 'Returned', undo: 'Undone' }

/** The request's steps: who submitted, accepted, returned or undid, and when. */
function History({ steps }: { steps: RequestStep[] }) {
  return (
    <details className="card">
      <summary>History ({steps.length})</summary>
      <ol id="request-history">
        {steps.map((t) => (
          <li key={t.id}>
            {stepWords[t.action]}{t.action === 'undo' && `: back to ${t.to}`} · {t.by || 'someone'} · <time dateTime={t.at}>{t.at.slice(0, 16).replace('T', ' ')}</time>
          </li>
        ))}
      </ol>
    </details>
  )
}

/** Changes what a request asks for, who owes it and by when; deletes an open one. */
function EditRequest({ r, onSave, onDelete }: { r: AuditRequest; onSave: (input: RequestInput) => void; onDelete?: () => void }) {
  const [description, setDescription] = useState(r.description)
  const [owner, setOwner] = useState(r.owner_email)
  const [due, setDue] = useState(r.due_on ?? '')
  const [ref, setRef] = useState(r.auditor_ref)
  function submit(e: FormEvent) {
    e.preventDefault()
    onSave({ description, owner_email: owner, due_on: due, auditor_ref: ref })
  }
  return (
    <details className="card">
      <summary>Change or delete this request</summary>
      <form className="form-grid" onSubmit={submit} aria-label="Change the request">
        <label className="wide">What is needed<textarea id="edit-description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
        <label>Owner (e-mail)<input type="email" value={owner} onChange={(e) => setOwner(e.target.value)} /></label>
        <label>Due<input type="date" value={due} onChange={(e) => setDue(e.target.value)} /></label>
        <label>Auditor ref<input value={ref} onChange={(e) => setRef(e.target.value)} /></label>
        <div className="actions">
          <button type="submit" className="primary" id="save-request">Save</button>
          {onDelete && <button type="button" id="delete-request" onClick={onDelete}>Delete</button>}
        </div>
      </form>
    </details>
  )
}

function SubmitForm({ id, r, onSubmit }: { id: number; r: AuditRequest; onSubmit: (ids: number[], note: string, file?: File) => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [picked, setPicked] = useState<number[]>([])
  const [note, setNote] = useState('')
  const first = r.controls[0]?.id
  const existing = useEngagementControlEvidence(id, first).data ?? []
  function submit(e: FormEvent) {
    e.preventDefault()
    onSubmit(picked, note, file ?? undefined)
  }
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Submit">
      <h2>Submit</h2>
      <label className="wide">Upload a file<input type="file" id="request-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
      {existing.length > 0 && (
        <fieldset className="wide kinds">
          <legend>Or attach existing evidence</legend>
          {existing.map((ev) => (
            <label key={ev.id} className="check">
              <input type="checkbox" disabled={!!file} checked={picked.includes(ev.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, ev.id] : picked.filter((x) => x !== ev.id))} />
              {ev.title} <span className="muted">#{ev.id}</span>
            </label>
          ))}
        </fieldset>
      )}
      <label className="wide">Note<textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} /></label>
      <div className="actions"><button type="submit" className="primary" id="submit-request">Submit</button></div>
    </form>
  )
}

function Decide({ onAccept, onReturn }: { onAccept: () => void; onReturn: (reason: string) => void }) {
  const [reason, setReason] = useState('')
  return (
    <section className="card" aria-label="Decide">
      <h2>Review the submission</h2>
      <div className="actions">
        <button type="button" className="primary" id="accept-request" onClick={onAccept}>Accept</button>
      </div>
      <label>Reason to return it<textarea id="return-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <div className="actions"><button type="button" id="return-request" onClick={() => onReturn(reason)}>Return</button></div>
    </section>
  )
}

function Thread({ id, r, canComment, onComment }: { id: number; r: AuditRequest; canComment: boolean; onComment: (body: string, files: File[]) => Promise<unknown> }) {
  const [body, setBody] = useState('')
  const [files, setFiles] = useState<File[]>([])
  async function submit(e: FormEvent) {
    e.preventDefault()
    await onComment(body, files)
    setBody('')
    setFiles([])
  }
  return (
    <section className="card" aria-labelledby="thread-title">
      <h2 id="thread-title">Comments ({r.comments.length})</h2>
      <ol className="thread" id="request-thread">
        {r.comments.map((c) => (
          <li key={c.id}>
            <p className="muted">{c.author || 'someone'} · <time dateTime={c.created_at}>{c.created_at.slice(0, 16).replace('T', ' ')}</time></p>
            <p>{c.body}</p>
            {c.files.map((f) => <a key={f.id} href={auditRequests.fileURL(id, r.ref, f.id)} download>{f.file_name} </a>)}
          </li>
        ))}
      </ol>
      {canComment && (
        <form onSubmit={(e) => void submit(e)} aria-label="Comment">
          <label>Comment<textarea id="comment-body" rows={2} value={body} onChange={(e) => setBody(e.target.value)} /></label>
          <label>Attachments<input type="file" multiple onChange={(e) => setFiles(Array.from(e.target.files ?? []))} /></label>
          <div className="actions"><button type="submit" id="add-comment">Comment</button></div>
        </form>
      )}
    </section>
  )
}

/** Imports an audit firm's request list: a dry run first, then apply. */
function ImportList({ id }: { id: number }) {
  const [file, setFile] = useState<File | null>(null)
  const [plan, setPlan] = useState<RequestImportPlan | null>(null)
  const run = useImportRequests(id)
  const go = (apply: boolean) => file && run.mutate({ file, apply }, { onSuccess: setPlan })
  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">Import the audit firm's list</h2>
      <p className="hint">XLSX or CSV with their ref, a description, controls and a due date.</p>
      <input type="file" accept=".xlsx,.csv" aria-label="Request list file" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPlan(null) }} />
      <div className="actions">
        <button type="button" disabled={!file} onClick={() => go(false)}>Check</button>
        <button type="button" className="primary" disabled={!file || !plan || plan.problems.length > 0} onClick={() => go(true)}>Import</button>
      </div>
      {run.error && <p className="error" role="alert">{messageOf(run.error)}</p>}
      {plan && (
        <>
          <p role="status">{plan.applied ? `Imported ${plan.rows.length} rows.` : `${plan.rows.length} rows, ${plan.problems.length} problems.`}</p>
          <ul>{plan.problems.map((p) => <li key={`${p.row}-${p.column}`} className="error">Row {p.row}, {p.column}: {p.message}</li>)}</ul>
          <ul>{plan.rows.map((r) => <li key={r.row}>Row {r.row} {r.auditor_ref}: {r.action}{r.ref && ` ${r.ref}`}</li>)}</ul>
        </>
      )}
    </section>
  )
}
