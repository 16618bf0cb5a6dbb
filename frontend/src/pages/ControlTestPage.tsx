import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Link, useParams } from 'react-router'
import {
  ApiError, designResults, engagements, testMethods, testResults, testing, uploadPopulation,
  type ControlResult, type Engagement, type EngagementException, type Evidence, type ScopedControl, type TestWork,
} from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { ConflictNotice, useEdit, type ConflictField } from '../ConflictNotice'

const words = (s: string) => s.replaceAll('_', ' ')

/** One control in one engagement: design and test conclusions, population, samples and exceptions. */
export function ControlTestPage() {
  const params = useParams()
  const id = Number(params.id)
  const controlId = Number(params.control)
  const { can } = useSession()
  const manage = can('program.manage')
  const [e, setE] = useState<Engagement | null>(null)
  const [control, setControl] = useState<ScopedControl | null>(null)
  const [result, setResult] = useState<ControlResult | null>(null)
  const [work, setWork] = useState<TestWork | null>(null)
  const [exceptions, setExceptions] = useState<EngagementException[]>([])
  const [evidence, setEvidence] = useState<Evidence[]>([])
  const [error, setError] = useState('')

  const load = useCallback(() => {
    Promise.all([engagements.get(id), engagements.controls(id), testing.results(id), testing.work(id, controlId), testing.exceptions(id), testing.evidence(id, controlId)]).then(
      ([d, c, r, w, x, ctl]) => {
        setEvidence(ctl.evidence)
        setE(d.engagement)
        setControl(c.controls.find((s) => s.id === controlId) ?? null)
        setResult(r.results.find((s) => s.control_id === controlId) ?? null)
        setWork(w)
        setExceptions(x.exceptions.filter((s) => s.control_id === controlId))
      },
      (err: unknown) => setError(messageOf(err)),
    )
  }, [id, controlId])
  useEffect(load, [load])

  const fail = (err: unknown) => setError(err instanceof ApiError ? [err.message, ...Object.values(err.fields)].join(': ') : messageOf(err))
  async function act(fn: () => Promise<unknown>) {
    setError('')
    try {
      await fn()
      load()
    } catch (err) {
      fail(err)
    }
  }

  if (!e || !control) return <section className="page">{error ? <p className="error" role="alert">{error}</p> : <p className="loading">Loading…</p>}</section>
  const typeII = e.type === 'type2'
  return (
    <section className="page" aria-labelledby="test-title">
      <p className="crumbs"><Link to={`/engagements/${id}`}>{e.name}</Link></p>
      <h1 id="test-title"><code>{control.ref}</code> {control.title}</h1>
      <p className="muted">{control.frequency}, {control.nature} · {control.reason}{control.sample && ` · required sample: ${control.sample.size} of ${control.sample.population} (${control.sample.reason})`}</p>
      {error && <p className="error" role="alert">{error}</p>}
      <ResultForm key={JSON.stringify(result)} engagementId={id} controlId={controlId} result={result} evidence={evidence} typeII={typeII} editable={manage}
        onSaved={load} onError={fail} />
      {typeII && work && (
        <Sampling id={id} controlId={controlId} work={work} editable={manage} act={act} />
      )}
      {typeII && (
        <section className="card" aria-labelledby="exceptions-title">
          <h2 id="exceptions-title">Exceptions ({exceptions.length})</h2>
          <ul className="exceptions">
            {exceptions.map((x) => (
              <li key={x.id}>
                <p>{x.description}</p>
                <p className="muted">Management response: {x.management_response || 'none yet'}</p>
                {manage && <ResponseForm key={x.version} engagementId={id} exception={x} onSaved={load} onError={fail} />}
              </li>
            ))}
          </ul>
          {manage && <ExceptionForm onSave={(d, r) => void act(() => testing.addException(id, controlId, d, r))} />}
        </section>
      )}
    </section>
  )
}

const resultFields: ConflictField[] = [
  { key: 'design_result', label: 'Design result' }, { key: 'design_notes', label: 'Walkthrough and design notes' },
  { key: 'evidence_ids', label: 'Evidence relied on' }, { key: 'test_methods', label: 'Test methods' },
  { key: 'test_procedure', label: 'Test procedure' }, { key: 'result', label: 'Result' },
  { key: 'exceptions_found', label: 'Exceptions (n)' }, { key: 'tested_count', label: 'Items tested (m)' },
  { key: 'result_notes', label: 'Result notes' },
]

const noResult: ControlResult = {
  control_id: 0, design_result: 'not_assessed', design_notes: '', evidence_ids: [], test_methods: [], test_procedure: '', result: 'pending',
  result_label: '', exceptions_found: 0, tested_count: 0, result_notes: '', sample_risk: '', shortfall_reason: '', version: 0,
}

function ResultForm({ engagementId, controlId, result, evidence, typeII, editable, onSaved, onError }: {
  engagementId: number; controlId: number; result: ControlResult | null; evidence: Evidence[]; typeII: boolean; editable: boolean
  onSaved: () => void; onError: (err: unknown) => void
}) {
  const [r, setR] = useState<Partial<ControlResult>>(result ?? noResult)
  const edit = useEdit(result ?? noResult)
  async function submit(ev: FormEvent) {
    ev.preventDefault()
    const body: Partial<ControlResult> = { design_result: r.design_result, design_notes: r.design_notes, evidence_ids: r.evidence_ids ?? [] }
    if (typeII) Object.assign(body, { test_methods: r.test_methods, test_procedure: r.test_procedure, result: r.result, result_notes: r.result_notes, shortfall_reason: r.shortfall_reason ?? '' })
    try {
      edit.saved((await testing.setResult(engagementId, controlId, body, edit.base.version)).result)
      onSaved()
    } catch (err) {
      if (!edit.caught(err, 'result')) onError(err)
    }
  }
  const methods = r.test_methods ?? []
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Conclusions">
      <h2>{typeII ? 'Design and operating effectiveness' : 'Design'}</h2>
      <label>Design result
        <select id="design-result" disabled={!editable} value={r.design_result} onChange={(e) => setR({ ...r, design_result: e.target.value })}>
          {designResults.map((d) => <option key={d} value={d}>{words(d)}</option>)}
        </select>
      </label>
      <label className="wide">Walkthrough and design notes<textarea disabled={!editable} rows={3} value={r.design_notes} onChange={(e) => setR({ ...r, design_notes: e.target.value })} /></label>
      <fieldset className="wide kinds relied">
        <legend>Evidence relied on</legend>
        {evidence.length === 0 && <span className="muted">The control has no evidence yet.</span>}
        {evidence.map((ev) => {
          const ids = r.evidence_ids ?? []
          return (
            <label key={ev.id} className="check">
              <input type="checkbox" disabled={!editable} checked={ids.includes(ev.id)} onChange={(e) => setR({ ...r, evidence_ids: e.target.checked ? [...ids, ev.id] : ids.filter((x) => x !== ev.id) })} />
              {ev.title} <span className="muted">#{ev.id}</span>
              {ev.kind === 'file' && <a className="download" href={testing.evidenceURL(engagementId, ev.id)} download>{ev.file_name || 'download'}</a>}
            </label>
          )
        })}
      </fieldset>
      {typeII && (
        <>
          <fieldset className="wide kinds">
            <legend>Test methods (inquiry alone is not enough)</legend>
            {testMethods.map((m) => (
              <label key={m} className="check">
                <input type="checkbox" disabled={!editable} checked={methods.includes(m)} onChange={(e) => setR({ ...r, test_methods: e.target.checked ? [...methods, m] : methods.filter((x) => x !== m) })} /> {m}
              </label>
            ))}
          </fieldset>
          <label className="wide">Test procedure<textarea disabled={!editable} rows={3} value={r.test_procedure} onChange={(e) => setR({ ...r, test_procedure: e.target.value })} /></label>
          <label>Result
            <select id="test-result" disabled={!editable} value={r.result} onChange={(e) => setR({ ...r, result: e.target.value })}>
              {testResults.map((t) => <option key={t} value={t}>{words(t)}</option>)}
            </select>
          </label>
          <p className="wide muted" id="n-of-m">Counted from the samples: {r.exceptions_found ?? 0} of {r.tested_count ?? 0} tested items with a failed attribute.</p>
          <label className="wide">Why fewer items were tested than required (if so)<textarea disabled={!editable} rows={2} value={r.shortfall_reason ?? ''} onChange={(e) => setR({ ...r, shortfall_reason: e.target.value })} /></label>
          <label className="wide">Result notes<textarea disabled={!editable} rows={2} value={r.result_notes} onChange={(e) => setR({ ...r, result_notes: e.target.value })} /></label>
        </>
      )}
      <ConflictNotice what="conclusion" edit={edit} fields={typeII ? resultFields : resultFields.slice(0, 3)} mine={r} onTakeTheirs={(theirs) => setR(theirs)} />
      {result && <p className="wide muted" id="result-label">{typeII ? result.result_label : words(result.design_result)}</p>}
      {editable && <div className="actions"><button type="submit" className="primary" id="save-result">Save conclusions</button></div>}
    </form>
  )
}

function Sampling({ id, controlId, work, editable, act }: { id: number; controlId: number; work: TestWork; editable: boolean; act: (fn: () => Promise<unknown>) => Promise<void> }) {
  const [file, setFile] = useState<File | null>(null)
  const [source, setSource] = useState('')
  const [query, setQuery] = useState('')
  const [attributes, setAttributes] = useState('')
  const [seed, setSeed] = useState('')
  return (
    <section className="card" aria-labelledby="population-title">
      <h2 id="population-title">Population and samples</h2>
      {work.population ? (
        <p id="population-summary">{work.population.item_count} items from {work.population.file_name}{work.population.source && ` (${work.population.source})`}</p>
      ) : <p className="empty">No population uploaded yet.</p>}
      {editable && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (file) void act(() => uploadPopulation(id, controlId, file, source, query)) }}>
          <label>Population (CSV or XLSX: item id, date, description)<input id="population-file" type="file" accept=".csv,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
          <label>Source<input value={source} onChange={(e) => setSource(e.target.value)} placeholder="system or report" /></label>
          <label className="grow">Query<input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="how the list was produced" /></label>
          <button type="submit" id="population-upload">Upload</button>
        </form>
      )}
      {editable && work.population && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void act(() => testing.drawSample(id, controlId, attributes.split(';').map((a) => a.trim()).filter(Boolean), seed ? Number(seed) : undefined)) }}>
          <label className="grow">Attributes tested on each item (separate with ;)<input id="sample-attributes" required value={attributes} onChange={(e) => setAttributes(e.target.value)} placeholder="approved before deployment; tested" /></label>
          <label>Seed (optional)<input inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} /></label>
          <button type="submit" id="draw-sample">Draw sample</button>
        </form>
      )}
      {work.samples.map((s) => (
        <div key={s.id} className="sample" data-sample={s.id}>
          <h3>Sample of {s.size}: seed {s.seed}</h3>
          <p className="muted">{s.method}, drawn {s.selected_at.slice(0, 10)}</p>
          <table className="data">
            <thead><tr><th scope="col">Item</th><th scope="col">Date</th><th scope="col">Description</th>{s.attributes.map((a) => <th key={a} scope="col">{a}</th>)}<th scope="col">Exception</th></tr></thead>
            <tbody>
              {s.items.map((it) => (
                <tr key={it.seq} className={it.exception ? 'exception' : ''}>
                  <td>{it.item_id}</td><td>{it.date ?? ''}</td><td>{it.description}</td>
                  {s.attributes.map((a) => (
                    <td key={a}>
                      {editable ? (
                        <select aria-label={`${a} for ${it.item_id}`} value={it.results[a] ?? ''} onChange={(e) => void act(() => testing.recordItem(id, s.id, it.seq, { ...it.results, [a]: e.target.value }, it.notes))}>
                          <option value="">–</option><option value="pass">pass</option><option value="fail">fail</option><option value="na">n/a</option>
                        </select>
                      ) : it.results[a] ?? '–'}
                    </td>
                  ))}
                  <td>{it.exception ? 'yes' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  )
}

function ExceptionForm({ onSave }: { onSave: (description: string, response: string) => void }) {
  const [d, setD] = useState('')
  const [r, setR] = useState('')
  return (
    <form className="form-grid" onSubmit={(e) => { e.preventDefault(); onSave(d, r); setD(''); setR('') }}>
      <label className="wide">New exception<textarea required rows={2} value={d} onChange={(e) => setD(e.target.value)} /></label>
      <label className="wide">Management response (optional)<textarea rows={2} value={r} onChange={(e) => setR(e.target.value)} /></label>
      <div className="actions"><button type="submit">Add exception</button></div>
    </form>
  )
}

function ResponseForm({ engagementId, exception, onSaved, onError }: { engagementId: number; exception: EngagementException; onSaved: () => void; onError: (err: unknown) => void }) {
  const [text, setText] = useState(exception.management_response)
  const edit = useEdit(exception)
  async function submit(e: FormEvent) {
    e.preventDefault()
    try {
      edit.saved((await testing.respond(engagementId, exception.id, text, edit.base.version)).exception)
      onSaved()
    } catch (err) {
      if (!edit.caught(err, 'exception')) onError(err)
    }
  }
  return (
    <form className="reset" onSubmit={(e) => void submit(e)}>
      <input aria-label="Management response" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit">Save response</button>
      <ConflictNotice what="response" edit={edit} fields={[{ key: 'management_response', label: 'Management response' }]}
        mine={{ management_response: text }} onTakeTheirs={(theirs) => setText(theirs.management_response)} />
    </form>
  )
}
