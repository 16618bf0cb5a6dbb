import type { FormEvent } from 'react'
import { Link } from 'react-router'
import { api, type AuditEntry } from '../api'
import { useParamSetter, useParamsSetter, useUrlListPage } from '../urlparams'
import { LoadError } from '../LoadError'
import { Pager } from '../Pager'

const pageSize = 50
const filterNames = ['action', 'object_type', 'actor', 'from', 'to']
const fetchAudit = (q: Record<string, string | number>) => api.audit(q).then((r) => ({ rows: r.entries, total: r.total }))

/** Read and filter the audit trail; filters live in the URL. */
export function AuditPage() {
  const setFilter = useParamSetter()
  const setFilters = useParamsSetter()
  const { rows: entries, total, error, retry, offset, params } = useUrlListPage('audit', filterNames, pageSize, fetchAudit)
  // Filters apply together on Enter or Apply, not per keystroke.
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setFilters(Object.fromEntries(filterNames.map((n) => [n, String(new FormData(e.currentTarget).get(n) ?? '').trim()])))
  }

  return (
    <section className="page" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p className="hint">Every change, sign-in, export and download, newest first. Entries are hash-chained: <code>socmap audit verify</code> checks them.</p>
      <form className="filters" id="audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <label>
          Action
          <input id="audit-action" name="action" placeholder="e.g. user.update" defaultValue={params.get('action') ?? ''} />
        </label>
        <label>
          Object type
          <input id="audit-object-type" name="object_type" placeholder="e.g. control" defaultValue={params.get('object_type') ?? ''} />
        </label>
        <label>
          Actor
          <input id="audit-actor" name="actor" placeholder="e-mail address" defaultValue={params.get('actor') ?? ''} />
        </label>
        <label>
          From
          <input id="audit-from" name="from" type="date" defaultValue={params.get('from') ?? ''} />
        </label>
        <label>
          To
          <input id="audit-to" name="to" type="date" defaultValue={params.get('to') ?? ''} />
        </label>
        <button type="submit" id="audit-apply">Apply</button>
      </form>
      {error && <LoadError what="the audit log" message={error} onRetry={retry} />}
      {entries && (
        <p className="result-count" id="audit-count">
          {total} {total === 1 ? 'entry' : 'entries'}
        </p>
      )}
      {entries && entries.length > 0 && (
        <table className="data" id="audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Object</th>
              <th scope="col">Changes</th>
              <th scope="col">Client</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td><time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time></td>
                <td>{e.actor}{e.via === 'token' ? ' (token)' : ''}</td>
                <td><code>{e.action}</code></td>
                <td><AuditObject entry={e} /></td>
                <td className="changes">{describeChanges(e.changes)}</td>
                <td>{e.client}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries && entries.length > 0 && <Pager offset={offset} pageSize={pageSize} total={total} onOffset={(o) => setFilter('offset', String(o))} prev="Newer" next="Older" />}
    </section>
  )
}

/** Where an audited object is seen in the UI, or '' when it has no page. */
export function objectPath(type: string, id: string): string {
  switch (type) {
    case 'control': return `/controls/${id}`
    case 'engagement': return `/engagements/${id}`
    case 'evidence': return `/evidence/${id}`
    case 'task': return '/team-tasks'
    case 'user': return '/users'
    case 'requirement': {
      const [framework = '', ref = ''] = id.split('/')
      return ref ? `/catalog/${encodeURIComponent(framework)}?q=${encodeURIComponent(ref)}` : ''
    }
    default: return ''
  }
}

const typeNames: Record<string, string> = { api_token: 'API token', ingest_source: 'scanner source', ingest_rule: 'scanner rule', ingest_run: 'scan' }

/** "control CM-02 Access review", linked to the control; an object gone since keeps its id. */
function AuditObject({ entry: e }: { entry: AuditEntry }) {
  const type = typeNames[e.object_type] ?? e.object_type
  const label = e.object_name || (e.object_type === 'requirement' ? (e.object_id.split('/').pop() ?? '') : e.object_id ? `#${e.object_id}` : '')
  const path = e.object_name ? objectPath(e.object_type, e.object_id) : ''
  return <>{type} {path ? <Link to={path}>{label}</Link> : label}</>
}

export function describeChanges(changes: AuditEntry['changes']): string {
  return Object.entries(changes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([field, c]) => `${field}: ${show(c.before)} → ${show(c.after)}`)
    .join('; ')
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '–'
  return typeof v === 'string' ? v : JSON.stringify(v)
}
