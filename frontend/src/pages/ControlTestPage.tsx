import { useState, type FormEvent } from 'react'
import { useQueryClient, type UseQueryResult } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import {
  designResults, implementations, mayTest, testMethods, testResults, testing, uploadPopulation,
  type ControlResult, type DrawnSample, type SignOff, type Signer, type EngagementException, type Evidence, type SampledItem, type ScopedControl, type TestWork,
  type Walkthrough,
} from '../api'
import { useSession } from '../session'
import type { Implementation } from '../schema'
import { messageOf } from './CatalogPage'
import { ConflictNotice, useEdit, type ConflictField } from '../ConflictNotice'
import { TesterBanner } from './EngagementPage'
import { errorWords, isLocked, LockBanner } from './Lock'
import { ExceptionRemediation } from './Remediation'
import { WindowCells } from './OccurrenceWindows'
import { useNotice } from '../Toast'
import { LoadError } from '../LoadError'
import { useEngagementControlEvidence } from '../queries/engagements'
import {
  useControlExceptions, useControlResult, useEngagement, useScopedControl, useTestingChanged, useTestWork, useWalkthrough, walkthroughKey, type TestingPart,
} from '../queries/testing'

const words = (s: string) => s.replaceAll('_', ' ')

/** One control in one engagement: design and test conclusions, population, samples and exceptions. */
export function ControlTestPage() {
  const params = useParams()
  const id = Number(params.id)
  const controlId = Number(params.control)
  const { can, session } = useSession()
  const manage = can('program.manage')
  const eq = useEngagement(id)
  const cq = useScopedControl(id, controlId)
  const rq = useControlResult(id, controlId)
  const wq = useTestWork(id, controlId)
  const xq = useControlExceptions(id, controlId)
  const evq = useEngagementControlEvidence(id, controlId)
  // Read with the rest rather than after it, but not waited for.
  const wtq = useWalkthrough(id, controlId)
  const changed = useTestingChanged(id, controlId)
  const [error, setError] = useState('')

  const fail = (err: unknown) => setError(errorWords(err))
  // A change reads again what it wrote (the control, its conclusions,
  // samples and exceptions), never the engagement or the evidence.
  const everything: TestingPart[] = ['control', 'result', 'work', 'exceptions']
  const saved = (parts: TestingPart[] = everything) => void changed(parts)
  async function actOn(parts: TestingPart[], fn: () => Promise<unknown>) {
    setError('')
    try {
      await fn()
    } catch (err) {
      fail(err)
      return
    }
    await changed(parts)
  }
  const act = (fn: () => Promise<unknown>) => actOn(everything, fn)
  // Recording sampled items changes the samples and, through a failed
  // attribute, the exceptions: only those are read again.
  const actOnItems = (fn: () => Promise<unknown>) => actOn(['work', 'exceptions'], fn)

  const reads = [eq, cq, rq, wq, xq, evq]
  const e = eq.data
  const control = cq.data
  const work = wq.data
  const exceptions = xq.data
  const evidence = evq.data
  const result = rq.data ?? null
  if (!e || !control || !work || !exceptions || !evidence || rq.data === undefined) {
    const failed = reads.find((q) => q.isError)
    return (
      <section className="page">
        {failed ? <LoadError what="this control's testing" message={messageOf(failed.error)} onRetry={() => { for (const q of reads) if (q.isError) void q.refetch() }} />
          : <p className="loading">Loading…</p>}
      </section>
    )
  }
  const typeII = e.type === 'type2'
  // A locked engagement's results, samples and exceptions are frozen: nothing to edit.
  const locked = isLocked(e.status)
  const tests = mayTest(session, e) && !locked
  const responds = manage && !locked
  return (
    <section className="page" aria-labelledby="test-title">
      <p className="crumbs"><Link to={`/engagements/${id}`}>{e.name}</Link></p>
      <h1 id="test-title"><code>{control.ref}</code> {control.title}</h1>
      <TesterBanner e={e} />
      <LockBanner e={e} />
      <p className="muted">{control.frequency}, {control.nature} · {control.reason}{control.sample && ` · required sample: ${control.sample.size} of ${control.sample.population} (${control.sample.reason})`}</p>
      {typeII && control.windows.length > 0 && (
        <section className="card" aria-labelledby="windows-title">
          <h2 id="windows-title">Occurrence windows ({control.windows.length})</h2>
          <WindowCells windows={control.windows} />
        </section>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <ResultForm key={JSON.stringify(result)} engagementId={id} controlId={controlId} result={result} counts={work?.counts} evidence={evidence} typeII={typeII} editable={tests}
        asOf={e.as_of} control={control} onSaved={() => saved(['control', 'result', 'work'])} onError={fail} />
      {result && <SignOffLine what="conclusion" signOff={result.sign_off} editable={tests}
        onSign={(as) => void actOn(['result'], () => testing.signOff(id, controlId, as, result.version))} />}
      <WalkthroughCard q={wtq} engagementId={id} controlId={controlId} evidence={evidence} editable={tests} onError={fail} />
      {typeII && work && (
        <Sampling id={id} controlId={controlId} work={work} evidence={evidence} editable={tests} upload={responds} act={act} actOnItems={actOnItems} />
      )}
      {typeII && (
        <section className="card" aria-labelledby="exceptions-title">
          <h2 id="exceptions-title">Exceptions ({exceptions.length})</h2>
          <ul className="exceptions">
            {exceptions.map((x) => (
              <li key={x.id} data-exception={x.id}>
                <p className="exception-description">{x.description}</p>
                {x.sample_id !== null && <p className="muted">Recorded from a failed attribute of sample {x.sample_id}, item {x.sample_seq}; withdrawn when the failure is.</p>}
                <p className="muted">Management response: {x.management_response || 'none yet'}</p>
                {responds && <ResponseForm key={x.version} engagementId={id} exception={x} onSaved={() => saved(['exceptions'])} onError={fail} />}
                <ExceptionRemediation key={`r${x.version}`} engagementId={id} exception={x} samples={work?.samples ?? []}
                  manage={responds} tests={tests} onSaved={() => saved(['work', 'exceptions'])} onError={fail} />
              </li>
            ))}
          </ul>
          {tests && <ExceptionForm onSave={(d, r) => void actOn(['exceptions'], () => testing.addException(id, controlId, d, r))} />}
        </section>
      )}
    </section>
  )
}

const resultFields: ConflictField[] = [
  { key: 'design_result', label: 'Design result' }, { key: 'design_notes', label: 'Walkthrough and design notes' },
  { key: 'evidence_ids', label: 'Evidence relied on' }, { key: 'test_methods', label: 'Test methods' },
  { key: 'test_procedure', label: 'Test procedure' }, { key: 'result', label: 'Result' },
  { key: 'sample_risk', label: 'Sample risk' }, { key: 'shortfall_reason', label: 'Why fewer items were tested' },
  { key: 'result_notes', label: 'Result notes' },
]

const typeOneFields: ConflictField[] = [
  { key: 'design_result', label: 'Design result' }, { key: 'design_notes', label: 'Design notes' },
  { key: 'implementation', label: 'Implementation' }, { key: 'implemented_on', label: 'In place since' },
  { key: 'evidence_ids', label: 'Evidence relied on' },
]

export const implementationWords: Record<Implementation, string> = { '': 'not concluded', implemented: 'implemented as of the date', not_implemented: 'not implemented as of the date' }

const noResult: ControlResult = {
  control_id: 0, design_result: 'not_assessed', design_notes: '', implementation: '', implemented_on: null, evidence_ids: [], test_methods: [], test_procedure: '', result: 'pending',
  result_label: '', exceptions_found: 0, tested_count: 0, result_notes: '', sample_risk: '', shortfall_reason: '', version: 0,
  sign_off: { prepared_by: null, prepared_on: null, reviewed_by: null, reviewed_on: null },
}

function ResultForm({ engagementId, controlId, result, counts, evidence, typeII, editable, asOf, control, onSaved, onError }: {
  engagementId: number; controlId: number; result: ControlResult | null; counts?: TestWork['counts']; evidence: Evidence[]; typeII: boolean; editable: boolean
  asOf: string | null; control: ScopedControl; onSaved: () => void; onError: (err: unknown) => void
}) {
  const [r, setR] = useState<Partial<ControlResult>>(result ?? noResult)
  const edit = useEdit(result ?? noResult)
  async function submit(ev: FormEvent) {
    ev.preventDefault()
    const body: Partial<ControlResult> = { design_result: r.design_result, design_notes: r.design_notes, evidence_ids: r.evidence_ids ?? [] }
    if (!typeII) Object.assign(body, { implementation: r.implementation ?? '', implemented_on: r.implemented_on ?? '' })
    if (typeII) Object.assign(body, { test_methods: r.test_methods, test_procedure: r.test_procedure, result: r.result, result_notes: r.result_notes, shortfall_reason: r.shortfall_reason ?? '', sample_risk: r.sample_risk ?? '' })
    try {
      edit.saved((await testing.setResult(engagementId, controlId, body, edit.base.version)).result)
      onSaved()
    } catch (err) {
      if (!edit.caught(err, 'result')) onError(err)
    }
  }
  const methods = r.test_methods ?? []
  const since = r.implemented_on || control.implemented_on
  const lateImplementation = !typeII && asOf !== null && !!since && since > asOf
  return (
    <form className="card form-grid" onSubmit={submit} aria-label="Conclusions">
      <h2>{typeII ? 'Design and operating effectiveness' : 'Design and implementation'}</h2>
      <label>Design result
        <select id="design-result" disabled={!editable} value={r.design_result} onChange={(e) => setR({ ...r, design_result: e.target.value })}>
          {designResults.map((d) => <option key={d} value={d}>{words(d)}</option>)}
        </select>
      </label>
      {!typeII && (
        <>
          <label>Implementation
            <select id="implementation" disabled={!editable} value={r.implementation ?? ''} onChange={(e) => setR({ ...r, implementation: e.target.value as ControlResult['implementation'] })}>
              {implementations.map((i) => <option key={i} value={i} disabled={i === 'implemented' && lateImplementation}>{implementationWords[i]}</option>)}
            </select>
          </label>
          <label>In place since (blank: the control&apos;s date{control.implemented_on ? `, ${control.implemented_on}` : ''})
            <input id="implemented-on" type="date" disabled={!editable} value={r.implemented_on ?? ''} onChange={(e) => setR({ ...r, implemented_on: e.target.value || null })} />
          </label>
          {lateImplementation && (
            <p className="wide state expired" id="implemented-after" role="status">
              Implemented on {since}, after the as-of date {asOf}: it cannot be concluded implemented as of the date.
            </p>
          )}
        </>
      )}
      <label className="wide">{typeII ? 'Walkthrough and design notes' : 'Design notes'}<textarea disabled={!editable} rows={3} value={r.design_notes} onChange={(e) => setR({ ...r, design_notes: e.target.value })} /></label>
      <fieldset className="wide kinds relied">
        <legend>Evidence relied on{!typeII && asOf ? ` (dated within the evidence window before ${asOf})` : ''}</legend>
        {evidence.length === 0 && <span className="muted">The control has no evidence yet.</span>}
        {evidence.map((ev) => {
          const ids = r.evidence_ids ?? []
          return (
            <label key={ev.id} className="check">
              <input type="checkbox" disabled={!editable} checked={ids.includes(ev.id)} onChange={(e) => setR({ ...r, evidence_ids: e.target.checked ? [...ids, ev.id] : ids.filter((x) => x !== ev.id) })} />
              {ev.title} <span className="muted">#{ev.id}</span>
              {control.evidence_stale.includes(ev.id) && <span className="state expired stale">stale for this as-of date</span>}
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
          <label>Sample risk
            <select id="sample-risk" disabled={!editable} value={r.sample_risk ?? ''} onChange={(e) => setR({ ...r, sample_risk: e.target.value })}>
              <option value="">the engagement's</option><option value="lower">lower</option><option value="higher">higher</option>
            </select>
          </label>
          <p className="wide muted" id="n-of-m">Counted from the samples: {counts?.failed ?? 0} of {counts?.tested ?? 0} tested items with a failed attribute{counts && counts.tested < counts.required ? ` (${counts.required} required)` : ''}.</p>
          <label className="wide">Why fewer items were tested than required (if so)<textarea disabled={!editable} rows={2} value={r.shortfall_reason ?? ''} onChange={(e) => setR({ ...r, shortfall_reason: e.target.value })} /></label>
          <label className="wide">Result notes<textarea disabled={!editable} rows={2} value={r.result_notes} onChange={(e) => setR({ ...r, result_notes: e.target.value })} /></label>
        </>
      )}
      <ConflictNotice what="conclusion" edit={edit} fields={typeII ? resultFields : typeOneFields} mine={r} onTakeTheirs={(theirs) => setR(theirs)} />
      {result && <p className="wide muted" id="result-label">{typeII ? result.result_label : `${words(result.design_result)}; ${implementationWords[result.implementation]}`}</p>}
      {editable && <div className="actions"><button type="submit" className="primary" id="save-result">Save conclusions</button></div>}
    </form>
  )
}

const noWalkthrough: Walkthrough = {
  control_id: 0, performed_on: '', participants: '', instance_traced: '', evidence_inspected: '', evidence_ids: [], performed_by: '', updated_at: '', version: 0,
}

const walkthroughFields: ConflictField[] = [
  { key: 'performed_on', label: 'Performed on' }, { key: 'participants', label: 'Participants' },
  { key: 'instance_traced', label: 'Instance traced' }, { key: 'evidence_inspected', label: 'Evidence inspected' }, { key: 'evidence_ids', label: 'Evidence' },
]

/** The control's walkthrough: one instance traced from start to end, recorded by whoever tests the engagement. */
function WalkthroughCard({ q, engagementId, controlId, evidence, editable, onError }: {
  q: UseQueryResult<Walkthrough>; engagementId: number; controlId: number; evidence: Evidence[]; editable: boolean; onError: (err: unknown) => void
}) {
  const queryClient = useQueryClient()
  if (q.isError) return <LoadError what="the walkthrough" message={messageOf(q.error)} onRetry={() => void q.refetch()} />
  if (!q.data) return null
  return <WalkthroughForm key={q.data.version} engagementId={engagementId} controlId={controlId} saved={q.data} evidence={evidence} editable={editable}
    onSaved={(w) => queryClient.setQueryData(walkthroughKey(engagementId, controlId), w)} onError={onError} />
}

export function WalkthroughForm({ engagementId, controlId, saved, evidence, editable, onSaved, onError }: {
  engagementId: number; controlId: number; saved: Walkthrough; evidence: Evidence[]; editable: boolean
  onSaved: (w: Walkthrough) => void; onError: (err: unknown) => void
}) {
  const [w, setW] = useState<Walkthrough>(saved)
  const edit = useEdit(saved.version === 0 ? noWalkthrough : saved)
  async function submit(ev: FormEvent) {
    ev.preventDefault()
    const body = { performed_on: w.performed_on, participants: w.participants, instance_traced: w.instance_traced, evidence_inspected: w.evidence_inspected, evidence_ids: w.evidence_ids }
    try {
      const r = (await testing.setWalkthrough(engagementId, controlId, body, edit.base.version)).walkthrough
      edit.saved(r)
      onSaved(r)
    } catch (err) {
      if (!edit.caught(err, 'walkthrough')) onError(err)
    }
  }
  const text = (key: 'participants' | 'instance_traced' | 'evidence_inspected', label: string) => (
    <label className="wide">{label}<textarea id={`walkthrough-${key.replaceAll('_', '-')}`} disabled={!editable} rows={2} value={w[key]} onChange={(e) => setW({ ...w, [key]: e.target.value })} /></label>
  )
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="walkthrough-title">
      <h2 id="walkthrough-title">Walkthrough</h2>
      {saved.version === 0 ? <p className="wide muted" id="walkthrough-state">No walkthrough recorded yet.</p>
        : <p className="wide muted" id="walkthrough-state">Performed on {saved.performed_on}, recorded by {saved.performed_by || 'someone'}.</p>}
      <label>Performed on<input id="walkthrough-performed-on" type="date" disabled={!editable} value={w.performed_on} onChange={(e) => setW({ ...w, performed_on: e.target.value })} /></label>
      {text('participants', 'Participants')}
      {text('instance_traced', 'Transaction or instance traced')}
      {text('evidence_inspected', 'Evidence inspected')}
      <fieldset className="wide kinds">
        <legend>The control&apos;s evidence inspected</legend>
        {evidence.length === 0 && <span className="muted">The control has no evidence yet.</span>}
        {evidence.map((ev) => (
          <label key={ev.id} className="check">
            <input type="checkbox" disabled={!editable} checked={w.evidence_ids.includes(ev.id)}
              onChange={(e) => setW({ ...w, evidence_ids: e.target.checked ? [...w.evidence_ids, ev.id] : w.evidence_ids.filter((x) => x !== ev.id) })} />
            {ev.title} <span className="muted">#{ev.id}</span>
          </label>
        ))}
      </fieldset>
      <ConflictNotice what="walkthrough" edit={edit} fields={walkthroughFields} mine={w} onTakeTheirs={(theirs) => setW(theirs)} />
      {editable && <div className="actions"><button type="submit" id="save-walkthrough">Save walkthrough</button></div>}
    </form>
  )
}

const phaseWords: Record<string, string> = { period: 'whole period', interim: 'interim', remainder: 'remainder' }

function Sampling({ id, controlId, work, evidence, editable, upload, act, actOnItems }: { id: number; controlId: number; work: TestWork; evidence: Evidence[]; editable: boolean
  /** The organisation provides the populations, whoever tests. */
  upload: boolean; act: (fn: () => Promise<unknown>) => Promise<void>; actOnItems: (fn: () => Promise<unknown>) => Promise<void> }) {
  const c = work.counts
  return (
    <section className="card" aria-labelledby="population-title">
      <h2 id="population-title">Population and samples</h2>
      {work.populations.length === 0 && <p className="empty">No population uploaded yet.</p>}
      {work.populations.length > 0 && (
        <p id="sample-counts">
          {c.tested} of {c.selected} sampled items tested ({c.required} required), {c.failed} with a failed attribute
          {c.untested.length > 0 && <span className="muted"> · not tested yet: {c.untested.slice(0, 5).join(', ')}{c.untested.length > 5 ? ` and ${c.untested.length - 5} more` : ''}</span>}
        </p>
      )}
      {work.populations.map((p) => {
        const samples = work.samples.filter((s) => s.population_id === p.id)
        const first = samples.find((s) => s.extends_id === null && s.purpose !== 'retest')
        return (
          <div key={p.id} className="population" data-population={p.id}>
            <h3 className="population-summary">{p.item_count} items, {phaseWords[p.phase] ?? p.phase} {p.covers_from} to {p.covers_to}</h3>
            <p className="muted">
              {p.file_name}{p.source && ` from ${p.source}`}{p.query && ` · query: ${p.query}`}{p.parameters && ` · parameters: ${p.parameters}`}
              {p.generated_by && ` · generated by ${p.generated_by}`}{p.generated_at && ` on ${p.generated_at.slice(0, 10)}`}
              {' · completeness and accuracy: '}{p.evidence_ids.length > 0 ? p.evidence_ids.map((e) => `#${e}`).join(', ') : 'no evidence linked'}
            </p>
            {editable && !first && p.item_count > 0 && <DrawForm onDraw={(attrs, seed, size) => act(() => testing.drawSample(id, controlId, attrs, seed, size, p.id))} />}
            {samples.slice().reverse().map((s) => <SampleTable key={s.id} id={id} sample={s} evidence={evidence} editable={editable} act={act} actOnItems={actOnItems}
              left={p.item_count - samples.filter((x) => x.purpose !== 'retest').reduce((n, x) => n + x.items.length, 0)} />)}
          </div>
        )
      })}
      {upload && <PopulationForm evidence={evidence} onUpload={(file, fields) => act(() => uploadPopulation(id, controlId, file, fields))} />}
    </section>
  )
}

function PopulationForm({ evidence, onUpload }: { evidence: Evidence[]; onUpload: (file: File, fields: Record<string, string>) => Promise<void> }) {
  const [file, setFile] = useState<File | null>(null)
  const [f, setF] = useState<Record<string, string>>({ phase: 'period' })
  const [proof, setProof] = useState<number[]>([])
  const field = (name: string, label: string, extra: { type?: string; placeholder?: string; grow?: boolean } = {}) => (
    <label className={extra.grow ? 'grow' : undefined}>{label}
      <input name={name} type={extra.type ?? 'text'} placeholder={extra.placeholder} value={f[name] ?? ''} onChange={(e) => setF({ ...f, [name]: e.target.value })} />
    </label>
  )
  return (
    <form className="form-grid" aria-label="Upload a population" onSubmit={(e) => { e.preventDefault(); if (file) void onUpload(file, { ...f, evidence_ids: proof.join(',') }) }}>
      <label className="wide">Population (CSV or XLSX: item id, date, description; a header row alone when the control had nothing to do)
        <input id="population-file" type="file" accept=".csv,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>Covers
        <select id="population-phase" value={f.phase} onChange={(e) => setF({ ...f, phase: e.target.value })}>
          <option value="period">the whole period</option><option value="interim">an interim part</option><option value="remainder">the remainder</option>
        </select>
      </label>
      {field('covers_from', 'From (blank: the period start)', { type: 'date' })}
      {field('covers_to', 'To (blank: the period end)', { type: 'date' })}
      {field('source', 'Source system', { placeholder: 'system or report' })}
      {field('query', 'Query', { placeholder: 'how the list was produced', grow: true })}
      {field('parameters', 'Parameters', { placeholder: 'date range, filters' })}
      {field('generated_by', 'Generated by')}
      {field('generated_at', 'Generated on', { type: 'date' })}
      {field('record_count', 'Record count the source reports', { type: 'number' })}
      <fieldset className="wide kinds">
        <legend>Evidence that it is complete and accurate</legend>
        {evidence.length === 0 && <span className="muted">The control has no evidence yet.</span>}
        {evidence.map((ev) => (
          <label key={ev.id} className="check">
            <input type="checkbox" checked={proof.includes(ev.id)} onChange={(e) => setProof(e.target.checked ? [...proof, ev.id] : proof.filter((x) => x !== ev.id))} />
            {ev.title} <span className="muted">#{ev.id}</span>
          </label>
        ))}
      </fieldset>
      <div className="actions"><button type="submit" id="population-upload">Upload population</button></div>
    </form>
  )
}

function DrawForm({ onDraw }: { onDraw: (attributes: string[], seed?: number, size?: number) => Promise<void> }) {
  const [attributes, setAttributes] = useState('')
  const [seed, setSeed] = useState('')
  const [size, setSize] = useState('')
  return (
    <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void onDraw(attributes.split(';').map((a) => a.trim()).filter(Boolean), seed ? Number(seed) : undefined, size ? Number(size) : undefined) }}>
      <label className="grow">Attributes tested on each item (separate with ;)<input id="sample-attributes" required value={attributes} onChange={(e) => setAttributes(e.target.value)} placeholder="approved before deployment; tested" /></label>
      <label>Seed (optional)<input inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} /></label>
      <label>Size (blank: as required)<input inputMode="numeric" value={size} onChange={(e) => setSize(e.target.value)} /></label>
      <button type="submit" id="draw-sample">Draw sample</button>
    </form>
  )
}

const resultWords: Record<string, string> = { pass: 'passed', fail: 'failed', na: 'not applicable' }

/**
 * A sampled item's evidence: the items linked, and on request the list to
 * choose from. The list opens for one item at a time: open in every row,
 * a sample of 60 items with a control's 100 records was 6,000 options and
 * held the page for most of a second.
 */
function ItemEvidence({ item, evidence, onChoose }: { item: SampledItem; evidence: Evidence[]; onChoose: (ids: number[]) => void }) {
  const [open, setOpen] = useState(false)
  const ids = item.evidence_ids ?? []
  const linked = ids.map((e) => `#${e}`).join(', ')
  if (evidence.length === 0) return <>{linked}</>
  if (!open) {
    return (
      <>
        {linked}{linked && ' '}
        <button type="button" className="link-dark" aria-label={`Choose evidence for ${item.item_id}`} onClick={() => setOpen(true)}>{ids.length > 0 ? 'change' : 'choose'}</button>
      </>
    )
  }
  return (
    <select multiple aria-label={`Evidence for ${item.item_id}`} value={ids.map(String)}
      onChange={(e) => onChoose(Array.from(e.target.selectedOptions, (o) => Number(o.value)))}>
      {evidence.map((ev) => <option key={ev.id} value={ev.id}>#{ev.id} {ev.title}</option>)}
    </select>
  )
}

export function SampleTable({ id, sample: s, evidence, left, editable, act, actOnItems = act }: {
  id: number; sample: DrawnSample; evidence: Evidence[]; left: number; editable: boolean; act: (fn: () => Promise<unknown>) => Promise<void>
  /** Records items: reads again only what recording changes (default: act). */
  actOnItems?: (fn: () => Promise<unknown>) => Promise<void>
}) {
  const [size, setSize] = useState('')
  const [reason, setReason] = useState('')
  const [testedOn, setTestedOn] = useState('')
  const [picked, setPicked] = useState<Set<number>>(new Set())
  const [notice, setToast] = useNotice()
  const record = (it: SampledItem, results: Record<string, string>, evidenceIds: number[] = it.evidence_ids ?? []) =>
    actOnItems(() => testing.recordItem(id, s.id, it.seq, results, it.notes, testedOn, evidenceIds))
  // A result cell is a quick edit: its notice's Undo writes back the item as it was.
  const recordCell = async (it: SampledItem, attribute: string, value: string) => {
    let saved = false
    await actOnItems(async () => {
      await testing.recordItem(id, s.id, it.seq, { ...it.results, [attribute]: value }, it.notes, testedOn, it.evidence_ids ?? [])
      saved = true
    })
    if (!saved) return
    setToast({
      text: `${attribute} for ${it.item_id}: ${value ? resultWords[value] ?? value : 'cleared'}.`,
      undo: async () => {
        await testing.recordItem(id, s.id, it.seq, it.results, it.notes, it.tested_on ?? undefined, it.evidence_ids ?? [])
        await actOnItems(async () => undefined)
      },
    })
  }
  const pick = (seqs: number[], on: boolean) => setPicked((p) => { const n = new Set(p); for (const q of seqs) { if (on) n.add(q); else n.delete(q) } return n })
  const chosen = s.items.filter((it) => picked.has(it.seq))
  // Passing the chosen items is one change; undo writes back each item's results as they were.
  const passChosen = async () => {
    const before = chosen.map((it) => ({ seq: it.seq, results: it.results, notes: it.notes, tested_on: it.tested_on ?? undefined }))
    let passed = false
    await act(async () => { await testing.passItems(id, s.id, before.map((b) => b.seq)); passed = true })
    if (!passed) return
    setPicked(new Set())
    setToast({
      text: `${before.length} ${before.length === 1 ? 'item' : 'items'} marked passed.`,
      undo: async () => {
        for (const b of before) await testing.recordItem(id, s.id, b.seq, b.results, b.notes, b.tested_on)
        await act(async () => undefined)
      },
    })
  }
  return (
    <div className="sample" data-sample={s.id} id={`sample-${s.id}`}>
      {notice}
      <h3>{s.purpose === 'retest' ? `Retest of exception ${s.remediation_exception_id ?? ''}, ${s.covers_from ?? ''} to ${s.covers_to ?? ''},` : s.extends_id ? `Extension of sample ${s.extends_id}` : 'Sample'} of {s.size}: seed {s.seed}</h3>
      <p className="muted">{s.method}, drawn {s.selected_at.slice(0, 10)} · required {s.required_size}{s.risk && ` at ${s.risk} risk`} ({s.size_reason})</p>
      {editable && <label className="inline">Tested on (blank: today)<input type="date" value={testedOn} onChange={(e) => setTestedOn(e.target.value)} /></label>}
      {editable && chosen.length > 0 && (
        <div className="bulk-bar">
          <span>{chosen.length} {chosen.length === 1 ? 'item' : 'items'} chosen</span>
          <button type="button" className="primary pass-chosen" onClick={() => void passChosen()}>Mark chosen passed</button>
        </div>
      )}
      <table className="data">
        <thead><tr>{editable && (
          <th scope="col"><input type="checkbox" aria-label="Select every item of this sample" checked={s.items.length > 0 && chosen.length === s.items.length}
            onChange={(e) => pick(s.items.map((it) => it.seq), e.target.checked)} /></th>
        )}<th scope="col">Item</th><th scope="col">Date</th><th scope="col">Description</th>{s.attributes.map((a) => <th key={a} scope="col">{a}</th>)}<th scope="col">Tested</th><th scope="col">Evidence</th><th scope="col">Exception</th></tr></thead>
        <tbody>
          {s.items.map((it) => (
            <tr key={it.seq} className={it.exception ? 'exception' : ''} data-item={it.item_id}>
              {editable && <td><input type="checkbox" aria-label={`Select ${it.item_id}`} checked={picked.has(it.seq)} onChange={(e) => pick([it.seq], e.target.checked)} /></td>}
              <td>{it.item_id}</td><td>{it.date ?? ''}</td><td>{it.description}</td>
              {s.attributes.map((a) => (
                <td key={a}>
                  {editable ? (
                    <select aria-label={`${a} for ${it.item_id}`} value={it.results[a] ?? ''} onChange={(e) => void recordCell(it, a, e.target.value)}>
                      <option value="">–</option><option value="pass">pass</option><option value="fail">fail</option><option value="na">n/a</option>
                    </select>
                  ) : it.results[a] ?? '–'}
                </td>
              ))}
              <td className="muted">{it.tested_on ? `${it.tested_by || 'someone'}, ${it.tested_on}` : ''}</td>
              <td>
                <ItemEvidence item={it} evidence={editable ? evidence : []} onChoose={(ids) => void record(it, it.results, ids)} />
              </td>
              <td>{it.exception ? 'yes' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SignOffLine what="sample's results" signOff={s.sign_off} editable={editable} onSign={(as) => void act(() => testing.signSample(id, s.id, as, s.version))} />
      {editable && !s.extends_id && s.purpose !== 'retest' && left > 0 && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void act(() => testing.extendSample(id, s.id, Number(size), reason)) }}>
          <label>Extend by<input className="extend-size" inputMode="numeric" required value={size} onChange={(e) => setSize(e.target.value)} placeholder={`1 to ${left}`} /></label>
          <label className="grow">Why<input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="a deviation was found" /></label>
          <button type="submit" className="extend-sample">Extend sample</button>
        </form>
      )}
    </div>
  )
}

/**
 * Who prepared a piece of work and who reviewed it, with the buttons to
 * sign it off; the server refuses a reviewer who is the preparer.
 */
function SignOffLine({ what, signOff, editable, onSign }: { what: string; signOff: SignOff; editable: boolean; onSign: (as: Signer) => void }) {
  const { session } = useSession()
  const me = session?.user.email
  return (
    <p className="sign-off" data-sign-off={what}>
      <span>Prepared: {signOff.prepared_by ? `${signOff.prepared_by}, ${signOff.prepared_on}` : 'not yet'}</span>
      {' · '}
      <span>Reviewed: {signOff.reviewed_by ? `${signOff.reviewed_by}, ${signOff.reviewed_on}` : 'not yet'}</span>
      {editable && signOff.reviewed_by !== me && (
        <> <button type="button" className="sign-preparer" onClick={() => onSign('preparer')}>Sign off the {what} as preparer</button></>
      )}
      {editable && signOff.prepared_by && signOff.prepared_by !== me && !signOff.reviewed_by && (
        <> <button type="button" className="sign-reviewer" onClick={() => onSign('reviewer')}>Sign off the {what} as reviewer</button></>
      )}
    </p>
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
  const [x, setX] = useState({ description: exception.description, management_response: exception.management_response })
  const edit = useEdit(exception)
  async function submit(e: FormEvent) {
    e.preventDefault()
    try {
      edit.saved((await testing.updateException(engagementId, exception.id, x, edit.base.version)).exception)
      onSaved()
    } catch (err) {
      if (!edit.caught(err, 'exception')) onError(err)
    }
  }
  return (
    <form className="reset" onSubmit={(e) => void submit(e)}>
      <input aria-label="Exception description" value={x.description} onChange={(e) => setX({ ...x, description: e.target.value })} />
      <input aria-label="Management response" value={x.management_response} onChange={(e) => setX({ ...x, management_response: e.target.value })} />
      <button type="submit">Save exception</button>
      <ConflictNotice what="exception" edit={edit} fields={[{ key: 'description', label: 'Description' }, { key: 'management_response', label: 'Management response' }]}
        mine={x} onTakeTheirs={(theirs) => setX({ description: theirs.description, management_response: theirs.management_response })} />
    </form>
  )
}
