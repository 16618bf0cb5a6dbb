import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { program, uploadEvidence, type Evidence, type EvidenceDetail, type EvidenceUsage } from '../api'
import { LoadError } from '../LoadError'
import { notInLibrary, useControlChoices, useEvidenceChanged, useEvidenceItem, useEvidenceUsage } from '../queries/evidence'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { period } from './ControlPage'

/**
 * One evidence item: what it is, its file revisions, the controls it is
 * linked to, where engagements use it; delete and restore.
 */
export function EvidenceDetailPage() {
  const id = Number(useParams().id)
  const { can } = useSession()
  const item = useEvidenceItem(id)
  const usageQ = useEvidenceUsage(id)
  const changed = useEvidenceChanged(id)
  const [error, setError] = useState('')
  const [deleted, setDeleted] = useState(false)
  const [notice, setNotice] = useState('')
  const missing = deleted || notInLibrary(item.error)

  const manage = can('evidence.manage')
  const restore = async () => {
    try {
      await program.restoreEvidence(id)
      setNotice('Restored: the evidence is back in the library.')
      setError('')
      setDeleted(false)
      void changed.all()
    } catch (e) {
      setError(messageOf(e))
    }
  }

  if (missing) {
    return (
      <section className="page" aria-labelledby="evidence-title">
        <p className="crumbs"><Link to="/evidence">Evidence library</Link></p>
        <h1 id="evidence-title">Evidence {id}</h1>
        <p className="empty" id="evidence-missing">This evidence is not in the library: it does not exist or was deleted.</p>
        {can('program.manage') && <p><button type="button" id="evidence-restore" onClick={() => void restore()}>Restore it</button> <span className="hint">Deleted evidence can be restored for 30 days.</span></p>}
        {error && <p className="error" role="alert">{error}</p>}
      </section>
    )
  }
  const detail = item.data
  if (!detail) {
    return (
      <section className="page">
        {item.isError ? <LoadError what="the evidence" message={messageOf(item.error)} onRetry={() => void item.refetch()} /> : <p className="loading">Loading…</p>}
      </section>
    )
  }
  const usage = usageQ.data
  const e = detail.evidence
  const remove = async () => {
    const reason = window.prompt(`Delete “${e.title}”? It leaves the library and every control; compliance can restore it for 30 days. Why is it deleted?`)
    if (reason === null) return
    try {
      await program.deleteEvidence(id, reason)
      setDeleted(true)
      setNotice('Deleted.')
      void changed.all()
    } catch (err) {
      setError(messageOf(err))
    }
  }

  return (
    <section className="page" aria-labelledby="evidence-title">
      <p className="crumbs"><Link to="/evidence">Evidence library</Link></p>
      <h1 id="evidence-title">{e.title}</h1>
      {notice && <p className="notice" role="status">{notice}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <Metadata e={e} />
      {e.kind === 'file' && <Revisions e={e} revisions={detail.revisions} editable={manage} onChanged={() => void changed.item()} onError={setError} />}
      <LinkedControls e={e} controls={detail.controls} editable={manage} onChanged={() => void changed.all()} onError={setError} />
      {usageQ.isError && <LoadError what="where engagements use it" message={messageOf(usageQ.error)} onRetry={() => void usageQ.refetch()} />}
      {usage && <Usage usage={usage} />}
      {manage && (
        <div className="actions">
          <button type="button" className="danger" id="evidence-delete" onClick={() => void remove()}>Delete evidence</button>
        </div>
      )}
    </section>
  )
}

function Metadata({ e }: { e: Evidence }) {
  const rows: [string, React.ReactNode][] = [
    ['Kind', e.kind],
    ['Description', e.description || '–'],
    ['Period covered', period(e) || 'no dates: it covers no occurrence window'],
    ['Collected on', e.collected_on ?? '–'],
    ['Expires on', e.expires_on ? <span className={`state ${e.status}`}>{e.expires_on}</span> : '–'],
    ['Source', e.source_system || '–'],
    ['Provided by', e.provided_by || '–'],
  ]
  if (e.kind === 'link') rows.push(['Link', <a href={e.url} target="_blank" rel="noreferrer noopener">{e.url}</a>])
  if (e.kind === 'note') rows.push(['Note', <span className="pre">{e.note}</span>])
  return (
    <section className="card" aria-labelledby="evidence-meta-title">
      <h2 id="evidence-meta-title">Details</h2>
      <dl className="meta" id="evidence-meta">
        {rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
      </dl>
    </section>
  )
}

type SectionProps = { e: Evidence; editable: boolean; onChanged: () => void; onError: (m: string) => void }

function Revisions({ e, revisions, editable, onChanged, onError }: SectionProps & { revisions: EvidenceDetail['revisions'] }) {
  const [file, setFile] = useState<File | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const upload = async () => {
    if (!file) return
    try {
      setProgress(0)
      await uploadEvidence(file, {}, setProgress, e.id)
      setFile(null)
      onChanged()
    } catch (err) {
      onError(messageOf(err))
    } finally {
      setProgress(null)
    }
  }
  return (
    <section className="card" aria-labelledby="evidence-revisions-title">
      <h2 id="evidence-revisions-title">Revisions</h2>
      <table className="data compact" id="evidence-revisions">
        <thead><tr><th scope="col">Revision</th><th scope="col">File</th><th scope="col">Size</th><th scope="col">Uploaded</th><th scope="col">SHA-256</th></tr></thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.revision} data-revision={r.revision}>
              <td>{r.revision}</td>
              <td><a href={program.downloadURL(e.id, r.revision)}>{r.file_name}</a></td>
              <td className="num">{r.size.toLocaleString()} bytes</td>
              <td><time dateTime={r.uploaded_at}>{r.uploaded_at.slice(0, 10)}</time></td>
              <td><code className="hash" title={r.sha256}>{r.sha256.slice(0, 12)}…</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <form className="inline-form" onSubmit={(ev) => { ev.preventDefault(); void upload() }}>
          <label>New revision<input type="file" id="revision-file" required onChange={(ev) => setFile(ev.target.files?.[0] ?? null)} /></label>
          <button type="submit" id="revision-upload" disabled={!file || progress !== null}>Upload revision</button>
          {progress !== null && <progress value={progress} max={1} aria-label="Upload progress" />}
        </form>
      )}
    </section>
  )
}

function LinkedControls({ e, controls, editable, onChanged, onError }: SectionProps & { controls: EvidenceDetail['controls'] }) {
  const [q, setQ] = useState('')
  // The search waits for typing to pause before it asks.
  const [term, setTerm] = useState('')
  useEffect(() => {
    const t = setTimeout(() => setTerm(q), 200)
    return () => clearTimeout(t)
  }, [q])
  const options = useControlChoices(term, editable).data ?? []
  const save = async (ids: number[]) => {
    try {
      await program.updateEvidence(e.id, { control_ids: ids }, e.version)
      setQ('')
      onChanged()
    } catch (err) {
      onError(messageOf(err))
    }
  }
  const ids = controls.map((c) => c.id)
  const picked = options.find((o) => `${o.ref} — ${o.title}` === q || o.ref === q)
  return (
    <section className="card" aria-labelledby="evidence-controls-title">
      <h2 id="evidence-controls-title">Controls it is evidence for</h2>
      {controls.length === 0 && <p className="empty">Linked to no control.</p>}
      <ul className="mappings" id="evidence-controls">
        {controls.map((c) => (
          <li key={c.id} data-control={c.id}>
            <Link to={`/controls/${c.id}`}><code>{c.ref}</code> {c.title}</Link>
            {editable && <button type="button" className="small" aria-label={`Unlink ${c.ref}`} onClick={() => {
              if (window.confirm(`Unlink ${c.ref}? This evidence no longer counts for it.`)) void save(ids.filter((x) => x !== c.id))
            }}>Unlink</button>}
          </li>
        ))}
      </ul>
      {editable && (
        <form className="inline-form" onSubmit={(ev) => { ev.preventDefault(); if (picked) void save([...ids, picked.id]) }}>
          <label className="grow">Link a control
            <input id="link-control" list="link-control-options" placeholder="Search by reference or title" value={q} onChange={(ev) => setQ(ev.target.value)} />
            <datalist id="link-control-options">
              {options.filter((o) => !ids.includes(o.id)).map((o) => <option key={o.id} value={`${o.ref} — ${o.title}`} />)}
            </datalist>
          </label>
          <button type="submit" id="link-control-add" disabled={!picked}>Link</button>
        </form>
      )}
    </section>
  )
}

function Usage({ usage }: { usage: EvidenceUsage }) {
  return (
    <section className="card" aria-labelledby="evidence-usage-title">
      <h2 id="evidence-usage-title">Where engagements use it</h2>
      <h3>Conclusions that rely on it</h3>
      {usage.relied_on.length === 0 ? <p className="empty">No conclusion relies on it.</p> : (
        <ul id="evidence-relied-on">
          {usage.relied_on.map((r) => (
            <li key={`${r.engagement_id}-${r.control_id}`}>
              <Link to={`/engagements/${r.engagement_id}/controls/${r.control_id}`}>{r.engagement_name}: <code>{r.control_ref}</code></Link>
              {r.revision !== null && <span className="muted"> (revision {r.revision})</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>Occurrence windows it was attached to</h3>
      {usage.windows.length === 0 ? <p className="empty">Attached to no window; a dated item counts for the windows its period covers.</p> : (
        <ul id="evidence-windows">
          {usage.windows.map((w) => (
            <li key={`${w.engagement_id}-${w.control_id}-${w.window_start}`}>
              <Link to={`/engagements/${w.engagement_id}/controls/${w.control_id}`}>{w.engagement_name}: <code>{w.control_ref}</code></Link> window from {w.window_start}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
