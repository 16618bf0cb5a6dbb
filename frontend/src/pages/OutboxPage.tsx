import { tasks, type Digest } from '../api'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { LoadError } from '../LoadError'
import { Pager } from '../Pager'

// A digest carries the whole of an owner's task list: on the large
// programme fifty of them were 2.9 MB, ten stay well under a megabyte.
const pageSize = 10
const fetchOutbox = (q: Record<string, string | number>) => tasks.outbox(q).then((r) => ({ rows: r.digests, total: r.total }))

/** The reminder digests socmap sent, or keeps here when no mail server is set up. */
export function OutboxPage() {
  const setFilter = useParamSetter()
  const { rows, total, error, retry, offset } = useUrlListPage<Digest>('outbox', [], pageSize, fetchOutbox)
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
                <td>
                  <details>
                    <summary>{d.subject}</summary>
                    <pre className="digest">{d.body}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length > 0 && <Pager offset={offset} pageSize={pageSize} total={total} onOffset={(o) => setFilter('offset', String(o))} prev="Newer" next="Older" />}
    </section>
  )
}
