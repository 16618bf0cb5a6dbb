import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { ApiError, controlTypes, frequencies, natures, program, statuses } from '../api'
import { PersonPicker } from '../PersonPicker'
import { useSession } from '../session'
import type { ControlType, Frequency, Nature } from '../schema'
import { messageOf } from './CatalogPage'
import { useParamSetter, useUrlListPage } from '../urlparams'
import { Pager } from '../Pager'
import { SortHeader } from '../SortHeader'
import { ImportControls } from './ImportControls'
import { useControlsChanged } from '../queries/controls'
import { BulkControls } from './BulkControls'
import { LoadError } from '../LoadError'
import { Toast, type ToastMessage } from '../Toast'

const pageSize = 50
const filterNames = ['q', 'owner_id', 'frequency', 'status', 'no_evidence', 'requirement', 'sort']
const fetchControls = (q: Record<string, string | number>) => program.controls(q).then((r) => ({ rows: r.controls, total: r.total }))

/** The organisation's controls: filter, sort, page, and add new ones. */
export function ControlsPage() {
  const { can, session } = useSession()
  const set = useParamSetter()
  const controlsChanged = useControlsChanged()
  const { rows, total, error, retry, offset, params } = useUrlListPage('controls', filterNames, pageSize, fetchControls)
  const sort = params.get('sort') ?? 'ref'
  const manage = can('program.manage')
  const [picked, setPicked] = useState<Set<number>>(new Set())
  const [toast, setToast] = useState<ToastMessage | null>(null)
  const selected = (rows ?? []).filter((c) => picked.has(c.id))
  const pick = (id: number, on: boolean) => setPicked((p) => { const n = new Set(p); if (on) n.add(id); else n.delete(id); return n })
  const afterBulk = (m: ToastMessage) => {
    const undo = m.undo
    setToast({ ...m, undo: undo && (() => undo().then(controlsChanged)) })
    setPicked(new Set())
    void controlsChanged()
  }

  return (
    <section className="page" aria-labelledby="controls-title">
      <h1 id="controls-title">Controls</h1>
      <div className="filters">
        <label className="search">
          Search
          <input id="controls-search" type="search" defaultValue={params.get('q') ?? ''} placeholder="Reference or title" onChange={(e) => set('q', e.target.value, { replace: true })} />
        </label>
        <PersonPicker id="controls-owner" label="Owner" placeholder="Anyone: type a name" value={params.get('owner_id') ?? ''}
          onChange={(v) => set('owner_id', v)} />
        <label>
          Frequency
          <select value={params.get('frequency') ?? ''} onChange={(e) => set('frequency', e.target.value)}>
            <option value="">Any</option>
            {frequencies.map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </label>
        <label>
          Status
          <select value={params.get('status') ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={params.get('no_evidence') === 'true'} onChange={(e) => set('no_evidence', e.target.checked ? 'true' : '')} />
          Without evidence
        </label>
        {params.get('requirement') && (
          <span className="chip">
            Mapped to {params.get('requirement')?.split('/').pop()}{' '}
            <button type="button" className="link-dark" onClick={() => set('requirement', '')}>clear</button>
          </span>
        )}
      </div>
      {error && <LoadError what="the controls" message={error} onRetry={retry} />}
      {rows && <p className="result-count" id="controls-count">{total} {total === 1 ? 'control' : 'controls'}</p>}
      <Toast message={toast} onClose={() => setToast(null)} />
      {manage && selected.length > 0 && <BulkControls selected={selected} onDone={afterBulk} />}
      {rows && rows.length > 0 && (
        <table className="data" id="controls-table">
          <thead>
            <tr>
              {manage && (
                <th scope="col">
                  <input type="checkbox" id="controls-select-all" aria-label="Select every control on this page"
                    checked={selected.length === rows.length} onChange={(e) => setPicked(e.target.checked ? new Set(rows.map((c) => c.id)) : new Set())} />
                </th>
              )}
              <SortHeader label="Ref" sortKey="ref" sort={sort} onSort={(v) => set('sort', v)} />
              <SortHeader label="Title" sortKey="title" sort={sort} onSort={(v) => set('sort', v)} />
              <SortHeader label="Owner" sortKey="owner" sort={sort} onSort={(v) => set('sort', v)} />
              <SortHeader label="Frequency" sortKey="frequency" sort={sort} onSort={(v) => set('sort', v)} />
              <th scope="col">Status</th>
              <th scope="col">Mapped</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-control={c.ref}>
                {manage && <td><input type="checkbox" aria-label={`Select ${c.ref}`} checked={picked.has(c.id)} onChange={(e) => pick(c.id, e.target.checked)} /></td>}
                <td><Link to={`/controls/${c.id}`}><code>{c.ref}</code></Link></td>
                <td>{c.title}{c.key_control && <span className="badge">key</span>}</td>
                <td>{c.owner_email || <span className="muted">none</span>}</td>
                <td>{c.frequency}</td>
                <td>{c.status}</td>
                <td>{c.mapping_count}</td>
                <td>{c.evidence_count === 0 ? <span className="state disabled">none</span> : c.evidence_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows && rows.length > 0 && <Pager offset={offset} pageSize={pageSize} total={total} onOffset={(o) => set('offset', String(o))} />}
      {manage && <NewControl />}
      {manage && <ImportControls csrf={() => session?.csrf_token ?? ''} onApplied={controlsChanged} />}
    </section>
  )
}

function NewControl() {
  const navigate = useNavigate()
  const [form, setForm] = useState<{ ref: string; title: string; frequency: Frequency; nature: Nature; type: ControlType; owner_id: string }>(
    { ref: '', title: '', frequency: 'quarterly', nature: 'manual', type: 'detective', owner_id: '' })
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    try {
      const r = await program.createControl({
        ref: form.ref, title: form.title, frequency: form.frequency, nature: form.nature, type: form.type,
        owner_id: form.owner_id ? Number(form.owner_id) : null,
      })
      navigate(`/controls/${r.control.id}`)
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    }
  }

  const field = (name: string) => fields[name] && <span className="field-error">{fields[name]}</span>
  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="new-control-title">
      <h2 id="new-control-title">New control</h2>
      <label>Reference<input id="new-control-ref" required placeholder="AC-03" value={form.ref} onChange={(e) => setForm({ ...form, ref: e.target.value })} />{field('ref')}</label>
      <label>Title<input id="new-control-title-input" required value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />{field('title')}</label>
      <PersonPicker id="new-control-owner" label="Owner" placeholder="No owner yet: type a name" filter={{ active: true }}
        value={form.owner_id} onChange={(v) => setForm({ ...form, owner_id: v })} />
      <label>Frequency
        <select id="new-control-frequency" value={form.frequency} onChange={(e) => setForm({ ...form, frequency: e.target.value as Frequency })}>
          {frequencies.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
      </label>
      <label>Nature
        <select value={form.nature} onChange={(e) => setForm({ ...form, nature: e.target.value as Nature })}>
          {natures.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <label>Type
        <select value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as ControlType })}>
          {controlTypes.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions"><button type="submit" className="primary">Create control</button></div>
    </form>
  )
}
