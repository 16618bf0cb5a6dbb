import { useState } from 'react'
import { tasks, type DigestSummary } from '../api'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { LoadError } from '../LoadError'
import { Pager } from '../Pager'
import { useDigestBody } from '../queries/tasks'
import { messageOf } from './CatalogPage'

// The list leaves the bodies out (an owner's whole task list each: fifty
// were 2.9 MB on the large programme), so a page of fifty stays small; a
// body is read when its digest is opened.
const pageSize = 50
const fetchOutbox = (q: Record<string, string | number>) => tasks.outbox(q).then((r) => ({ rows: r.digests, total: r.total }))

/** The reminder digests socmap sent, or keeps here when no mail server is set up. */
export function OutboxPage() {
  const setFilter = useParamSetter()
  const { rows, total, error, retry, offset } = useUrlListPage<DigestSummary>('outbox', [], pageSize, fetchOutbox)
  return (
    <section className="page" aria-labelledby="outbox-title">
      <h1 id="outbox-title">Outbox</h1>
      <p className="hint">
        Task digests, newest first. Without a mail server (<code>--smtp-host</code>) they stay here with status “outbox”; a digest the
        server refused is retried three times.
      </p>
      {error && <LoadError what="the outbox" message={error} onRetry={retry} />}
      {rows && rows.length === 0 && <p>No digests yet.</p>}
      {rows && rows.length > 0 && (
        <table className="data" id="outbox-table">
          <thead>
            <tr>
              <th scope="col">Created (UTC)</th>
              <th scope="col">To</th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col">Size</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td><time dateTime={d.created_at}>{d.created_at.replace('T', ' ').slice(0, 16)}</time></td>
                <td>{d.recipient}</td>
                <td>{d.period}</td>
                <td>{d.status}{d.error && <div className="error">{d.error}</div>}</td>
                <td>{kilobytes(d.size)}</td>
                <td><DigestMessage d={d} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length > 0 && <Pager offset={offset} pageSize={pageSize} total={total} onOffset={(o) => setFilter('offset', String(o))} prev="Newer" next="Older" />}
    </section>
  )
}

const kilobytes = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`)

/** A digest's subject; opening it reads the body, once. */
function DigestMessage({ d }: { d: DigestSummary }) {
  const [open, setOpen] = useState(false)
  const body = useDigestBody(d.id, open)
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{d.subject}</summary>
      {body.data !== undefined && <pre className="digest">{body.data}</pre>}
      {body.isPending && open && <p className="loading" role="status">Loading the message…</p>}
      {body.error && <p className="error" role="alert">{messageOf(body.error)}</p>}
    </details>
  )
}
