import { useCallback, useEffect, useState } from 'react'
import { tasks, type Task } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { stateLabels, TaskTable } from './TaskList'
import { useMyRequests } from '../queries/requests'
import { RequestTable } from './RequestsPage'

const openStates = ['overdue', 'due', 'upcoming'] as const

/**
 * A control owner's own tasks, most urgent first: overdue, then due, then
 * upcoming, each a click away from uploading the evidence it asks for.
 */
export function TasksPage() {
  const { can } = useSession()
  const [rows, setRows] = useState<Task[] | null>(null)
  const [today, setToday] = useState('')
  const [showClosed, setShowClosed] = useState(false)
  const [error, setError] = useState('')
  const [reload, setReload] = useState(0)
  const refresh = useCallback(() => setReload((n) => n + 1), [])

  useEffect(() => {
    let live = true
    const state = showClosed ? undefined : openStates.join(',')
    tasks.list({ state, limit: 500 }).then(
      (r) => {
        if (!live) return
        setRows(r.tasks)
        setToday(r.today)
        setError('')
      },
      (e: unknown) => live && setError(messageOf(e)),
    )
    return () => {
      live = false
    }
  }, [showClosed, reload])

  const groups = (showClosed ? ([...openStates, 'done', 'not_applicable'] as const) : openStates).map((s) => ({
    state: s,
    rows: (rows ?? []).filter((t) => t.state === s),
  }))
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
      {error && <p className="error" role="alert">{error}</p>}
      {rows && rows.length === 0 && <p id="tasks-empty">Nothing is due. Well done.</p>}
      {groups
        .filter((g) => g.rows.length > 0)
        .map((g) => (
          <section key={g.state} aria-labelledby={`tasks-${g.state}`}>
            <h2 id={`tasks-${g.state}`}>
              {stateLabels[g.state]} <span className="count">{g.rows.length}</span>
            </h2>
            <TaskTable id={`tasks-table-${g.state}`} rows={g.rows} showOwner={false} onChange={refresh} />
          </section>
        ))}
      <MyRequests />
      {can('tasks.feed') && <CalendarFeed />}
    </section>
  )
}

/** The user's calendar subscription: a secret address, shown once, revocable. */
function CalendarFeed() {
  const [active, setActive] = useState<boolean | null>(null)
  const [revokedAt, setRevokedAt] = useState<string | null>(null)
  const [address, setAddress] = useState('')
  const [error, setError] = useState('')

  useEffect(() => {
    tasks.feed().then(
      (r) => {
        setActive(r.active)
        setRevokedAt(r.revoked_at)
      },
      (e: unknown) => setError(messageOf(e)),
    )
  }, [])

  async function create() {
    setError('')
    try {
      const r = await tasks.newFeed()
      setAddress(r.url || window.location.origin + r.path)
      setActive(true)
      setRevokedAt(null)
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
      setActive(false)
      setRevokedAt(new Date().toISOString())
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
