import { Link } from 'react-router'
import { program } from '../api'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { Pager } from '../Pager'
import { LoadError } from '../LoadError'
import { SortHeader } from '../SortHeader'
import { period } from './ControlPage'

const pageSize = 50
const filterNames = ['kind', 'q', 'expiring_days', 'sort']
const fetchEvidence = (q: Record<string, string | number>) => program.evidence(q).then((r) => ({ rows: r.evidence, total: r.total }))

/** The evidence library: every live evidence item, filterable. */
export function EvidencePage() {
  const set = useParamSetter()
  const { rows, total, error, retry, offset, params } = useUrlListPage('evidence', filterNames, pageSize, fetchEvidence)
  const sort = params.get('sort') ?? '-id'

  return (
    <section className="page" aria-labelledby="evidence-lib-title">
      <h1 id="evidence-lib-title">Evidence library</h1>
      <div className="filters">
        <label className="search">Search<input type="search" defaultValue={params.get('q') ?? ''} placeholder="Title or description" onChange={(e) => set('q', e.target.value, { replace: true })} /></label>
        <label>Kind
          <select value={params.get('kind') ?? ''} onChange={(e) => set('kind', e.target.value)}>
            <option value="">Any</option><option value="file">file</option><option value="link">link</option><option value="note">note</option>
          </select>
        </label>
        <label className="check"><input type="checkbox" checked={params.has('expiring_days')} onChange={(e) => set('expiring_days', e.target.checked ? '30' : '')} /> Expired or expiring within 30 days</label>
      </div>
      {error && <LoadError what="the evidence library" message={error} onRetry={retry} />}
      {rows && <p className="result-count">{total} evidence {total === 1 ? 'item' : 'items'}</p>}
      {rows && rows.length > 0 && (
        <table className="data" id="evidence-table">
          <thead>
            <tr>
              <SortHeader label="ID" sortKey="id" sort={sort} onSort={(v) => set('sort', v)} />
              <SortHeader label="Title" sortKey="title" sort={sort} onSort={(v) => set('sort', v)} />
              <th scope="col">Kind</th><th scope="col">Controls</th><th scope="col">Period</th>
              <SortHeader label="Expires" sortKey="expires" sort={sort} onSort={(v) => set('sort', v)} />
              <th scope="col">File</th><th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td><Link to={`/evidence/${e.id}`}>{e.title}</Link></td>
                <td>{e.kind}</td>
                <td>{e.controls}</td>
                <td>{period(e)}</td>
                <td>{e.expires_on ? <span className={`state ${e.status}`}>{e.expires_on}</span> : '–'}</td>
                <td>{e.kind === 'file' ? <a href={program.downloadURL(e.id)}>{e.file_name}</a> : '–'}{e.revisions > 1 && <span className="muted"> (rev {e.revisions})</span>}</td>
                <td><code className="hash" title={e.sha256}>{e.sha256 ? e.sha256.slice(0, 12) + '…' : ''}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length > 0 && <Pager offset={offset} pageSize={pageSize} total={total} onOffset={(o) => set('offset', String(o))} prev="Newer" next="Older" />}
    </section>
  )
}
