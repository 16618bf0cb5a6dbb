import { api, type AuditEntry } from '../api'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { Pager } from '../Pager'

const pageSize = 50
const filterNames = ['action', 'object_type', 'actor', 'from', 'to']
const fetchAudit = (q: Record<string, string | number>) => api.audit(q).then((r) => ({ rows: r.entries, total: r.total }))

/** Read and filter the audit trail; filters live in the URL. */
export function AuditPage() {
  const setFilter = useParamSetter()
  const { rows: entries, total, error, offset, params } = useUrlListPage('audit', filterNames, pageSize, fetchAudit)

  return (
    <section className="page" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p className="hint">Every change, sign-in, export and download, newest first. Entries are hash-chained: <code>socmap audit verify</code> checks them.</p>
      <div className="filters">
        <label>
          Action
          <input id="audit-action" placeholder="e.g. user.update" defaultValue={params.get('action') ?? ''} onBlur={(e) => setFilter('action', e.target.value.trim())} />
        </label>
        <label>
          Object type
          <input id="audit-object-type" placeholder="e.g. user" defaultValue={params.get('object_type') ?? ''} onBlur={(e) => setFilter('object_type', e.target.value.trim())} />
        </label>
        <label>
          Actor
          <input id="audit-actor" placeholder="e-mail address" defaultValue={params.get('actor') ?? ''} onBlur={(e) => setFilter('actor', e.target.value.trim())} />
        </label>
        <label>
          From
          <input id="audit-from" type="date" defaultValue={params.get('from') ?? ''} onChange={(e) => setFilter('from', e.target.value)} />
        </label>
        <label>
          To
          <input id="audit-to" type="date" defaultValue={params.get('to') ?? ''} onChange={(e) => setFilter('to', e.target.value)} />
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
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
                <td>{e.object_type} {e.object_id}</td>
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
