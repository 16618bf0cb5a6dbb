import { useEffect, useState, type FormEvent } from 'react'
import { conclusions, testing, type CriterionEvaluation, type CriterionEvaluationInput, type OpinionImpact, type RollUp } from '../api'
import { messageOf } from './CatalogPage'
import { conclusionWords } from '../conclusions'

const percent = (n: number) => `${Math.round(n * 10) / 10} %`

/** What the conclusions mean for the opinion: criteria not met, scope limitations, those still to evaluate, and whether they are pervasive. */
export function OpinionImpactCard({ id, version }: { id: number; version: number }) {
  const [o, setO] = useState<OpinionImpact | null>(null)
  useEffect(() => {
    conclusions.opinionImpact(id).then(setO, () => setO(null))
  }, [id, version])
  if (!o) return null
  const rows = [
    ...o.not_met.map((r) => ({ ...r, why: 'not met: a qualification candidate' })),
    ...o.scope_limitations.map((r) => ({ ...r, why: 'scope limitation' })),
    ...o.evaluation_needed.map((r) => ({ ...r, why: 'deviations not evaluated yet' })),
  ]
  return (
    <section className="card" aria-labelledby="opinion-title">
      <h2 id="opinion-title">Opinion impact</h2>
      {rows.length === 0 ? (
        <p className="empty" id="opinion-impact-empty">No criterion is not met, limited in scope or waiting for the evaluation of its deviations: nothing modifies the opinion so far.</p>
      ) : (
        <ul id="opinion-impact-list">
          {rows.map((r) => <li key={r.ref} data-ref={r.ref}><code>{r.ref}</code> {r.title}: {r.why}</li>)}
        </ul>
      )}
      <p id="opinion-pervasive">
        {o.pervasive ? 'Pervasive' : 'Not pervasive'}: {o.affected} of {o.applicable} applicable criteria not met or limited in scope
        (pervasive above {o.pervasive_percent} %).
      </p>
    </section>
  )
}

/** The criteria with deviations, each with its evaluation or the form to record one. */
export function DeviationsToEvaluate({ id, version, canTest, onChanged }: { id: number; version: number; canTest: boolean; onChanged: () => void }) {
  const [r, setR] = useState<RollUp | null>(null)
  const [open, setOpen] = useState('')
  useEffect(() => {
    testing.rollUp(id).then(setR, () => setR(null))
  }, [id, version])
  const rows = r?.requirements.filter((q) => q.deviations) ?? []
  if (rows.length === 0) return null
  return (
    <section className="card" aria-labelledby="deviations-title">
      <h2 id="deviations-title">Deviations to evaluate ({rows.length})</h2>
      <p className="hint">A deviation never concludes a criterion by itself: its cause, extent, rate against the tolerable rate and compensating controls are evaluated, and the criterion is then met after evaluation or not met.</p>
      <table className="data" id="deviations-table">
        <thead><tr><th scope="col">Criterion</th><th scope="col">Conclusion</th><th scope="col">Controls with deviations</th><th scope="col"><span className="visually-hidden">Evaluation</span></th></tr></thead>
        <tbody>
          {rows.map((q) => (
            <tr key={q.ref} data-ref={q.ref} data-state={q.state}>
              <td><code>{q.ref}</code> {q.title}</td>
              <td><span className={`pill ${q.state}`}>{conclusionWords(q.state)}</span></td>
              <td>{q.deviating.join(', ') || 'the subservice organisation'}</td>
              <td>
                <button type="button" aria-expanded={open === q.ref} onClick={() => setOpen(open === q.ref ? '' : q.ref)}>
                  {open === q.ref ? 'Close' : q.evaluated ? 'Evaluation' : canTest ? 'Evaluate' : 'Details'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <EvaluationForm key={`${open}-${version}`} id={id} refName={open} canTest={canTest} onChanged={onChanged} />}
    </section>
  )
}

function EvaluationForm({ id, refName, canTest, onChanged }: { id: number; refName: string; canTest: boolean; onChanged: () => void }) {
  const [v, setV] = useState<CriterionEvaluation | null>(null)
  const [f, setF] = useState<CriterionEvaluationInput>({ cause: '', extent: '', compensating_control_ids: [], conclusion: '' })
  const [error, setError] = useState('')
  useEffect(() => {
    conclusions.evaluation(id, refName).then((got) => {
      setV(got)
      const ev = got.evaluation
      if (ev) setF({ cause: ev.cause, extent: ev.extent, compensating_control_ids: ev.compensating_controls.map((c) => c.id), conclusion: ev.conclusion })
    }, (err: unknown) => setError(messageOf(err)))
  }, [id, refName])
  if (!v) return error ? <p className="error" role="alert">{error}</p> : <p className="loading">Loading…</p>

  async function run(fn: () => Promise<unknown>) {
    setError('')
    try {
      await fn()
      onChanged()
    } catch (err) {
      setError(messageOf(err))
    }
  }
  function submit(ev: FormEvent) {
    ev.preventDefault()
    void run(() => conclusions.evaluate(id, refName, f, v?.evaluation?.version ?? 0))
  }
  const fig = v.figures
  const ev = v.evaluation
  const toggle = (cid: number, on: boolean) =>
    setF({ ...f, compensating_control_ids: on ? [...f.compensating_control_ids, cid] : f.compensating_control_ids.filter((x) => x !== cid) })
  const keyDeviation = v.deviating.some((d) => d.key)
  return (
    <form className="evaluation" id="evaluation-form" aria-label={`Evaluation of ${refName}`} onSubmit={submit}>
      <h3><code>{refName}</code> {v.requirement.title}</h3>
      <p id="evaluation-rate">
        {fig.sample_size > 0
          ? <>Deviation rate {percent(fig.deviation_rate)} ({fig.deviations} of {fig.sample_size}) against a tolerable rate of {percent(fig.tolerable_rate)} for {fig.sample_size} items: {fig.exceeds ? 'exceeds it' : 'within it'}.</>
          : <>No tested items: the deviation is the subservice organisation's coverage.</>}
      </p>
      <p>Controls with deviations: {v.deviating.map((d) => `${d.ref}${d.key ? ' (key)' : ''}: ${d.outcome.replaceAll('_', ' ')}`).join('; ') || 'none of ours'}</p>
      {keyDeviation && <p className="hint">A key control deviates: concluding met needs at least one effective compensating key control.</p>}
      <label>Cause<textarea name="cause" value={f.cause} disabled={!canTest} onChange={(e) => setF({ ...f, cause: e.target.value })} /></label>
      <fieldset>
        <legend>Extent</legend>
        {(['isolated', 'systemic'] as const).map((x) => (
          <label key={x}><input type="radio" name="extent" value={x} checked={f.extent === x} disabled={!canTest} onChange={() => setF({ ...f, extent: x })} /> {x}</label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Compensating controls (effective, in scope)</legend>
        {v.compensators.length === 0 && <p className="empty">No in-scope control is effective yet.</p>}
        {v.compensators.map((c) => (
          <label key={c.id} data-control={c.ref}>
            <input type="checkbox" checked={f.compensating_control_ids.includes(c.id)} disabled={!canTest} onChange={(e) => toggle(c.id, e.target.checked)} /> {c.ref}{c.key ? ' (key)' : ''}
          </label>
        ))}
      </fieldset>
      <label>Conclusion
        <select name="conclusion" value={f.conclusion} disabled={!canTest} onChange={(e) => setF({ ...f, conclusion: e.target.value as CriterionEvaluationInput['conclusion'] })}>
          <option value="">choose…</option>
          <option value="met">the criterion is still met</option>
          <option value="not_met">the criterion is not met</option>
        </select>
      </label>
      {ev && (
        <p className="muted" id="evaluation-recorded">
          Evaluated by {ev.evaluated_by} on {ev.evaluated_at.slice(0, 10)} at {percent(ev.deviation_rate)} against {percent(ev.tolerable_rate)}
          {ev.sign_off.prepared_by && <>; prepared: {ev.sign_off.prepared_by}, {ev.sign_off.prepared_on}</>}
          {ev.sign_off.reviewed_by && <>; reviewed: {ev.sign_off.reviewed_by}, {ev.sign_off.reviewed_on}</>}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {canTest && (
        <p>
          <button type="submit" id="save-evaluation">Save the evaluation</button>{' '}
          {ev && <button type="button" onClick={() => void run(() => conclusions.signEvaluation(id, refName, 'preparer', ev.version))}>Sign off as preparer</button>}{' '}
          {ev && <button type="button" onClick={() => void run(() => conclusions.signEvaluation(id, refName, 'reviewer', ev.version))}>Sign off as reviewer</button>}{' '}
          {ev && <button type="button" onClick={() => window.confirm(`Withdraw the evaluation of ${refName}? Its conclusion and sign-offs are removed.`) &&
            void run(() => conclusions.withdrawEvaluation(id, refName, ev.version))}>Withdraw</button>}
        </p>
      )}
    </form>
  )
}

/** Decides, for one engagement, that a criterion does not apply (with the reason), or that it applies again. */
export function ApplicabilityControl({ id, refName, notApplicable, onChanged }: { id: number; refName: string; notApplicable: boolean; onChanged: () => void }) {
  const [reason, setReason] = useState('')
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState('')
  async function run(fn: () => Promise<unknown>) {
    setError('')
    try {
      await fn()
      setEditing(false)
      onChanged()
    } catch (err) {
      setError(messageOf(err))
    }
  }
  if (notApplicable) {
    return <button type="button" className="link" onClick={() => window.confirm(`Make ${refName} applicable to this engagement again? The reason it does not apply is removed, `
      + 'and it needs its controls and a conclusion like every criterion in scope.') && void run(() => conclusions.clearNotApplicable(id, refName))}>Applicable again</button>
  }
  if (!editing) return <button type="button" className="link" onClick={() => setEditing(true)}>Not applicable…</button>
  return (
    <form className="inline" onSubmit={(e) => { e.preventDefault(); void run(() => conclusions.setNotApplicable(id, refName, reason)) }}>
      <label>Why {refName} does not apply to this engagement<input value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <button type="submit">Save</button> <button type="button" onClick={() => setEditing(false)}>Cancel</button>
      {error && <span className="error" role="alert"> {error}</span>}
    </form>
  )
}
