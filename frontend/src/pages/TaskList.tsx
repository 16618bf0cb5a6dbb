import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { conflictOf, tasks, uploadEvidence, type Task } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { ConflictNotice, instantEdit, type ConflictField } from '../ConflictNotice'
import type { ToastMessage } from '../Toast'

const taskFields: ConflictField[] = [
  { key: 'state', label: 'State', show: (s) => stateLabels[s as Task['state']] ?? String(s) },
  { key: 'na_reason', label: 'Reason it does not apply' }, { key: 'owner_email', label: 'Owner' }, { key: 'due_on', label: 'Due' },
]

/** An action on a task, sent against the version of the task it was chosen on. */
type Action = (version: number) => Promise<unknown>

export const stateLabels: Record<Task['state'], string> = {
  overdue: 'Overdue',
  due: 'Due',
  upcoming: 'Upcoming',
  done: 'Done',
  not_applicable: 'Not applicable',
}

/** A choice of tasks for a bulk change: which are chosen, and which may be. */
export interface TaskSelection {
  picked: Set<number>
  onPick: (ids: number[], on: boolean) => void
  /** Why a task cannot be chosen, or '' when it can. */
  refusal: (t: Task) => string
}

/** Open ad-hoc tasks may be reassigned; the others follow their control's or source's owner. */
export function reassignRefusal(t: Task): string {
  if (t.state === 'done' || t.state === 'not_applicable') return 'closed'
  if (t.kind !== 'adhoc') return t.control_ref ? `follows the owner of ${t.control_ref}` : 'follows the owner of its source'
  return ''
}

/** A table of tasks with what each user may do about each one, and a checkbox per row when tasks can be chosen. */
export function TaskTable({ rows, showOwner, onChange, id, selection, onSaved }: {
  rows: Task[]; showOwner: boolean; onChange: () => void; id: string; selection?: TaskSelection
  /** Shows the saved notice of a quick edit with its undo. */
  onSaved?: (m: ToastMessage) => void
}) {
  const choosable = selection ? rows.filter((t) => !selection.refusal(t)).map((t) => t.id) : []
  const all = choosable.length > 0 && choosable.every((t) => selection?.picked.has(t))
  return (
    <table className="data tasks" id={id}>
      <thead>
        <tr>
          {selection && (
            <th scope="col">
              <input type="checkbox" id={`${id}-select-all`} aria-label="Select every task on this page that can be reassigned"
                disabled={choosable.length === 0} checked={all} onChange={(e) => selection.onPick(choosable, e.target.checked)} />
            </th>
          )}
          <th scope="col">Task</th>
          <th scope="col">Control</th>
          {showOwner && <th scope="col">Owner</th>}
          <th scope="col">Due</th>
          <th scope="col">State</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <TaskRow key={t.id} task={t} showOwner={showOwner} onChange={onChange} selection={selection} onSaved={onSaved} />
        ))}
      </tbody>
    </table>
  )
}

function PickCell({ task, selection }: { task: Task; selection: TaskSelection }) {
  const refusal = selection.refusal(task)
  return (
    <td>
      <input type="checkbox" aria-label={refusal ? `${task.title}: ${refusal}` : `Select ${task.title}`} title={refusal || undefined}
        disabled={!!refusal} checked={selection.picked.has(task.id)} onChange={(e) => selection.onPick([task.id], e.target.checked)} />
    </td>
  )
}

type Open = 'none' | 'upload' | 'na'

function TaskRow({ task, showOwner, onChange, selection, onSaved }: {
  task: Task; showOwner: boolean; onChange: () => void; selection?: TaskSelection; onSaved?: (m: ToastMessage) => void
}) {
  const { session, can } = useSession()
  const [open, setOpen] = useState<Open>('none')
  const [error, setError] = useState('')
  // An action refused because the task changed since it was listed.
  const [conflict, setConflict] = useState<{ theirs: Task; action: Action; mine: Partial<Task> } | null>(null)
  const mayWork = can('tasks.work') && (session?.user.role !== 'owner' || task.owner_id === session?.user.id)
  const closed = task.state === 'done' || task.state === 'not_applicable'

  async function act(action: Action, mine: Partial<Task>, version = task.version) {
    setError('')
    setConflict(null)
    try {
      await action(version)
      setOpen('none')
      onChange()
    } catch (err) {
      const theirs = conflictOf<Task>(err, 'task')
      if (theirs) setConflict({ theirs, action, mine })
      else setError(messageOf(err))
    }
  }

  // Closing a task by hand can be taken back: reopening it on the version just saved.
  const close = (send: (v: number) => Promise<{ task: Task }>, text: string): Action => async (v) => {
    const r = await send(v)
    onSaved?.({ text, undo: () => tasks.reopen(task.id, r.task.version).then(onChange) })
  }

  return (
    <>
      <tr className={`task task-${task.state}`} data-task={task.id}>
        {selection && <PickCell task={task} selection={selection} />}
        <td>
          <span className="task-title">{task.title}</span>
          {task.engagements.length > 0 && (
            <span className="hint"> · {task.engagements.map((e) => e.name).join(', ')}</span>
          )}
          {task.na_reason && <div className="hint">Not applicable: {task.na_reason}</div>}
          {task.description && <div className="hint">{task.description}</div>}
        </td>
        <td>{task.control_id ? <Link to={`/controls/${task.control_id}`}>{task.control_ref}</Link> : '—'}</td>
        {showOwner && <td>{task.owner_email || <em>nobody</em>}</td>}
        <td><time dateTime={task.due_on}>{task.due_on}</time></td>
        <td><span className={`badge state-${task.state}`}>{stateLabels[task.state]}</span></td>
        <td className="row-actions">
          {task.kind === 'check_failure' && task.control_id && <Link to={`/controls/${task.control_id}#automated`}>See the failing checks</Link>}
          {task.kind === 'stale_source' && <Link to="/automated">See the source</Link>}
          {mayWork && !closed && (task.kind === 'occurrence' || task.kind === 'renewal') && task.control_id && (
            <button type="button" className="primary" onClick={() => setOpen(open === 'upload' ? 'none' : 'upload')}>Upload evidence</button>
          )}
          {mayWork && !closed && task.kind === 'adhoc' && (
            <button type="button" onClick={() => act(close((v) => tasks.done(task.id, v), `“${task.title}” is done.`), { state: 'done' })}>Mark done</button>
          )}
          {mayWork && !closed && (
            <button type="button" onClick={() => setOpen(open === 'na' ? 'none' : 'na')}>Not applicable…</button>
          )}
          {mayWork && (task.state === 'not_applicable' || task.done_via === 'manual') && (
            <button type="button" onClick={() => act((v) => tasks.reopen(task.id, v), { state: 'due', na_reason: '' })}>Reopen</button>
          )}
        </td>
      </tr>
      {(open !== 'none' || error || conflict) && (
        <tr className="task-detail">
          <td colSpan={(showOwner ? 6 : 5) + (selection ? 1 : 0)}>
            {open === 'upload' && <TaskUpload task={task} onDone={() => act(async () => undefined, {})} />}
            {open === 'na' && <NotApplicableForm onSubmit={(reason) => act(close((v) => tasks.notApplicable(task.id, reason, v), `“${task.title}” is not applicable.`), { state: 'not_applicable', na_reason: reason })} />}
            {conflict && (
              <ConflictNotice what="task" fields={taskFields} mine={{ ...task, ...conflict.mine }}
                edit={instantEdit(task, conflict.theirs, (theirs) => void act(conflict.action, conflict.mine, theirs.version), () => { setConflict(null); onChange() })}
                onTakeTheirs={() => undefined} keepLabel="Do it anyway" hint="" />
            )}
            {error && <p className="error" role="alert">{error}</p>}
          </td>
        </tr>
      )}
    </>
  )
}

/** Upload evidence straight from a task: dated to the task's window, linked to its control. */
function TaskUpload({ task, onDone }: { task: Task; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [title, setTitle] = useState(`${task.control_ref} evidence, ${task.window_label || task.due_on}`)
  const [from, setFrom] = useState(task.window_start ?? '')
  const [to, setTo] = useState(task.window_end ?? '')
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState('')

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!file) return setError('Choose a file to upload.')
    setError('')
    setProgress(0)
    try {
      const dates = from && to ? { covers_from: from, covers_to: to } : { collected_on: new Date().toISOString().slice(0, 10) }
      await uploadEvidence(file, { title, control_ids: [task.control_id!], ...dates }, setProgress)
      onDone()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setProgress(null)
    }
  }
  return (
    <form className="form-grid task-upload" onSubmit={submit} aria-label={`Upload evidence for ${task.title}`}>
      <label className="wide">
        File
        <input type="file" className="task-file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="wide">
        Title
        <input required value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Covers from
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        Covers to
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      {progress !== null && <progress max={1} value={progress}>{Math.round(progress * 100)}%</progress>}
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions">
        <button type="submit" className="primary task-upload-submit" disabled={progress !== null}>Upload</button>
      </div>
    </form>
  )
}

function NotApplicableForm({ onSubmit }: { onSubmit: (reason: string) => void }) {
  const [reason, setReason] = useState('')
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit(reason)
      }}
    >
      <label>
        Why does this task not apply?
        <input required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit">Mark not applicable</button>
    </form>
  )
}
