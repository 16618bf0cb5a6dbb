import { useCallback, useEffect, useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { tasks, type Task } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { stateLabels, TaskTable } from './TaskList'
import { useMyRequests } from '../queries/requests'
import { useCalendarFeed, useCalendarFeedSet, useTasksChanged } from '../queries/tasks'
import { RequestTable } from './RequestsPage'
import { Pager } from '../Pager'
import { LoadError } from '../LoadError'
import { Toast, type ToastMessage } from '../Toast'

const openStates = ['overdue', 'due', 'upcoming'] as const
const groupSize = 50

/**
 * A control owner's own tasks, most urgent first: overdue, then due, then
 * upcoming, each a click away from uploading the evidence it asks for.
 * Each state is its own paged list of the user's tasks, so an
 * administrator's page neither shows the whole team's nor stops at a cap.
 */
export function TasksPage() {
  const { can, session } = useSession()
  const [showClosed, setShowClosed] = useState(false)
  const [counts, setCounts] = useState<Record<string, number>>({})
  const [today, setToday] = useState('')
  const [toast, setToast] = useState<ToastMessage | null>(null)
  const states = showClosed ? ([...openStates, 'done', 'not_applicable'] as const) : openStates
  const loaded = states.every((s) => s in counts)
  const empty = loaded && states.every((s) => counts[s] === 0)
  const ownerId = session?.user.id ?? 0
  const onLoaded = useCallback((state: string, total: number, day: string) => {
    setCounts((c) => (c[state] === total ? c : { ...c, [state]: total }))
    setToday(day)
  }, [])
  return (
    <section className="page" aria-labelledby="tasks-title">
      <h1 id="tasks-title">My tasks</h1>
      <p className="hint">
        What your controls need from you{today && <> as of <time dateTime={today}>{today}</time></>}. A task is done when evidence covering
        its window is uploaded.
      </p>
      <div className="filters">
        <label className="check">
          <input type="checkbox" id="tasks-show-closed" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} /> Show done and not applicable
        </label>
        <a href={tasks.exportURL('xlsx', {})} download>Download XLSX</a>
        <a href={tasks.exportURL('csv', {})} download>Download CSV</a>
      </div>
      {!loaded && <p className="loading" role="status">Loading your tasks…</p>}
      {empty && <p id="tasks-empty">Nothing is due. Well done.</p>}
      {ownerId > 0 && states.map((s) => <TaskGroup key={s} state={s} ownerId={ownerId} onLoaded={onLoaded} onSaved={setToast} />)}
      <Toast message={toast} onClose={() => setToast(null)} />
      <MyRequests />
      {can('tasks.feed') && <CalendarFeed />}
    </section>
  )
}

/** One state's tasks of one owner, a page at a time; nothing while there are none. */
function TaskGroup({ state, ownerId, onLoaded, onSaved }: {
  state: Task['state']; ownerId: number; onLoaded: (state: string, total: number, today: string) => void; onSaved: (m: ToastMessage) => void
}) {
  const [offset, setOffset] = useState(0)
  const changed = useTasksChanged()
  const q = { owner_id: ownerId, state, limit: groupSize, offset }
  const page = useQuery({ queryKey: ['tasks', 'list', q], queryFn: () => tasks.list(q), placeholderData: keepPreviousData })
  const total = page.data?.total
  const today = page.data?.today ?? ''
  useEffect(() => {
    if (total !== undefined) onLoaded(state, total, today)
  }, [state, total, today, onLoaded])
  if (page.error) return <LoadError what={`the ${stateLabels[state].toLowerCase()} tasks`} message={messageOf(page.error)} onRetry={() => void page.refetch()} />
  if (!page.data || page.data.total === 0) return null
  return (
    <section aria-labelledby={`tasks-${state}`}>
      <h2 id={`tasks-${state}`}>
        {stateLabels[state]} <span className="count">{page.data.total}</span>
      </h2>
      <TaskTable id={`tasks-table-${state}`} rows={page.data.tasks} showOwner={false} onChange={() => void changed()} onSaved={onSaved} />
      <Pager label={`Pages of ${stateLabels[state].toLowerCase()} tasks`} offset={offset} pageSize={groupSize} total={page.data.total} onOffset={setOffset} />
    </section>
  )
}

/** The user's calendar subscription: a secret address, shown once, revocable. */
function CalendarFeed() {
  const q = useCalendarFeed()
  const setFeed = useCalendarFeedSet()
  const active = q.data?.active ?? null
  const revokedAt = q.data?.revoked_at ?? null
  const [address, setAddress] = useState('')
  const [error, setError] = useState('')

  async function create() {
    setError('')
    try {
      const r = await tasks.newFeed()
      setAddress(r.url || window.location.origin + r.path)
      setFeed({ active: true, revoked_at: null })
    } catch (err) {
      setError(messageOf(err))
    }
  }
  async function revoke() {
    if (!window.confirm('Revoke the calendar address? Calendars subscribed to it stop updating.')) return
    setError('')
    try {
      await tasks.revokeFeed()
      setAddress('')
      setFeed({ active: false, revoked_at: new Date().toISOString() })
    } catch (err) {
      setError(messageOf(err))
    }
  }
  return (
    <section className="panel" aria-labelledby="feed-title">
      <h2 id="feed-title">Calendar</h2>
      <p className="hint">
        Subscribe to your open tasks in Google Calendar, Outlook or Thunderbird. The address is a secret: anyone who has it sees your task
        list. Making a new one ends the old one.
      </p>
      {address && (
        <p>
          <label>
            Calendar address (shown once)
            <input id="feed-url" readOnly value={address} onFocus={(e) => e.target.select()} size={60} />
          </label>
        </p>
      )}
      {!active && revokedAt && (
        <p className="muted" id="feed-revoked">
          Your calendar address was revoked on {new Date(revokedAt).toLocaleString()} (turned off, or ended by a password change); make a new one to subscribe again.
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {q.isError && <LoadError what="the calendar address" message={messageOf(q.error)} onRetry={() => void q.refetch()} />}
      <div className="actions">
        <button type="button" id="feed-create" onClick={create}>{active ? 'Make a new address' : 'Make a calendar address'}</button>
        {active && <button type="button" id="feed-revoke" onClick={revoke}>Turn off</button>}
      </div>
    </section>
  )
}

/** The auditors' requests the user owes: open ones and those returned to them. */
function MyRequests() {
  const mine = useMyRequests()
  if (mine.error) return <p className="error" role="alert">{messageOf(mine.error)}</p>
  if (!mine.data || mine.data.length === 0) return null
  return (
    <section aria-labelledby="tasks-requests">
      <h2 id="tasks-requests">Requests from the auditors <span className="count">{mine.data.length}</span></h2>
      <RequestTable id="tasks-requests-table" rows={mine.data} />
    </section>
  )
}
