import { useState, type FormEvent } from 'react'
import { Pager } from '../Pager'
import { SearchPicker, type Choice } from '../SearchPicker'
import { PersonPicker } from '../PersonPicker'
import { Toast, type ToastMessage } from '../Toast'
import { searchControlsByRef } from '../pickers'
import { Link } from 'react-router'
import { ApiError, program, type IngestCheck, type IngestCounts, type IngestRun, type IngestSource, type Ingested } from '../api'
import {
  useCreateRule, useDeleteRule, useImportRules, useIngestChecks, useIngestRun, useIngestRules, useIngestRuns,
  useIngestSources, useUpdateSource, useUploadScan,
} from '../queries/ingest'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { LoadError } from '../LoadError'

/**
 * Automated evidence: the scanners that report, their scans, the checks no
 * control takes yet, and the rules that map checks to controls.
 */
export function AutomatedPage() {
  const { can } = useSession()
  const manage = can('program.manage')
  return (
    <section className="page wide-page" aria-labelledby="automated-title">
      <h1 id="automated-title">Automated evidence</h1>
      <p className="hint">
        Scanners and CI jobs send their output to <code>POST /api/v1/ingest</code> with a read-write token (see docs/ingest.md
        for Prowler, InSpec and Powerpipe). Each scan is kept as evidence, linked to the controls it passed; a failing
        check opens a task for the control&apos;s owner.
      </p>
      {can('ingest.write') && <UploadScan />}
      <Sources manage={manage} />
      <UnmappedChecks manage={manage} />
      <Rules manage={manage} />
      <Runs />
    </section>
  )
}

export const outcomeLabels: Record<string, string> = { pass: 'passed', fail: 'failed', skip: 'skipped only', error: 'could not run' }

export function Counts({ c }: { c: IngestCounts }) {
  return (
    <span className="counts">
      {c.passed} passed, <span className={c.failed ? 'bad' : ''}>{c.failed} failed</span>
      {c.errored > 0 && <>, <span className="bad">{c.errored} could not run</span></>}
      {c.skipped > 0 && <>, {c.skipped} skipped</>}
    </span>
  )
}

function when(t: string | null): string {
  return t ? new Date(t).toLocaleString() : 'never'
}

function UploadScan() {
  const upload = useUploadScan()
  const [file, setFile] = useState<File | null>(null)
  const [source, setSource] = useState('')
  const [done, setDone] = useState<Ingested | null>(null)

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!file) return
    setDone(null)
    upload.mutate({ file, source }, { onSuccess: setDone })
  }
  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="upload-scan-title">
      <h2 id="upload-scan-title" className="wide">Send a scan</h2>
      <label>
        Scanner output
        <input id="scan-file" type="file" required accept=".json,.csv,application/json,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>
        Source (optional)
        <input id="scan-source" placeholder="e.g. aws-prod; default: the tool's name" value={source} onChange={(e) => setSource(e.target.value)} />
      </label>
      <div className="actions"><button type="submit" className="primary" disabled={upload.isPending}>Ingest</button></div>
      {upload.error && <p className="error wide" role="alert">{messageOf(upload.error)}</p>}
      {done && (
        <div className="notice wide" role="status" id="scan-result">
          {done.created ? (
            <>
              <p>
                Run {done.run.id}: {done.run.tool} scan of {done.run.source}, <Counts c={done.run} />.
              </p>
              <p>
                Controls passed: {done.controls_passed.map((c) => c.ref).join(', ') || 'none'}. Controls failed:{' '}
                {done.controls_failed.map((c) => c.ref).join(', ') || 'none'}. Checks no control takes: {done.unmapped_checks.length}.
              </p>
            </>
          ) : (
            <p>This scan was ingested before (run {done.run.id}); nothing changed.</p>
          )}
        </div>
      )}
    </form>
  )
}

function Sources({ manage }: { manage: boolean }) {
  const { data: sources, error, refetch } = useIngestSources()
  const [toast, setToast] = useState<ToastMessage | null>(null)
  return (
    <section className="card" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <Toast message={toast} onClose={() => setToast(null)} />
      {error && <LoadError what="the scanner sources" message={messageOf(error)} onRetry={() => void refetch()} />}
      {sources && sources.length === 0 && <p className="empty">No scanner has reported yet.</p>}
      {sources && sources.length > 0 && (
        <table className="data" id="ingest-sources">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Tool</th>
              <th scope="col">Last scan</th>
              <th scope="col">Expected every</th>
              <th scope="col">Owner</th>
              <th scope="col">Scans</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => <SourceRow key={s.id} source={s} manage={manage} onSaved={setToast} />)}
          </tbody>
        </table>
      )}
    </section>
  )
}

function SourceRow({ source: s, manage, onSaved }: { source: IngestSource; manage: boolean; onSaved: (m: ToastMessage) => void }) {
  const update = useUpdateSource()
  // A new owner is a quick edit: Undo gives the source back the one it had (0: nobody).
  const setOwner = (to: string, label: string) => update.mutate({ id: s.id, owner_id: Number(to) || 0 }, {
    onSuccess: () => onSaved({
      text: to ? `${label} now owns ${s.name}.` : `${s.name} has no owner now.`,
      undo: () => update.mutateAsync({ id: s.id, owner_id: s.owner_id ?? 0 }),
    }),
  })
  const [hours, setHours] = useState(String(s.interval_hours))
  const fields = update.error instanceof ApiError ? update.error.fields : {}
  return (
    <tr data-source={s.name}>
      <td>
        {s.name}{' '}
        {s.stale ? (
          <span className="badge state-overdue">stale since {when(s.stale_since)}</span>
        ) : (
          <span className="badge state-done">reporting</span>
        )}
      </td>
      <td>{s.tool}</td>
      <td>{when(s.last_scanned_at)}</td>
      <td>
        {manage ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              update.mutate({ id: s.id, interval_hours: Number(hours) })
            }}
          >
            <input aria-label={`Hours between reports of ${s.name}`} className="interval" type="number" min={1} value={hours} onChange={(e) => setHours(e.target.value)} /> hours{' '}
            <button type="submit">Save</button>
            {(fields.interval_hours || update.error) && <span className="field-error">{fields.interval_hours ?? messageOf(update.error)}</span>}
          </form>
        ) : (
          `${s.interval_hours} hours`
        )}
      </td>
      <td>
        {manage ? (
          <PersonPicker id={`source-owner-${s.id}`} label={`Owner of ${s.name}`} placeholder="Nobody: type a name" filter={{ active: true }}
            value={String(s.owner_id ?? '')} onChange={(v, c) => setOwner(v, c?.label ?? '')} />
        ) : (
          s.owner_email || <em>nobody</em>
        )}
        {fields.owner_id && <span className="field-error">{fields.owner_id}</span>}
      </td>
      <td>{s.runs}</td>
    </tr>
  )
}

function UnmappedChecks({ manage }: { manage: boolean }) {
  const { data: checks, error, refetch } = useIngestChecks(true)
  return (
    <section className="card" aria-labelledby="unmapped-title">
      <h2 id="unmapped-title">Checks no control takes</h2>
      <p className="hint">
        A check goes to the controls of the rules that match it, or else to the controls mapped to the SOC 2 criteria its tool
        tags it with. These match no rule and no mapped criterion.
      </p>
      {error && <LoadError what="the checks no control takes" message={messageOf(error)} onRetry={() => void refetch()} />}
      {checks && checks.length === 0 && <p className="empty">Every check reaches a control.</p>}
      {checks && checks.length > 0 && (
        <table className="data" id="unmapped-checks">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Criteria tagged</th>
              <th scope="col">Latest scans</th>
              {manage && <th scope="col">Map to a control</th>}
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => <UnmappedRow key={c.check_id} check={c} manage={manage} />)}
          </tbody>
        </table>
      )}
    </section>
  )
}

function UnmappedRow({ check: c, manage }: { check: IngestCheck; manage: boolean }) {
  const create = useCreateRule()
  const [pattern, setPattern] = useState(c.check_id)
  const [control, setControl] = useState<Choice | null>(null)
  const fields = create.error instanceof ApiError ? create.error.fields : {}
  return (
    <tr data-check={c.check_id}>
      <td>
        <code>{c.check_id}</code>
        {c.title && <div className="hint">{c.title}</div>}
        <div className="muted">{c.tool}, last seen {when(c.last_seen_at)}</div>
      </td>
      <td>{c.criteria.length ? c.criteria.join(', ') : <span className="muted">none</span>}</td>
      <td>{c.latest ? <Counts c={c.latest} /> : <span className="muted">not in the latest scans</span>}</td>
      {manage && (
        <td>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              if (control) create.mutate({ pattern, control: control.value, note: '' })
            }}
          >
            <input aria-label={`Pattern for ${c.check_id}`} value={pattern} onChange={(e) => setPattern(e.target.value)} />{' '}
            →{' '}
            <SearchPicker id={`control-for-${c.check_id}`} label={`Control for ${c.check_id}`} className="control-ref" required placeholder="AC-03"
              value={control} search={searchControlsByRef} onChange={setControl} />{' '}
            <button type="submit">Map</button>
            {create.error && <span className="field-error">{fields.control ?? fields.pattern ?? messageOf(create.error)}</span>}
          </form>
        </td>
      )}
    </tr>
  )
}

function Rules({ manage }: { manage: boolean }) {
  const { data: rules, error, refetch } = useIngestRules()
  const create = useCreateRule()
  const remove = useDeleteRule()
  const importRules = useImportRules()
  const [form, setForm] = useState({ pattern: '', note: '' })
  const [control, setControl] = useState<Choice | null>(null)
  const [imported, setImported] = useState<number | null>(null)
  const fields = create.error instanceof ApiError ? create.error.fields : {}
  const importFields = importRules.error instanceof ApiError ? Object.entries(importRules.error.fields) : []

  function add(e: FormEvent) {
    e.preventDefault()
    if (!control) return
    create.mutate({ ...form, control: control.value }, { onSuccess: () => { setForm({ pattern: '', note: '' }); setControl(null) } })
  }
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">Mapping rules</h2>
      <p className="hint">
        A rule maps a check id, or a pattern where <code>*</code> is any run of characters and <code>?</code> one, to a control.
        A check a rule matches goes only to its rules&apos; controls. Changing rules maps past scans again.
      </p>
      {error && <LoadError what="the rules" message={messageOf(error)} onRetry={() => void refetch()} />}
      {remove.error && <p className="error" role="alert">{messageOf(remove.error)}</p>}
      {rules && rules.length === 0 && <p className="empty">No rules yet.</p>}
      {rules && rules.length > 0 && (
        <table className="data" id="ingest-rules">
          <thead>
            <tr>
              <th scope="col">Pattern</th>
              <th scope="col">Control</th>
              <th scope="col">Note</th>
              {manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-rule={r.pattern}>
                <td><code>{r.pattern}</code></td>
                <td><Link to={`/controls/${r.control_id}`}>{r.control_ref}</Link> {r.control_title}</td>
                <td>{r.note}</td>
                {manage && <td><button type="button" onClick={() => window.confirm(`Delete the rule ${r.pattern}? Its checks stop counting for ${r.control_ref}.`) && remove.mutate(r.id)}>Delete</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <>
          <form className="form-grid" onSubmit={add} aria-label="Add a rule">
            <label>
              Check id or pattern
              <input id="rule-pattern" required placeholder="iam_*" value={form.pattern} onChange={(e) => setForm({ ...form, pattern: e.target.value })} />
              {fields.pattern && <span className="field-error">{fields.pattern}</span>}
            </label>
            <div>
              <SearchPicker id="rule-control" label="Control" required placeholder="AC-03" value={control} search={searchControlsByRef} onChange={setControl} />
              {fields.control && <span className="field-error">{fields.control}</span>}
            </div>
            <label>
              Note
              <input id="rule-note" value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
            </label>
            <div className="actions"><button type="submit" className="primary">Add rule</button></div>
            {create.error && !fields.pattern && !fields.control && <p className="error wide" role="alert">{messageOf(create.error)}</p>}
          </form>
          <form className="form-grid" aria-label="Import rules" onSubmit={(e) => e.preventDefault()}>
            <label className="wide">
              Import rules from a CSV file with the columns <code>pattern,control,note</code> (all or none)
              <input
                id="rules-file"
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => {
                  const f = e.target.files?.[0]
                  setImported(null)
                  if (f) importRules.mutate(f, { onSuccess: (r) => setImported(r.created) })
                  e.target.value = ''
                }}
              />
            </label>
            {imported !== null && <p className="notice wide" role="status">{imported} new {imported === 1 ? 'rule' : 'rules'} imported.</p>}
            {importRules.error && (
              <div className="error wide" role="alert">
                <p>{messageOf(importRules.error)}</p>
                {importFields.length > 0 && <ul>{importFields.map(([k, v]) => <li key={k}>{k}: {v}</li>)}</ul>}
              </div>
            )}
          </form>
        </>
      )}
    </section>
  )
}

const pageSize = 20

function Runs() {
  const [offset, setOffset] = useState(0)
  const { data, error } = useIngestRuns(offset, pageSize)
  const [open, setOpen] = useState<number | null>(null)
  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Scans</h2>
      {error && <p className="error" role="alert">{messageOf(error)}</p>}
      {data && data.total === 0 && <p className="empty">No scans yet.</p>}
      {data && data.runs.length > 0 && (
        <table className="data" id="ingest-runs">
          <thead>
            <tr>
              <th scope="col">Scanned</th>
              <th scope="col">Source</th>
              <th scope="col">Format</th>
              <th scope="col">Results</th>
              <th scope="col">Evidence</th>
              <th scope="col"><span className="visually-hidden">Details</span></th>
            </tr>
          </thead>
          <tbody>
            {data.runs.map((r) => (
              <RunRow key={r.id} run={r} open={open === r.id} onToggle={() => setOpen(open === r.id ? null : r.id)} />
            ))}
          </tbody>
        </table>
      )}
      {data && data.runs.length > 0 && <Pager label="Pages of scans" offset={offset} pageSize={pageSize} total={data.total} onOffset={setOffset} />}
    </section>
  )
}

function RunRow({ run: r, open, onToggle }: { run: IngestRun; open: boolean; onToggle: () => void }) {
  return (
    <>
      <tr data-run={r.id}>
        <td><time dateTime={r.scanned_at}>{when(r.scanned_at)}</time></td>
        <td>{r.source}</td>
        <td>{r.format}{r.format_version && ` ${r.format_version}`}<div className="muted">{r.tool} {r.tool_version}</div></td>
        <td><Counts c={r} /></td>
        <td>{r.evidence_deleted ? <span className="muted">deleted</span> : <a href={program.downloadURL(r.evidence_id)}>file</a>}</td>
        <td><button type="button" aria-expanded={open} onClick={onToggle}>{open ? 'Hide checks' : 'Checks'}</button></td>
      </tr>
      {open && (
        <tr className="run-detail">
          <td colSpan={6}><RunChecks id={r.id} /></td>
        </tr>
      )}
    </>
  )
}

function RunChecks({ id }: { id: number }) {
  const { data, error } = useIngestRun(id)
  if (error) return <p className="error" role="alert">{messageOf(error)}</p>
  if (!data) return <p className="loading">Loading…</p>
  return (
    <table className="data compact">
      <caption className="visually-hidden">Checks of scan {id}</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Results</th>
          <th scope="col">Controls</th>
        </tr>
      </thead>
      <tbody>
        {data.checks.map((c) => (
          <tr key={c.check_id}>
            <td><code>{c.check_id}</code>{c.title && <div className="hint">{c.title}</div>}</td>
            <td><Counts c={c} /></td>
            <td>
              {c.controls.length === 0 && <span className="muted">none</span>}
              {c.controls.map((ctl, i) => (
                <span key={ctl.id}>{i > 0 && ', '}<Link to={`/controls/${ctl.id}`}>{ctl.ref}</Link></span>
              ))}
              {c.via && <span className="muted"> (by {c.via})</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
