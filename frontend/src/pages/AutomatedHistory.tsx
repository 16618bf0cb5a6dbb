import { useState } from 'react'
import { Link } from 'react-router'
import { program, type Dashboard, type HistoryRun } from '../api'
import { useAutomatedHistory } from '../queries/ingest'
import { Counts, outcomeLabels } from './AutomatedPage'
import { messageOf } from './CatalogPage'

const day = (d: Date) => d.toISOString().slice(0, 10)

function lastDays(n: number): { from: string; to: string } {
  const to = new Date()
  const from = new Date(to.getTime() - (n - 1) * 86_400_000)
  return { from: day(from), to: day(to) }
}

const outcomeBadge: Record<string, string> = { pass: 'state-done', fail: 'state-overdue', skip: 'state-upcoming' }
const windowBadge: Record<string, string> = {
  covered: 'state-done', failed: 'state-overdue', missing: 'state-overdue', due: 'state-due', not_yet_due: 'state-upcoming',
}
const windowWords: Record<string, string> = {
  covered: 'covered by a passing scan', failed: 'only failing scans', missing: 'no scan', due: 'due', not_yet_due: 'not yet due',
}

/**
 * A control's automated evidence over a period: the checks that feed it,
 * a trend of each scan's passing and failing results, its windows and which
 * a passing scan covers, and every scan with its failing resources.
 */
export function AutomatedHistory({ controlId }: { controlId: number }) {
  const [range, setRange] = useState(() => lastDays(90))
  const { data: h, error } = useAutomatedHistory(controlId, range.from, range.to)
  if (error) return <section className="card"><p className="error" role="alert">{messageOf(error)}</p></section>
  if (!h || (h.checks.length === 0 && h.runs.length === 0)) return null
  const covered = h.windows.filter((w) => w.state === 'covered').length
  return (
    <section className="card" id="automated" aria-labelledby="automated-history-title">
      <h2 id="automated-history-title">Automated checks</h2>
      <form className="inline-form period-picker" aria-label="Period" onSubmit={(e) => e.preventDefault()}>
        <label>From <input id="history-from" type="date" value={range.from} max={range.to} onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })} /></label>{' '}
        <label>to <input id="history-to" type="date" value={range.to} min={range.from} onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })} /></label>
      </form>
      <p className="hint">
        Fed by {h.checks.length} {h.checks.length === 1 ? 'check' : 'checks'}:{' '}
        {h.checks.map((c, i) => (
          <span key={c.check_id}>{i > 0 && ', '}<code title={c.title}>{c.check_id}</code></span>
        ))}{' '}
        (<Link to="/automated">mapping</Link>).
      </p>
      {h.runs.length === 0 && <p className="empty">No scans in this period.</p>}
      {h.runs.length > 0 && <RunTrend runs={h.runs} from={h.from} to={h.to} />}
      {h.windows.length > 0 && (
        <div className="history-windows">
          <p id="history-coverage">
            {covered} of {h.windows.length} {h.windows.length === 1 ? 'window' : 'windows'} covered by a passing scan
          </p>
          {/* Many windows (a daily control) are small cells; a few carry their labels. */}
          <ul className={h.windows.length > 14 ? 'window-cells' : 'window-badges'}>
            {h.windows.map((w) => (
              <li key={w.start} className={`badge ${windowBadge[w.state] ?? ''}`} title={`${w.label}: ${windowWords[w.state] ?? w.state}`}>
                {h.windows.length > 14 ? <span className="visually-hidden">{w.label}</span> : w.label}
                <span className="visually-hidden">: {windowWords[w.state] ?? w.state}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {h.runs.length > 0 && (
        <table className="data" id="history-runs">
          <caption className="visually-hidden">Scans of the period and their results for this control</caption>
          <thead>
            <tr>
              <th scope="col">Scanned</th>
              <th scope="col">Source</th>
              <th scope="col">Outcome</th>
              <th scope="col">Results</th>
              <th scope="col">Failing resources</th>
            </tr>
          </thead>
          <tbody>
            {[...h.runs].reverse().map((r) => (
              <tr key={r.run_id} data-run={r.run_id}>
                <td><a href={program.downloadURL(r.evidence_id)}><time dateTime={r.scanned_at}>{new Date(r.scanned_at).toLocaleString()}</time></a></td>
                <td>{r.source}</td>
                <td><span className={`badge ${outcomeBadge[r.outcome]}`}>{outcomeLabels[r.outcome]}</span></td>
                <td><Counts c={r} /></td>
                <td>
                  {r.failing.length > 0 && (
                    <ul className="failing">
                      {r.failing.map((f) => (
                        <li key={f.id}><code>{f.check_id}</code> {f.resource || <em>no resource</em>}{f.message && <span className="muted"> — {f.message}</span>}</li>
                      ))}
                    </ul>
                  )}
                  {r.failing_total > r.failing.length && <span className="muted">and {r.failing_total - r.failing.length} more</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/**
 * The period from left to right, one bar per scan at its time: its passing
 * results above the line in green, failing and erroring ones below it in
 * red, with the period's first and last days written under it. The table
 * of scans below has the same numbers.
 */
function RunTrend({ runs, from, to }: { runs: HistoryRun[]; from: string; to: string }) {
  const width = 640
  const half = 50
  const t0 = Date.parse(from)
  const span = Math.max(1, Date.parse(to) + 86_400_000 - t0)
  const bar = Math.max(2, Math.min(12, Math.floor(width / runs.length) - 1))
  const max = Math.max(1, ...runs.map((r) => Math.max(r.passed, r.failed + r.errored)))
  return (
    <div className="chart-scroll">
      <svg className="chart trend" width={width + 2} height={half * 2 + 30} viewBox={`-1 0 ${width + 2} ${half * 2 + 30}`} aria-hidden="true">
        <rect x={0} y={0} width={width} height={half * 2} className="bar-track" />
        <line x1={0} x2={width} y1={half} y2={half} className="axis" />
        {runs.map((r) => {
          const x = Math.min(width - bar, Math.max(0, ((Date.parse(r.scanned_at) - t0) / span) * width - bar / 2))
          const up = (r.passed / max) * (half - 12)
          const down = ((r.failed + r.errored) / max) * (half - 12)
          return (
            <g key={r.run_id}>
              <title>{`${r.scanned_at.slice(0, 16).replace('T', ' ')} ${r.source}: ${r.passed} passed, ${r.failed + r.errored} failed`}</title>
              <rect x={x} y={half - up} width={bar} height={up} className="bar-fill outlined" />
              <rect x={x} y={half} width={bar} height={down} className="overdue outlined" />
            </g>
          )
        })}
        <text x={4} y={11} className="small-label">passed</text>
        <text x={4} y={half * 2 - 4} className="small-label">failed</text>
        <text x={0} y={half * 2 + 14} className="small-label">{from}</text>
        <text x={width} y={half * 2 + 14} textAnchor="end" className="small-label">{to}</text>
      </svg>
    </div>
  )
}

/** The dashboard's card: controls failing their latest scans, silent sources. */
export function AutomatedCard({ automated: a }: { automated: NonNullable<Dashboard['automated']> }) {
  return (
    <section className="card" aria-labelledby="dash-automated">
      <h2 id="dash-automated">Automated checks</h2>
      {a.failing.length === 0 && a.stale.length === 0 && <p className="empty">The latest scan of every source passes ({a.sources} {a.sources === 1 ? 'source' : 'sources'}).</p>}
      {a.failing.length > 0 && (
        <>
          <p>Failing the latest scan ({a.failing.length}):</p>
          <ul className="plain" id="dashboard-failing">
            {a.failing.map((f) => (
              <li key={f.id}>
                <Link to={`/controls/${f.id}#automated`}><code>{f.ref}</code></Link> {f.title}{' '}
                <span className="muted">{f.failed} failing in {f.sources.join(', ')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {a.stale.length > 0 && (
        <>
          <p>Not reporting ({a.stale.length}):</p>
          <ul className="plain" id="dashboard-stale">
            {a.stale.map((s) => (
              <li key={s.id}>
                <Link to="/automated">{s.name}</Link>{' '}
                <span className="muted">last scan {s.last_scanned_at ? new Date(s.last_scanned_at).toLocaleString() : 'never'}, owner {s.owner_email || 'nobody'}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
