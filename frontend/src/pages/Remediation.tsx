import { useState, type FormEvent } from 'react'
import { testing, type DrawnSample, type EngagementException } from '../api'
import { PersonPicker } from '../PersonPicker'

/** Counts a retest's items: tested (every attribute has an outcome) and failed. */
export function retestCounts(s: DrawnSample): { tested: number; failed: number } {
  let tested = 0
  let failed = 0
  for (const it of s.items) {
    if (!s.attributes.every((a) => it.results[a])) continue
    tested++
    if (Object.values(it.results).includes('fail')) failed++
  }
  return { tested, failed }
}

/** A retest's result in words, as Section IV states it. */
export function retestWords(s: DrawnSample): string {
  const { tested, failed } = retestCounts(s)
  const head = `Retest of ${s.covers_from ?? ''} to ${s.covers_to ?? ''}: `
  if (tested < s.items.length) return `${head}in progress (${tested} of ${s.items.length} items tested)`
  if (failed > 0) return `${head}exceptions noted (${failed} of ${tested})`
  return `${head}no exceptions noted (0 of ${tested})`
}

/** Who may own a remediation: the organisation's people, not its auditors. */
const remediationOwners = { role: 'admin,compliance,owner,viewer', active: true }

/**
 * An exception's remediation and retest: the day the control was put
 * right and who owns that (management records them, sent with the
 * exception's version), and the retest of the rest of the period beside
 * the original sample (recorded by whoever tests the engagement).
 */
export function ExceptionRemediation({ engagementId, exception: x, samples, manage, tests, onSaved, onError }: {
  engagementId: number
  exception: EngagementException
  /** The control's samples: the retests of this exception are among them. */
  samples: DrawnSample[]
  manage: boolean
  tests: boolean
  onSaved: () => void
  onError: (err: unknown) => void
}) {
  const retests = samples.filter((s) => s.purpose === 'retest' && s.remediation_exception_id === x.id)
  const original = samples.find((s) => s.purpose !== 'retest' && s.extends_id === null)
  const [date, setDate] = useState(x.remediation_date ?? '')
  const [owner, setOwner] = useState(String(x.remediation_owner_id ?? ''))
  const [attributes, setAttributes] = useState(original?.attributes.join('; ') ?? '')
  async function run(fn: () => Promise<unknown>) {
    try {
      await fn()
      onSaved()
    } catch (err) {
      onError(err)
    }
  }
  function save(e: FormEvent) {
    e.preventDefault()
    void run(() => testing.remediate(engagementId, x.id, { remediation_date: date, remediation_owner_id: Number(owner || 0) }, x.version))
  }
  function retest(e: FormEvent) {
    e.preventDefault()
    void run(() => testing.drawRetest(engagementId, x.id, attributes.split(';').map((a) => a.trim()).filter(Boolean)))
  }
  return (
    <div className="remediation" data-remediation={x.id}>
      <p className="remediation-line">
        {x.remediation_date ? `Remediated on ${x.remediation_date}${x.remediation_owner ? ` (owner: ${x.remediation_owner})` : ''}.` : 'Remediation not recorded yet.'}
      </p>
      {retests.map((s) => <p key={s.id} className="retest-result" data-sample={s.id}>{retestWords(s)} <a href={`#sample-${s.id}`}>sample {s.id}</a></p>)}
      {manage && retests.length === 0 && (
        <form className="inline-form" aria-label={`Remediation of exception ${x.id}`} onSubmit={save}>
          <label>Remediated on<input type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
          <PersonPicker id={`remediation-owner-${x.id}`} label="Owner" placeholder="Nobody yet: type a name" value={owner}
            filter={remediationOwners} onChange={(v) => setOwner(v)} />
          <button type="submit">Save remediation</button>
        </form>
      )}
      {tests && x.remediation_date && retests.length === 0 && (
        <form className="inline-form" aria-label={`Retest of exception ${x.id}`} onSubmit={retest}>
          <label className="grow">Attributes retested (separate with ;)<input required value={attributes} onChange={(e) => setAttributes(e.target.value)} /></label>
          <button type="submit">Draw a retest of the rest of the period</button>
        </form>
      )}
    </div>
  )
}
