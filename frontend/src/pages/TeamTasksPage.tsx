import { useState, type FormEvent } from 'react'
import { ApiError, taskStates, tasks, type Task } from '../api'
import { useSession } from '../session'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { Pager } from '../Pager'
import { messageOf } from './CatalogPage'
import { reassignRefusal, stateLabels, TaskTable, type TaskSelection } from './TaskList'
import { Toast, type ToastMessage } from '../Toast'
import { SearchPicker } from '../SearchPicker'
import { PersonPicker } from '../PersonPicker'
import { engagementName, searchEngagements, useChosen } from '../pickers'
import { useTaskCounts, useTasksChanged } from '../queries/tasks'
import { LoadError } from '../LoadError'

const pageSize = 50
const filterNames = ['owner_id', 'control_id', 'engagement_id', 'state', 'kind']
const fetchTasks = (q: Record<string, string | number>) => tasks.list(q).then((r) => ({ rows: r.tasks, total: r.total }))

/** The compliance team's view of everyone's tasks: counts per owner, filters in the URL, ad-hoc requests. */
export function TeamTasksPage() {
  const { can } = useSession()
  const setFilter = useParamSetter()
  const tasksChanged = useTasksChanged()
  const { rows, total, error, retry, offset, params } = useUrlListPage('tasks', filterNames, pageSize, fetchTasks)
  const engagementFilter = params.get('engagement_id') ?? ''
  const { data: counts } = useTaskCounts(engagementFilter)
  const chosenEngagement = useChosen(engagementFilter, engagementName)

  const manage = can('program.manage')
  const [picked, setPicked] = useState<Set<number>>(new Set())
  const [toast, setToast] = useState<ToastMessage | null>(null)
  const selection: TaskSelection | undefined = manage ? {
    picked,
    refusal: reassignRefusal,
    onPick: (ids, on) => setPicked((p) => { const n = new Set(p); for (const id of ids) { if (on) n.add(id); else n.delete(id) } return n }),
  } : undefined
  const selected = (rows ?? []).filter((t) => picked.has(t.id))
  const afterReassign = (m: ToastMessage) => {
    const undo = m.undo
    setToast({ ...m, undo: undo && (() => undo().then(tasksChanged)) })
    setPicked(new Set())
    void tasksChanged()
  }

  const exportQuery = Object.fromEntries(filterNames.map((n) => [n, params.get(n) ?? undefined]))
  return (
    <section className="page" aria-labelledby="team-tasks-title">
      <h1 id="team-tasks-title">Team tasks</h1>
      {counts && counts.length > 0 && (
        <table className="data counts" id="owner-counts">
          <caption>Tasks per owner</caption>
          <thead>
            <tr>
              <th scope="col">Owner</th>
              {taskStates.map((s) => <th scope="col" key={s}>{stateLabels[s]}</th>)}
            </tr>
          </thead>
          <tbody>
            {counts.map((o) => (
              <tr key={o.owner_email || 'nobody'}>
                <th scope="row">
                  {o.owner_id ? (
                    <button type="button" className="link" onClick={() => setFilter('owner_id', String(o.owner_id))}>{o.owner_email}</button>
                  ) : (
                    <em>nobody</em>
                  )}
                </th>
                {taskStates.map((s) => (
                  <td key={s} className={s === 'overdue' && (o.states[s] ?? 0) > 0 ? 'alert' : undefined}>{o.states[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="filters">
        <label>
          Owner
          <select id="team-owner" value={params.get('owner_id') ?? ''} onChange={(e) => setFilter('owner_id', e.target.value)}>
            <option value="">Everyone</option>
            {(counts ?? []).filter((o) => o.owner_id).map((o) => <option key={o.owner_id} value={o.owner_id!}>{o.owner_email}</option>)}
          </select>
        </label>
        <SearchPicker id="team-engagement" label="Engagement" placeholder="Any: type a name" value={chosenEngagement}
          search={searchEngagements} onChange={(c) => setFilter('engagement_id', c?.value ?? '')} />
        <label>
          State
          <select id="team-state" value={params.get('state') ?? ''} onChange={(e) => setFilter('state', e.target.value)}>
            <option value="">Any</option>
            {taskStates.map((s) => <option key={s} value={s}>{stateLabels[s]}</option>)}
          </select>
        </label>
        <label>
          Kind
          <select id="team-kind" value={params.get('kind') ?? ''} onChange={(e) => setFilter('kind', e.target.value)}>
            <option value="">Any</option>
            <option value="occurrence">Evidence per window</option>
            <option value="renewal">Renewal</option>
            <option value="adhoc">Ad-hoc request</option>
            <option value="check_failure">Failing automated checks</option>
            <option value="stale_source">Scanner not reporting</option>
          </select>
        </label>
        <a href={tasks.exportURL('xlsx', exportQuery)} download>Download XLSX</a>
        <a href={tasks.exportURL('csv', exportQuery)} download>Download CSV</a>
      </div>
      {error && <LoadError what="the team's tasks" message={error} onRetry={retry} />}
      {rows && <p className="result-count" id="team-count">{total} {total === 1 ? 'task' : 'tasks'}</p>}
      <Toast message={toast} onClose={() => setToast(null)} />
      {manage && selected.length > 0 && <BulkReassign selected={selected} onDone={afterReassign} />}
      {rows && rows.length > 0 && <TaskTable id="team-tasks" rows={rows} showOwner onChange={tasksChanged} selection={selection} onSaved={setToast} />}
      {rows && rows.length > 0 && <Pager offset={offset} pageSize={pageSize} total={total} onOffset={(o) => setFilter('offset', String(o))} />}
      {manage && <AdhocForm onDone={tasksChanged} />}
    </section>
  )
}

/** The people who can be given tasks. */
const assignees = { role: 'admin,compliance,owner', active: true }

/**
 * Gives the chosen tasks to someone else at once. The notice that follows
 * can undo it: each task goes back to whom it had before.
 */
function BulkReassign({ selected, onDone }: { selected: Task[]; onDone: (m: ToastMessage) => void }) {
  const [owner, setOwner] = useState('')
  const [to, setTo] = useState('')
  const [error, setError] = useState('')
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    if (!owner) return setError('Choose the new owner from the matches.')
    const n = `${selected.length} ${selected.length === 1 ? 'task' : 'tasks'}`
    if (!window.confirm(`Reassign ${n} to ${to}? Their current owners stop seeing them.`)) return
    try {
      const r = await tasks.reassign(selected.map((t) => t.id), Number(owner))
      const back = new Map<number, number[]>()
      for (const b of r.before) if (b.owner_id) back.set(b.owner_id, [...(back.get(b.owner_id) ?? []), b.task_id])
      onDone({
        text: `Reassigned ${r.changed} ${r.changed === 1 ? 'task' : 'tasks'} to ${to}.`,
        undo: async () => { for (const [o, ids] of back) await tasks.reassign(ids, o) },
      })
    } catch (err) {
      setError(err instanceof ApiError && Object.keys(err.fields).length > 0
        ? `${err.message}: ${Object.entries(err.fields).map(([k, v]) => `${k} ${v}`).join('; ')}` : messageOf(err))
    }
  }
  return (
    <form className="bulk-bar" id="tasks-bulk" onSubmit={submit} aria-label="Change the chosen tasks">
      <span>{selected.length} {selected.length === 1 ? 'task' : 'tasks'} chosen</span>
      <PersonPicker id="tasks-bulk-owner" label="Reassign to" required placeholder="Type a name" filter={assignees} value={owner}
        onChange={(v, c) => { setOwner(v); setTo(c?.label ?? '') }} />
      <button type="submit" className="primary" id="tasks-bulk-reassign">Reassign</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  )
}

/** Ask someone for something by a date, e.g. an auditor's follow-up request. */
function AdhocForm({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState({ title: '', description: '', owner_id: '', due_on: '', engagement_id: '' })
  const chosen = useChosen(form.engagement_id, engagementName)
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    try {
      await tasks.create({
        title: form.title,
        description: form.description,
        owner_id: Number(form.owner_id),
        due_on: form.due_on,
        engagement_id: form.engagement_id ? Number(form.engagement_id) : undefined,
      })
      setForm({ title: '', description: '', owner_id: '', due_on: '', engagement_id: '' })
      onDone()
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    }
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })
  return (
    <form className="form-grid panel" onSubmit={submit} aria-labelledby="adhoc-title">
      <h2 id="adhoc-title" className="wide">Ask someone for something</h2>
      <label className="wide">Task<input id="adhoc-task" required maxLength={300} value={form.title} onChange={set('title')} />{fields.title && <span className="field-error">{fields.title}</span>}</label>
      <label className="wide">Details<textarea rows={2} value={form.description} onChange={set('description')} /></label>
      <div>
        <PersonPicker id="adhoc-owner" label="Assign to" required placeholder="Type a name" filter={assignees} value={form.owner_id}
          onChange={(v) => setForm({ ...form, owner_id: v })} />
        {fields.owner_id && <span className="field-error">{fields.owner_id}</span>}
      </div>
      <label>Due<input id="adhoc-due" type="date" required value={form.due_on} onChange={set('due_on')} />{fields.due_on && <span className="field-error">{fields.due_on}</span>}</label>
      <SearchPicker id="adhoc-engagement" label="Engagement" placeholder="None: type a name" value={chosen}
        search={searchEngagements} onChange={(c) => setForm({ ...form, engagement_id: c?.value ?? '' })} />
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions"><button type="submit" className="primary" id="adhoc-submit">Create task</button></div>
    </form>
  )
}
