import { useState } from 'react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { engagements, testing, windowStateNames, type Evidence, type GridControl, type OccurrenceWindow, type ScopedControl } from '../api'
import { messageOf } from './CatalogPage'

/** One line on how a control operates in the period: schedule, calendar, retirement, changes. */
export function OperationLine({ c }: { c: Pick<ScopedControl, 'schedule_words' | 'calendar_words' | 'retired' | 'changes' | 'basis'> }) {
  const parts = [c.schedule_words, c.calendar_words, c.retired,
    ...c.changes.filter((x) => x.kind === 'implemented').map((x) => `implemented on ${x.on}`)]
  if (c.basis === 'baseline') parts.push('automated: a test of one for the period')
  if (c.basis === 'population') parts.push('tested from its population')
  const text = parts.filter(Boolean).join('; ')
  return text ? <span className="muted operation">{text}</span> : null
}

/** The title of a grid cell: the window, its state and what covers it or why it is not expected. */
export function windowTitle(w: OccurrenceWindow): string {
  const what = w.state === 'not_expected' ? `not expected: ${w.reason}`
    : w.evidence.length > 0 ? `covered by evidence ${w.evidence.join(', ')}${w.attached.length > 0 ? ` (attached: ${w.attached.join(', ')})` : ''}`
      : w.state === 'due' ? `due by ${w.due_on}` : windowStateNames[w.state]
  return `${w.label}${w.partial ? ' (partial)' : ''}: ${what}`
}

/** A grid cell's short text: Jan, Q1, H1, W05, 2026; the day of a daily window. */
export function shortLabel(label: string): string {
  const period = /^\d{4}-([QHW]\d+)$/.exec(label)
  if (period) return period[1]!
  const month = /^([A-Z][a-z]{2})[a-z]* \d{4}$/.exec(label)
  if (month) return month[1]!
  const day = /^\d{4}-\d{2}-(\d{2})$/.exec(label)
  if (day) return day[1]!
  return label
}

/** Every window of one control, one cell each in its state, the title saying what covers it. */
export function WindowCells({ windows }: { windows: OccurrenceWindow[] }) {
  return (
    <span className="cells" id="window-cells">
      {windows.map((w) => (
        <span key={w.start} data-start={w.start} className={`cell ${w.state}${w.partial ? ' partial' : ''}`} title={windowTitle(w)}>
          {windows.length <= 24 ? w.short || shortLabel(w.label) : ''}
        </span>
      ))}
    </span>
  )
}

/**
 * The windows of one control, for a preparer: mark a window not expected
 * with the reason (the control had nothing to do), or attach summary
 * evidence, a listing that spans several windows, to the windows it
 * speaks for. The grid counts windows; the chosen control's are read here.
 */
export function WindowActions({ engagementId, controls, onChanged }: { engagementId: number; controls: GridControl[]; onChanged: () => void }) {
  const withWindows = controls.filter((c) => c.window_summary.expected > 0)
  const [controlId, setControlId] = useState(withWindows[0]?.id ?? 0)
  const chosen = withWindows.find((c) => c.id === controlId) ?? withWindows[0]
  const full = useQuery({
    queryKey: ['engagements', engagementId, 'controls', chosen?.id, 'windows'],
    queryFn: () => engagements.control(engagementId, chosen?.id ?? 0).then((r) => r.control),
    enabled: chosen !== undefined,
  })
  const [start, setStart] = useState('')
  const [reason, setReason] = useState('')
  const [evidenceId, setEvidenceId] = useState('')
  const [evidence, setEvidence] = useState<Evidence[] | null>(null)
  const act = useMutation({
    mutationFn: (fn: () => Promise<void>) => fn(),
    onSuccess: () => { setReason(''); onChanged() },
  })
  if (!chosen) return null
  if (full.isError) return <p className="error" role="alert">{messageOf(full.error)}</p>
  const control = full.data
  if (!control || control.id !== chosen.id || control.windows.length === 0) return <p className="loading">Loading the windows…</p>
  const window = control.windows.find((w) => w.start === start) ?? control.windows[0]!
  const loadEvidence = () => {
    testing.evidence(engagementId, control.id).then((r) => setEvidence(r.evidence), () => setEvidence([]))
  }
  return (
    <section className="card" aria-labelledby="window-actions-title" id="window-actions">
      <h3 id="window-actions-title">Windows of a control</h3>
      <div className="inline-form">
        <label>Control
          <select id="window-control" value={control.id} onChange={(e) => { setControlId(Number(e.target.value)); setStart(''); setEvidence(null) }}>
            {withWindows.map((c) => <option key={c.id} value={c.id}>{c.ref}</option>)}
          </select>
        </label>
        <label>Window
          <select id="window-start" value={window.start} onChange={(e) => setStart(e.target.value)}>
            {control.windows.map((w) => <option key={w.start} value={w.start}>{w.label} — {windowStateNames[w.state]}</option>)}
          </select>
        </label>
      </div>
      <p className="hint" id="window-state">{windowTitle(window)}</p>
      {window.state === 'not_expected' ? (
        <button type="button" id="window-clear" onClick={() => globalThis.confirm(`Expect ${control.ref} to operate in ${window.label} after all? The reason it did not have to is removed, `
          + 'and the window needs evidence again: once due without it, it counts as missing.') &&
          act.mutate(() => engagements.clearNotExpected(engagementId, control.id, window.start))}>
          Expected after all
        </button>
      ) : (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); act.mutate(() => engagements.markNotExpected(engagementId, control.id, window.start, reason)) }}>
          <label className="grow">Why the control did not have to operate
            <input id="window-reason" required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="No joiners or leavers this month" />
          </label>
          <button type="submit" id="window-not-expected">Mark not expected</button>
        </form>
      )}
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); act.mutate(() => engagements.attachEvidence(engagementId, control.id, window.start, Number(evidenceId))) }}>
        <label className="grow">Summary evidence that speaks for this window
          <select id="window-evidence" required value={evidenceId} onFocus={() => evidence === null && loadEvidence()} onChange={(e) => setEvidenceId(e.target.value)}>
            <option value="">Choose the control's evidence…</option>
            {(evidence ?? []).map((ev) => <option key={ev.id} value={ev.id}>{ev.id}: {ev.title}</option>)}
          </select>
        </label>
        <button type="submit" id="window-attach">Attach</button>
      </form>
      {window.attached.length > 0 && (
        <ul className="plain">
          {window.attached.map((id) => (
            <li key={id}>Evidence {id} attached{' '}
              <button type="button" className="small" onClick={() => globalThis.confirm(`Detach evidence ${id} from ${control.ref}, ${window.label}? It no longer speaks for that window.`) &&
                act.mutate(() => engagements.detachEvidence(engagementId, control.id, window.start, id))}>Detach</button>
            </li>
          ))}
        </ul>
      )}
      {act.error && <p className="error" role="alert">{messageOf(act.error)}</p>}
    </section>
  )
}
