import { useState, type FormEvent } from 'react'
import { testing, uploadEvidence, type ReviewState, type SubserviceOrg, type SubserviceReview, type VendorCUEC } from '../api'
import { messageOf } from './CatalogPage'

type Control = { id: number; ref: string; title: string }

/** Where a subservice organisation's review stands, in words, with the pill class that colours it. */
export const reviewStates: Record<ReviewState, { words: string; pill: string }> = {
  current: { words: 'review current', pill: 'covered' },
  review_due: { words: 'review due', pill: 'expiring' },
  out_of_date: { words: 'review out of date', pill: 'expired' },
  gap_without_bridge_letter: { words: 'gap without bridge letter', pill: 'expired' },
}

const reportWords = (r: SubserviceReview) =>
  `${r.report === 'soc1' ? 'SOC 1' : 'SOC 2'} ${r.report_type === 'type1' ? 'Type I as of' : 'Type II,'} ${r.period_start ? `${r.period_start} to ` : ''}${r.period_end}`

/**
 * The review a subservice organisation's standing rests on: the vendor's
 * report, opinion, exceptions and their relevance, its CUECs with the
 * controls of ours that address them, and who reviewed it when.
 */
export function ReviewSummary({ engagementId, org, controls, editable, run }: {
  engagementId: number; org: SubserviceOrg; controls: Control[]; editable: boolean; run: (fn: () => Promise<unknown>) => void
}) {
  const state = org.review_state ? reviewStates[org.review_state] : null
  const r = org.latest_review
  const ref = (id: number | null) => (id ? controls.find((c) => c.id === id)?.ref ?? `control ${id}` : 'not addressed yet')
  return (
    <div className="review">
      {state && <span className={`pill ${state.pill}`} data-review-state={org.review_state}>{state.words}</span>}
      {r && (
        <>
          <span className="muted"> {reportWords(r)}{r.vendor_auditor && `, ${r.vendor_auditor}`}, opinion {r.opinion}; reviewed {r.reviewed_on}
            {r.bridge_letter_evidence_id ? ', bridge letter on file' : ''}</span>
          {editable && <button type="button" className="small" onClick={() => window.confirm(`Remove the review of ${org.name}'s ${reportWords(r)}, reviewed ${r.reviewed_on}?`) && run(() => testing.removeReview(engagementId, org.id, r.id))}>Remove review</button>}
          {(r.exceptions_noted || r.exceptions_relevance) && (
            <p className="hint">Exceptions noted: {r.exceptions_noted || 'none'}{r.exceptions_relevance && ` — relevance to us: ${r.exceptions_relevance}`}</p>
          )}
          {r.cuecs.length > 0 && (
            <ul aria-label={`CUECs of ${org.name}'s report`}>
              {r.cuecs.map((c, i) => <li key={i}>Vendor CUEC: {c.text} <span className="muted">— addressed by {ref(c.control_id)}</span></li>)}
            </ul>
          )}
        </>
      )}
    </div>
  )
}

const blank = { report: 'soc2', report_type: 'type2', period_start: '', period_end: '', vendor_auditor: '', opinion: 'unmodified',
  exceptions_noted: '', exceptions_relevance: '', reviewed_on: new Date().toISOString().slice(0, 10) }

/** Records a review of the organisation's own SOC report; the bridge letter is uploaded as evidence first. */
export function RecordReview({ engagementId, org, controls, onDone }: { engagementId: number; org: SubserviceOrg; controls: Control[]; onDone: () => void }) {
  const [f, setF] = useState(blank)
  const [cuecs, setCuecs] = useState<VendorCUEC[]>([])
  const [bridge, setBridge] = useState<File | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setBusy(true)
    try {
      let bridgeID: number | undefined
      if (bridge) {
        const ev = await uploadEvidence(bridge, { title: `${org.name} bridge letter`, as_of: f.reviewed_on,
          control_ids: org.monitoring_control_id ? [org.monitoring_control_id] : undefined, provided_by: org.name }, () => {})
        bridgeID = ev?.id
      }
      await testing.addReview(engagementId, org.id, { ...f, period_start: f.report_type === 'type1' ? null : f.period_start,
        cuecs: cuecs.filter((c) => c.text.trim() !== ''), bridge_letter_evidence_id: bridgeID })
      setF(blank)
      setCuecs([])
      setBridge(null)
      onDone()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value })
  return (
    <form className="form-grid" aria-label={`Review of ${org.name}'s report`} onSubmit={(e) => void submit(e)}>
      <label>Report<select value={f.report} onChange={set('report')}><option value="soc2">SOC 2</option><option value="soc1">SOC 1</option></select></label>
      <label>Type<select value={f.report_type} onChange={set('report_type')}><option value="type2">Type II</option><option value="type1">Type I</option></select></label>
      {f.report_type === 'type2' && <label>Vendor period start<input type="date" required value={f.period_start} onChange={set('period_start')} /></label>}
      <label>{f.report_type === 'type2' ? 'Vendor period end' : 'As of'}<input type="date" required value={f.period_end} onChange={set('period_end')} /></label>
      <label>Vendor's auditor<input value={f.vendor_auditor} onChange={set('vendor_auditor')} /></label>
      <label>Opinion<select value={f.opinion} onChange={set('opinion')}>
        {['unmodified', 'qualified', 'adverse', 'disclaimer'].map((o) => <option key={o} value={o}>{o}</option>)}
      </select></label>
      <label className="wide">Exceptions noted<input value={f.exceptions_noted} onChange={set('exceptions_noted')} /></label>
      <label className="wide">Their relevance to us<input value={f.exceptions_relevance} onChange={set('exceptions_relevance')} /></label>
      <label>Reviewed on<input type="date" required value={f.reviewed_on} onChange={set('reviewed_on')} /></label>
      <label>Bridge letter<input type="file" onChange={(e) => setBridge(e.target.files?.[0] ?? null)} /></label>
      {cuecs.map((c, i) => (
        <div className="wide inline-form" key={i}>
          <label className="grow">Vendor CUEC {i + 1}<input value={c.text} onChange={(e) => setCuecs(cuecs.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))} /></label>
          <label>Addressed by
            <select value={c.control_id ?? ''} onChange={(e) => setCuecs(cuecs.map((x, j) => (j === i ? { ...x, control_id: e.target.value ? Number(e.target.value) : null } : x)))}>
              <option value="">Not addressed yet</option>
              {controls.map((x) => <option key={x.id} value={x.id}>{x.ref} {x.title}</option>)}
            </select>
          </label>
        </div>
      ))}
      {error && <p className="error wide" role="alert">{error}</p>}
      <div className="actions">
        <button type="button" onClick={() => setCuecs([...cuecs, { text: '', control_id: null }])}>Add a vendor CUEC</button>
        <button type="submit" disabled={busy}>Record review</button>
      </div>
    </form>
  )
}
