import { Link, useSearchParams } from 'react-router'
import type { Dashboard, DashboardPart } from '../api'
import { LoadError } from '../LoadError'
import { useDashboard, useEngagementChoices } from '../queries/dashboard'
import { messageOf } from './CatalogPage'
import { monthLabel, PeriodChart, ProgressRing, StackedBar } from './charts'
import { AutomatedCard } from './AutomatedHistory'
import { conclusionWords } from '../conclusions'

const words = conclusionWords

/** Where each readiness number leads: the list behind it. */
function partLink(part: DashboardPart, engagementId?: number): string {
  const organisation: Record<string, string> = { tasks: '/team-tasks?state=overdue', evidence: '/evidence?expiring_days=0' }
  if (!engagementId) return organisation[part.key] ?? '/coverage'
  const anchors: Record<string, string> = { design: 'readiness-title', tests: 'readiness-title', windows: 'occurrence-grid', samples: 'occurrence-grid' }
  return `/engagements/${engagementId}#${anchors[part.key] ?? 'readiness-title'}`
}

/**
 * The compliance lead's morning page: are we ready, and what is in the way?
 * For one engagement (?engagement=ID) or the whole organisation.
 */
export function DashboardPage() {
  const [params, setParams] = useSearchParams()
  const selected = Number(params.get('engagement')) || undefined
  const list = useEngagementChoices().data ?? []
  const q = useDashboard(selected)
  const d = q.data

  return (
    <section className="page wide-page dashboard" aria-labelledby="dashboard-title">
      <div className="dashboard-head">
        <h1 id="dashboard-title">{d?.engagement ? d.engagement.name : 'Organisation'}</h1>
        <label>
          Show
          <select
            id="dashboard-engagement"
            value={selected ?? ''}
            onChange={(e) => setParams(e.target.value ? { engagement: e.target.value } : {})}
          >
            <option value="">Whole organisation</option>
            {list.map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
          </select>
        </label>
        {d && <span className="hint">as of <time dateTime={d.today}>{d.today}</time></span>}
      </div>
      {q.isError && <LoadError what="the dashboard" message={messageOf(q.error)} onRetry={() => void q.refetch()} />}
      {!d && q.isPending && <p className="loading">Loading…</p>}
      {d && <DashboardBody d={d} />}
    </section>
  )
}

function DashboardBody({ d }: { d: Dashboard }) {
  const id = d.engagement?.id
  return (
    <div className="dashboard-grid">
      <section className="card readiness" aria-labelledby="dash-readiness">
        <h2 id="dash-readiness">Readiness</h2>
        <div className="readiness-figure">
          <ProgressRing percent={d.readiness.percent} />
          <p className="visually-hidden">Readiness <span id="dashboard-readiness">{d.readiness.percent}</span> percent</p>
        </div>
        <table className="data compact" id="readiness-parts">
          <caption className="visually-hidden">What readiness is made of</caption>
          <tbody>
            {d.readiness.parts.map((p) => (
              <tr key={p.key}>
                <th scope="row"><Link to={partLink(p, id)}>{p.name}</Link></th>
                <td className="num">{p.done} of {p.total}</td>
                <td><StackedBar segments={[{ value: p.done, className: 'bar-fill' }]} max={p.total} /></td>
              </tr>
            ))}
            {id && (
              <tr>
                <th scope="row"><Link to={`/engagements/${id}#eng-exceptions-title`}>exceptions</Link></th>
                <td className="num">{d.readiness.exceptions}</td>
                <td />
              </tr>
            )}
          </tbody>
        </table>
      </section>

      <Heatmap d={d} />
      {d.timeline && <Progress timeline={d.timeline} />}

      <section className="card" aria-labelledby="dash-tasks">
        <h2 id="dash-tasks">Tasks due by owner</h2>
        {d.tasks.length === 0 ? <p className="empty">Nothing is due or overdue.</p> : (
          <table className="data compact" id="dashboard-tasks">
            <thead><tr><th scope="col">Owner</th><th scope="col">Overdue</th><th scope="col">Due</th><th scope="col"><span className="visually-hidden">Chart</span></th></tr></thead>
            <tbody>
              {d.tasks.map((t) => (
                <tr key={t.owner_email || 'nobody'}>
                  <th scope="row">{t.owner_id ? <Link to={`/team-tasks?owner_id=${t.owner_id}`}>{t.owner_email}</Link> : <em>nobody</em>}</th>
                  <td className={`num${t.overdue ? ' alert' : ''}`}>{t.overdue}</td>
                  <td className="num">{t.due}</td>
                  <td><StackedBar segments={[{ value: t.overdue, className: 'overdue' }, { value: t.due, className: 'due' }]} max={Math.max(...d.tasks.map((x) => x.overdue + x.due))} width={90} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {d.automated && <AutomatedCard automated={d.automated} />}

      <section className="card" aria-labelledby="dash-exceptions">
        <h2 id="dash-exceptions">Open exceptions ({d.exceptions.length})</h2>
        {d.exceptions.length === 0 ? <p className="empty">None without a management response.</p> : (
          <ul className="plain" id="dashboard-exceptions">
            {d.exceptions.map((x) => (
              <li key={x.id}><Link to={`/engagements/${x.engagement_id}/controls/${x.control_id}`}><code>{x.control_ref}</code></Link> {x.description}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="dash-expiring">
        <h2 id="dash-expiring">Evidence expiring in 30 days ({d.expiring.length})</h2>
        {d.expiring.length === 0 ? <p className="empty">Nothing expires soon.</p> : (
          <ul className="plain" id="dashboard-expiring">
            {d.expiring.map((e) => (
              <li key={e.id}><span className={`state ${e.expired ? 'expired' : 'expiring'}`}>{e.expired ? 'expired' : 'expires'} {e.expires_on}</span> {e.title}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="dash-gaps">
        <h2 id="dash-gaps">Controls nobody can rely on yet</h2>
        {(['without_owner', 'without_mapping', 'without_evidence'] as const).map((k) => (
          <details key={k} id={`gaps-${k}`}>
            <summary>{words(k)}: <strong>{d.gaps[k].length}</strong></summary>
            <ul className="plain">
              {d.gaps[k].map((c) => <li key={c.id}><Link to={`/controls/${c.id}`}><code>{c.ref}</code></Link> {c.title}</li>)}
            </ul>
          </details>
        ))}
      </section>
    </div>
  )
}

/** In-scope requirements by series, coloured by their roll-up; each cell opens the controls mapped to it. */
function Heatmap({ d }: { d: Dashboard }) {
  const states = [...new Set(d.heatmap.flatMap((s) => s.cells.map((c) => c.state)))]
  return (
    <section className="card heatmap-card" aria-labelledby="dash-heatmap">
      <h2 id="dash-heatmap">{d.engagement?.report === 'soc1' ? 'Control objectives' : 'Criteria'} by series</h2>
      <div className="heatmap" aria-hidden="true">
        {d.heatmap.map((s) => (
          <div className="heatmap-row" key={s.name}>
            <span className="heatmap-series">{s.name}</span>
            {s.cells.map((c) => (
              <Link key={c.requirement} to={`/controls?requirement=${encodeURIComponent(c.requirement)}`} tabIndex={-1}
                className={`heat ${c.state}`} data-requirement={c.requirement} title={`${c.ref} ${c.title}: ${words(c.state)}`}>
                {c.ref}
              </Link>
            ))}
          </div>
        ))}
      </div>
      <p className="legend" aria-hidden="true">{states.map((s) => <span key={s} className={`heat ${s}`}>{words(s)}</span>)}</p>
      <table className="visually-hidden">
        <caption>Requirements and their state</caption>
        <thead><tr><th scope="col">Series</th><th scope="col">Requirement</th><th scope="col">State</th></tr></thead>
        <tbody>
          {d.heatmap.flatMap((s) => s.cells.map((c) => (
            <tr key={c.requirement}>
              <td>{s.name}</td>
              <td><Link to={`/controls?requirement=${encodeURIComponent(c.requirement)}`}>{c.ref} {c.title}</Link></td>
              <td>{words(c.state)}</td>
            </tr>
          )))}
        </tbody>
      </table>
    </section>
  )
}

function Progress({ timeline }: { timeline: NonNullable<Dashboard['timeline']> }) {
  return (
    <section className="card progress-card" aria-labelledby="dash-progress">
      <h2 id="dash-progress">Type II period {timeline.start} to {timeline.end}</h2>
      <p className="hint">Occurrence windows ending each month, and how many have evidence.</p>
      <div className="chart-scroll"><PeriodChart {...timeline} /></div>
      <table className="visually-hidden" id="dashboard-months">
        <caption>Occurrence windows with evidence per month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col">Windows</th><th scope="col">With evidence</th></tr></thead>
        <tbody>
          {timeline.months.map((m) => <tr key={m.month}><td>{monthLabel(m.month)}</td><td>{m.windows}</td><td>{m.covered}</td></tr>)}
        </tbody>
      </table>
    </section>
  )
}
