import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { engagements, windowStateNames, type DownloadJob, type Engagement, type GridControl, type GridQuery, type WindowState } from '../api'
import { Pager } from '../Pager'
import { messageOf } from './CatalogPage'
import { OperationLine, WindowActions } from './OccurrenceWindows'
import { LoadError } from '../LoadError'

export { shortLabel } from './OccurrenceWindows'

/** Controls per page of the engagement's grid. */
export const gridPageSize = 50

/** What the grid is narrowed to; '' for no filter. */
export interface GridFilters { missing: boolean; notConcluded: boolean; owner: string; frequency: string }

export const noFilters: GridFilters = { missing: false, notConcluded: false, owner: '', frequency: '' }

/** The API query of a page of in-scope controls under the filters. */
export function gridQuery(f: GridFilters, offset: number): GridQuery {
  const q: GridQuery = { scope: 'included', limit: gridPageSize, offset }
  if (f.missing) q.missing = 'true'
  if (f.notConcluded) q.not_concluded = 'true'
  if (f.owner) q.owner = f.owner
  if (f.frequency) q.frequency = f.frequency
  return q
}

/** Marks the engagement's controls stale: after a change to its scope, windows or results. */
export function useGridChanged(id: number): () => Promise<void> {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: ['engagements', id, 'controls'] })
}

/** Every control of the engagement by name, for pickers and the excluded list. */
export function useBriefControls(id: number) {
  return useQuery({ queryKey: ['engagements', id, 'controls', 'brief'], queryFn: () => engagements.brief(id).then((r) => r.controls) })
}

/**
 * The engagement's controls in scope, a page at a time from the server,
 * filtered there: missing evidence only, not concluded, an owner, a
 * frequency. The heading names how many are in scope, the pager how many
 * match.
 */
export function EngagementGrid({ e, edits }: { e: Engagement; edits: boolean }) {
  const id = e.id
  const [filters, setFilters] = useState<GridFilters>(noFilters)
  const [offset, setOffset] = useState(0)
  const changed = useGridChanged(id)
  const page = useQuery({
    queryKey: ['engagements', id, 'controls', 'grid', filters, offset],
    queryFn: () => engagements.grid(id, gridQuery(filters, offset)),
    placeholderData: keepPreviousData,
  })
  const apply = (f: GridFilters) => { setFilters(f); setOffset(0) }
  if (page.isError) return <LoadError what="the engagement's controls" message={messageOf(page.error)} onRetry={() => void page.refetch()} />
  if (!page.data) return <p className="loading">Loading the controls…</p>
  const { controls, total, counts } = page.data
  const filtered = filters !== noFilters
  return (
    <>
      <h2 id="controls-in-scope">Controls in scope ({counts.in_scope})</h2>
      {counts.in_scope === 0 && <p className="empty">No control is mapped to the requirements in scope yet.</p>}
      {counts.in_scope > 0 && (
        <>
          <GridFilterForm filters={filters} owners={counts.owners} frequencies={counts.frequencies} typeII={e.type === 'type2'}
            missing={counts.missing} notConcluded={counts.not_concluded} onApply={apply} />
          <Pager offset={offset} pageSize={gridPageSize} total={total} shown={controls.length} onOffset={setOffset} label="Pages of controls" />
          {total === 0 && filtered && <p className="empty" id="grid-none">No control in scope matches these filters.</p>}
          {e.type === 'type2' && controls.length > 0 && <OccurrenceGrid engagementId={id} controls={controls} />}
          {e.type === 'type1' && controls.length > 0 && <DesignTable id={id} asOf={e.as_of} controls={controls} />}
          {e.type === 'type2' && edits && controls.length > 0 && <WindowActions key={offset} engagementId={id} controls={controls} onChanged={() => void changed()} />}
        </>
      )}
    </>
  )
}

function GridFilterForm({ filters, owners, frequencies, typeII, missing, notConcluded, onApply }: {
  filters: GridFilters; owners: string[]; frequencies: string[]; typeII: boolean; missing: number; notConcluded: number; onApply: (f: GridFilters) => void
}) {
  const f = filters
  const submit = (ev: FormEvent) => { ev.preventDefault(); onApply(f) }
  return (
    <form className="inline-form grid-filters" id="grid-filters" onSubmit={submit} aria-label="Filter the controls">
      {typeII && (
        <label><input type="checkbox" id="filter-missing" checked={f.missing} onChange={(ev) => onApply({ ...f, missing: ev.target.checked })} />
          Missing evidence only ({missing})</label>
      )}
      <label><input type="checkbox" id="filter-not-concluded" checked={f.notConcluded} onChange={(ev) => onApply({ ...f, notConcluded: ev.target.checked })} />
        Not concluded ({notConcluded})</label>
      <label>Owner
        <select id="filter-owner" value={f.owner} onChange={(ev) => onApply({ ...f, owner: ev.target.value })}>
          <option value="">any</option>
          {owners.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
      <label>Frequency
        <select id="filter-frequency" value={f.frequency} onChange={(ev) => onApply({ ...f, frequency: ev.target.value })}>
          <option value="">any</option>
          {frequencies.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
      {(f.missing || f.notConcluded || f.owner || f.frequency) && <button type="button" onClick={() => onApply(noFilters)}>Clear filters</button>}
    </form>
  )
}

function DesignTable({ id, asOf, controls }: { id: number; asOf: string | null; controls: GridControl[] }) {
  return (
    <table className="data" id="design-table">
      <thead><tr><th scope="col">Control</th><th scope="col">Requirements</th><th scope="col">Implemented on</th><th scope="col">Evidence after the as-of date</th><th scope="col">Stale evidence</th></tr></thead>
      <tbody>
        {controls.map((c) => (
          <tr key={c.id} data-control={c.ref}>
            <td><Link to={`/engagements/${id}/controls/${c.id}`}><code>{c.ref}</code></Link> {c.title}</td>
            <td>{c.requirements.join(', ')}</td>
            <td>{c.implemented_after_as_of ? <span className="state expired implemented-after">{c.implemented_on}, after {asOf}</span> : c.implemented_on ?? '–'}</td>
            <td>{c.evidence_after_as_of.length > 0 ? <span className="state expired">{c.evidence_after_as_of.length} item(s) dated after {asOf}</span> : '–'}</td>
            <td>{c.evidence_stale.length > 0 ? <span className="state expired">{c.evidence_stale.length} item(s) stale for this as-of date</span> : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * Controls × occurrence windows, counted by state: not yet due (it has not
 * ended), due (ended, within its grace period), covered, missing (past due
 * without evidence) or not expected (marked, with the reason). The
 * control's own page shows each window.
 */
function OccurrenceGrid({ engagementId, controls }: { engagementId: number; controls: GridControl[] }) {
  return (
    <div className="matrix-wrap">
      <p className="legend" aria-hidden="true">
        {(Object.keys(windowStateNames) as WindowState[]).map((s) => <span key={s}><span className={`cell ${s}`} /> {windowStateNames[s]} </span>)}
      </p>
      <table className="data grid" id="occurrence-grid">
        <caption className="visually-hidden">Occurrence windows per control, counted by state: not yet due, due, covered, missing or not expected</caption>
        <thead>
          <tr><th scope="col">Control</th><th scope="col">Frequency</th><th scope="col">Sample</th><th scope="col">Windows</th></tr>
        </thead>
        <tbody>
          {controls.map((c) => (
            <tr key={c.id} data-control={c.ref}>
              <th scope="row"><Link to={`/engagements/${engagementId}/controls/${c.id}`}><code>{c.ref}</code></Link></th>
              <td>{c.frequency}<br /><OperationLine c={c} /></td>
              <td title={c.sample?.reason ?? c.sample_note}>{c.sample ? `${c.sample.size} of ${c.sample.population}` : '—'}</td>
              <td>
                <WindowCounts c={c} />
                {c.evidence_outside_period.length > 0 && <span className="state expired"> {c.evidence_outside_period.length} evidence item(s) outside the period</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One cell per state the control's windows are in, with how many are. */
export function WindowCounts({ c }: { c: GridControl }) {
  const s = c.window_summary
  const counted = s.expected - s.counts.not_yet_due - s.counts.not_expected
  const states = (Object.keys(windowStateNames) as WindowState[]).filter((k) => s.counts[k] > 0)
  return (
    <span className="cells" aria-label={`${s.counts.covered} of ${counted} windows due so far have evidence; ${s.expected} expected in the period`}>
      {states.map((k) => (
        <span key={k} data-state={k} className={`cell count ${k}`} title={`${s.counts[k]} ${windowStateNames[k]}`}>{s.counts[k]}</span>
      ))}
      {s.partial > 0 && <span className="muted"> {s.partial} partial</span>}
      {s.expected === 0 && <span className="muted">{c.sample_note || 'no occurrence windows'}</span>}
    </span>
  )
}

const size = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 })

/** How far a download has got, in words and as a share (null when unknown). */
export function downloadProgress(job: DownloadJob, now: number): { words: string; share: number | null } {
  if (job.state === 'ready') return { words: `Ready: ${job.file_name}`, share: 1 }
  if (job.state === 'failed') return { words: `Could not be prepared: ${job.error}`, share: null }
  const elapsed = Math.max(0, now - Date.parse(job.started_at))
  const written = job.bytes > 0 ? `, ${size.format(job.bytes / 1048576)} MB written` : ''
  const seconds = `${Math.round(elapsed / 1000)} s`
  if (job.expected_ms > 0) {
    // Estimated from the last such file; never claims done before it is.
    const share = Math.min(0.95, elapsed / job.expected_ms)
    return { words: `Preparing… ${seconds} of about ${Math.max(1, Math.round(job.expected_ms / 1000))} s${written}`, share }
  }
  return { words: `Preparing… ${seconds}${written}`, share: null }
}

/**
 * A download prepared on the server: the button starts it, a progress bar
 * follows it, and a notice with the link says when it is ready.
 */
export function PreparedDownload({ id, kind, label }: { id: number; kind: 'workbook' | 'package'; label: string }) {
  const [jobId, setJobId] = useState('')
  const [error, setError] = useState('')
  const job = useQuery({
    queryKey: ['engagements', id, 'download', jobId],
    queryFn: () => engagements.download(id, jobId).then((r) => r.job),
    enabled: jobId !== '',
    refetchInterval: (q) => (q.state.data?.state === 'preparing' || !q.state.data ? 1000 : false),
  })
  const start = () => {
    setError('')
    engagements.startDownload(id, kind).then((r) => setJobId(r.job.id), (err: unknown) => setError(messageOf(err)))
  }
  const j = jobId ? job.data : undefined
  const p = j ? downloadProgress(j, job.dataUpdatedAt) : null
  return (
    <span className="prepared-download" data-kind={kind}>
      <button type="button" id={`prepare-${kind}`} disabled={j?.state === 'preparing' || (jobId !== '' && !j)} onClick={start}>{label}</button>
      {j && p && (
        <span role="status" className="download-status">
          {j.state === 'preparing' && <progress max={1} value={p.share ?? undefined} aria-label={`Preparing the ${kind}`} />}
          {' '}{p.words}
          {j.state === 'ready' && <> <a id={`download-${kind}-ready`} href={j.file_url} download={j.file_name} onClick={() => setJobId('')}>Download</a></>}
        </span>
      )}
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  )
}
