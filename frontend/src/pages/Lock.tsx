import { useEffect, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { ApiError, engagementStatuses, lockedStatuses, testing, type BridgeLetter, type BridgePreview, type Engagement } from '../api'
import { messageOf } from './CatalogPage'
import { oneOf, type EngagementStatus } from '../schema'

/** Whether the engagement is frozen: from reporting on its report rests on what was tested. */
export const isLocked = (status: EngagementStatus) => oneOf(lockedStatuses, status)

const order = (s: EngagementStatus) => engagementStatuses.indexOf(s)

/**
 * The statuses the signed-in user may move the engagement to, as the
 * server allows them: forward freely, back within planning and fieldwork
 * freely, back from reporting or later only for an admin, and never from
 * issued or closed to planning (the next period is rolled forward).
 */
export function statusChoices(from: EngagementStatus, admin: boolean): EngagementStatus[] {
  return engagementStatuses.filter((to) => {
    if (to === from || order(to) > order(from) || !isLocked(from)) return true
    if (order(from) >= order('issued') && to === 'planning') return false
    return admin
  })
}

/** Whether going to `to` is a move back out of the lock, which needs a reason. */
export const movesBack = (from: EngagementStatus, to: EngagementStatus) => isLocked(from) && order(to) < order(from)

/** An error as a sentence; a refusal by the lock says what is frozen and how to unfreeze it. */
export function errorWords(err: unknown): string {
  if (err instanceof ApiError && err.code === 'engagement_locked') {
    return `Not saved: the engagement is locked. ${err.message}.`
  }
  return err instanceof ApiError ? [err.message, ...Object.values(err.fields)].join(': ') : messageOf(err)
}

/** Says that a locked engagement is frozen, and since when it would change again. */
export function LockBanner({ e }: { e: Pick<Engagement, 'status'> }) {
  if (!isLocked(e.status)) return null
  return (
    <p className="lock-banner" role="note" id="lock-banner">
      In {e.status}. Frozen from reporting on: scope, period, results, samples and evidence relied on cannot change.
    </p>
  )
}

/**
 * The engagement's status: a choice of the moves allowed, and for a move
 * back out of the lock the reason and a confirmation before it is sent.
 */
export function StatusControl({ e, admin, onMove }: { e: Pick<Engagement, 'status'>; admin: boolean; onMove: (status: EngagementStatus, reason?: string) => void }) {
  const [back, setBack] = useState<EngagementStatus | ''>('')
  const [reason, setReason] = useState('')
  function choose(to: EngagementStatus) {
    if (movesBack(e.status, to)) {
      setBack(to)
      return
    }
    if (!isLocked(e.status) && isLocked(to) &&
      !window.confirm(`Move the engagement to ${to}? Scope, period, results, samples and evidence relied on are frozen from then on.`)) return
    onMove(to)
  }
  function confirm(ev: FormEvent) {
    ev.preventDefault()
    if (back) onMove(back, reason.trim())
    setBack('')
    setReason('')
  }
  return (
    <>
      <select aria-label="Status" value={back || e.status} onChange={(ev) => { if (oneOf(engagementStatuses, ev.target.value)) choose(ev.target.value) }}>
        {statusChoices(e.status, admin).map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
      {back && (
        <form className="form-grid move-back" aria-label="Move the engagement back" onSubmit={confirm}>
          <p className="wide">
            Move the engagement back from {e.status} to {back}? Its scope, results, samples and evidence can change again, and the
            point-in-time record taken at reporting is superseded. The move is audited with its reason.
          </p>
          <label className="wide">Why it goes back<textarea required rows={2} value={reason} onChange={(ev) => setReason(ev.target.value)} /></label>
          <div className="actions">
            <button type="submit" className="primary" disabled={!reason.trim()}>Move back to {back}</button>
            <button type="button" onClick={() => { setBack(''); setReason('') }}>Cancel</button>
          </div>
        </form>
      )}
    </>
  )
}

/**
 * Management's bridge letter for an issued Type II: drafts it as a Word
 * document for a chosen date and signer, and keeps the signed letter as
 * evidence of an in-scope control.
 */
export function BridgeLetterCard({ id, periodEnd, controls, editable }: {
  id: number; periodEnd: string; controls: { id: number; ref: string; title: string }[]; editable: boolean
}) {
  const [letters, setLetters] = useState<BridgeLetter[]>([])
  const [f, setF] = useState({ covers_to: '', signer_name: '', signer_title: '', control_id: String(controls[0]?.id ?? '') })
  const [error, setError] = useState('')
  const [status, setStatus] = useState('')
  const [version, setVersion] = useState(0)
  const [preview, setPreview] = useState<BridgePreview | null>(null)
  useEffect(() => {
    testing.bridgeLetters(id).then((r) => setLetters(r.bridge_letters), () => setLetters([]))
  }, [id, version])
  const body = () => ({ covers_to: f.covers_to, signer_name: f.signer_name, signer_title: f.signer_title })
  async function run(fn: () => Promise<unknown>, done: string) {
    setError('')
    setStatus('')
    try {
      await fn()
      setStatus(done)
      setVersion((v) => v + 1)
    } catch (err) {
      setError(errorWords(err))
    }
  }
  return (
    <section className="card" aria-labelledby="bridge-title" id="bridge-letter">
      <h2 id="bridge-title">Bridge letter</h2>
      <p className="hint">
        Management's letter for the time after the period ({periodEnd}) up to a chosen date: the report and its period, the gap covered,
        the changes to its controls since (from the audit trail), the exceptions the report noted, and the signer.
      </p>
      {letters.length > 0 && (
        <ul className="bridge-letters">
          {letters.map((l) => (
            <li key={l.id}>
              To {l.covers_to}, signed by {l.signer_name}{l.signer_title && `, ${l.signer_title}`} on {l.signed_at.slice(0, 10)} —{' '}
              <Link to={`/evidence/${l.evidence_id}`}>evidence {l.evidence_id}</Link> <span className="muted">SHA-256 {l.sha256.slice(0, 12)}…</span>
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form className="form-grid" onSubmit={(ev) => { ev.preventDefault(); void run(() => testing.draftBridgeLetter(id, body()), 'The draft was downloaded.') }}>
          <label>Covers to<input type="date" required min={periodEnd} value={f.covers_to} onChange={(ev) => setF({ ...f, covers_to: ev.target.value })} /></label>
          <label>Signer<input required value={f.signer_name} onChange={(ev) => setF({ ...f, signer_name: ev.target.value })} /></label>
          <label>Signer's title<input value={f.signer_title} onChange={(ev) => setF({ ...f, signer_title: ev.target.value })} /></label>
          <label>Kept as evidence of
            <select value={f.control_id} onChange={(ev) => setF({ ...f, control_id: ev.target.value })}>
              {controls.map((c) => <option key={c.id} value={c.id}>{c.ref} {c.title}</option>)}
            </select>
          </label>
          <div className="actions">
            <button type="button" id="preview-bridge" disabled={!f.covers_to || !f.signer_name}
              onClick={() => void run(async () => setPreview((await testing.previewBridgeLetter(id, body())).bridge_letter), '')}>Preview the material changes</button>
            <button type="submit" id="draft-bridge">Download the draft (.docx)</button>
            <button type="button" id="sign-bridge" disabled={!f.covers_to || !f.signer_name || !f.control_id}
              onClick={() => window.confirm(`Keep the letter to ${f.covers_to} as signed by ${f.signer_name}, as evidence?`) &&
                void run(() => testing.signBridgeLetter(id, { ...body(), control_id: Number(f.control_id) }), 'The signed letter is kept as evidence.')}>
              Sign and keep as evidence
            </button>
          </div>
        </form>
      )}
      {preview && (
        <div className="bridge-preview" id="bridge-preview">
          <h3>From {preview.gap_from} to {preview.covers_to}</h3>
          <p>Material changes to the controls: {preview.changes.length === 0 && 'none in the audit trail.'}</p>
          {preview.changes.length > 0 && <ul>{preview.changes.map((c) => <li key={c}>{c}</li>)}</ul>}
          <p>Known deficiencies the report noted: {preview.deficiencies.length === 0 && 'none.'}</p>
          {preview.deficiencies.length > 0 && <ul>{preview.deficiencies.map((d) => <li key={d}>{d}</li>)}</ul>}
        </div>
      )}
      {status && <p role="status">{status}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  )
}
