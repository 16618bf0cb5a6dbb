import { useCallback, useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ApiError, engagements, mayTest, readinessLabel, testerLabels, type Engagement, type EngagementInput, type NextPeriod, type SamplePolicy, type Tester } from '../api'
import { ConflictNotice, instantEdit, type ConflictField } from '../ConflictNotice'
import { useSession } from '../session'
import type { Answer } from '../schema'
import { optionalCategories } from '../scope'
import { messageOf } from './CatalogPage'
import { dates, reportName } from './EngagementsPage'
import { ComplementaryControls, ExceptionsList, Readiness, ResultsImport, RollForward } from './EngagementExtras'
import { DeviationsToEvaluate, OpinionImpactCard } from './Conclusions'
import { EngagementGrid, PreparedDownload, useBriefControls, useGridChanged } from './EngagementGrid'
import { SamplePolicyCard } from './SamplePolicy'
import { BridgeLetterCard, errorWords, isLocked, LockBanner, StatusControl } from './Lock'
import { Toast, type ToastMessage } from '../Toast'
import { LoadError } from '../LoadError'
import { SearchPicker, type Choice, type Matches } from '../SearchPicker'
import { searchScopedControls } from '../pickers'

/** The engagement as the page shows it: with the auditors granted access. */
type Shown = Engagement & { auditors: string[] }
/** The engagement as GET /engagements/:id (and a change's answer) gives it. */
type Detail = Answer<'/api/v1/engagements/{id}', 'get'>
/** A change to it: its fields (PATCH) or its auditors (PUT …/auditors). */
type Change = { fields?: EngagementInput; auditors?: string[] }

/** What a saved status or tester change says, and the fields that put the old value back. */
function quickEditNotice(base: Shown, f: EngagementInput | undefined): { text: string; back: EngagementInput } | null {
  if (f?.status) return { text: `The engagement is now in ${f.status}.`, back: { status: base.status } }
  if (f?.tester) return { text: `Now tested by ${testerLabels[f.tester].toLowerCase()}.`, back: { tester: base.tester } }
  return null
}

const engagementFields: ConflictField[] = [
  { key: 'name', label: 'Name' }, { key: 'status', label: 'Status' }, { key: 'as_of', label: 'As of' },
  { key: 'period_start', label: 'Period start' }, { key: 'period_end', label: 'Period end' }, { key: 'categories', label: 'Categories' },
  { key: 'audit_firm', label: 'Audit firm' }, { key: 'auditor_contact', label: 'Auditor contact' },
  { key: 'auditors', label: 'Auditors with access' }, { key: 'tester', label: 'Who tests' },
]

/**
 * Says who tests the engagement: a management-readiness engagement says so
 * on every page, lest its testing be taken for the auditor's.
 */
export function TesterBanner({ e }: { e: Pick<Engagement, 'tester'> }) {
  return e.tester === 'service_auditor'
    ? <p className="muted tester-banner">Tested by the service auditor</p>
    : <p className="readiness-banner" role="note">{readinessLabel}</p>
}

/** One engagement: its scope, the controls in it, and for a Type II the occurrence grid. */
export function EngagementPage() {
  const id = Number(useParams().id)
  const { can, session } = useSession()
  const manage = can('program.manage')
  const [e, setE] = useState<Engagement | null>(null)
  const [objectives, setObjectives] = useState<string[]>([])
  const [policy, setPolicy] = useState<SamplePolicy | null>(null)
  const [nextPeriod, setNextPeriod] = useState<NextPeriod | null>(null)
  const [auditors, setAuditors] = useState<string[]>([])
  const [error, setError] = useState('')
  const [version, setVersion] = useState(0)
  // A change refused because someone else saved the engagement first.
  const [conflict, setConflict] = useState<{ base: Shown; theirs: Shown; change: Change } | null>(null)
  const [toast, setToast] = useState<ToastMessage | null>(null)

  const brief = useBriefControls(id)
  const gridChanged = useGridChanged(id)
  const show = useCallback((d: Detail, reread = true) => {
    setE(d.engagement)
    setObjectives(d.objectives)
    setPolicy(d.sample_policy)
    setNextPeriod(d.next_period ?? null)
    setAuditors(d.auditors)
    if (reread) setVersion((v) => v + 1) // the summary panels (readiness, exceptions) reload with it
  }, [])
  // The engagement alone: its controls are paged by EngagementGrid, and
  // reloaded only by what changes them (act, not a status change).
  const load = useCallback(() => {
    engagements.get(id).then(show, (err: unknown) => setError(messageOf(err)))
  }, [id, show])
  useEffect(load, [load])
  const reload = () => { load(); void gridChanged() }

  async function act(fn: () => Promise<unknown>) {
    setError('')
    try {
      await fn()
      reload()
    } catch (err) {
      setError(errorWords(err))
    }
  }

  /** Changes the engagement as loaded (If-Match: its version). */
  async function update(base: Shown, change: Change) {
    setError('')
    setConflict(null)
    try {
      // The answer is the engagement as GET shows it: shown as it is, the
      // controls are not read again, nor the summary panels, which status,
      // tester and auditors do not change.
      const d = change.auditors ? await engagements.setAuditors(id, change.auditors, base.version)
        : await engagements.update(id, change.fields ?? {}, base.version)
      show(d as Detail, false)
      const notice = quickEditNotice(base, change.fields)
      // Undo puts the old value back on the version just saved.
      setToast(notice && { text: notice.text, undo: () => engagements.update(id, notice.back, d.engagement.version).then((r) => show(r as Detail, false)) })
    } catch (err) {
      // A 412's current is the engagement as GET /engagements/:id shows it now.
      const now = err instanceof ApiError && err.status === 412 ? (err.current as { engagement: Engagement; auditors: string[] } | undefined) : undefined
      if (now) {
        setConflict({ base, theirs: { ...now.engagement, auditors: now.auditors }, change })
        load()
        return
      }
      setError(errorWords(err))
    }
  }

  if (!e) return <section className="page">{error ? <LoadError what="the engagement" message={error} onRetry={() => { setError(''); load() }} /> : <p className="loading">Loading…</p>}</section>
  const inScope = (brief.data ?? []).filter((c) => c.included)
  const excluded = (brief.data ?? []).filter((c) => !c.included)
  // From reporting on scope, period, results and samples are frozen: the
  // controls that change them are not offered (the server refuses them too).
  const locked = isLocked(e.status)
  const edits = manage && !locked
  return (
    <section className="page wide-page" aria-labelledby="engagement-title">
      <p className="crumbs"><Link to="/engagements">Engagements</Link></p>
      <h1 id="engagement-title">{e.name}</h1>
      <TesterBanner e={e} />
      <LockBanner e={e} />
      <p><a className="button-link" id="download-workbook" href={`/api/v1/engagements/${id}/workbook`} download>Download the auditor workbook (XLSX)</a> <PreparedDownload id={id} kind="workbook" label="Prepare the workbook" /> <PreparedDownload id={id} kind="package" label="Prepare the evidence package" /> <Link className="button-link" id="engagement-requests" to={`/engagements/${id}/requests`}>Requests</Link></p>
      <dl className="facts">
        <dt>Report</dt><dd>{reportName(e)}</dd>
        <dt>{e.type === 'type1' ? 'As of' : 'Period'}</dt><dd>{dates(e)}{e.warning && <span className="warn"> ⚠ {e.warning}</span>}</dd>
        {e.report === 'soc2' && <><dt>Categories</dt><dd>{categoryNames(e.categories)}</dd></>}
        {e.report === 'soc1' && <><dt>Objectives</dt><dd>{objectives.join(', ') || 'none yet'}</dd></>}
        <dt>Audit firm</dt><dd>{e.audit_firm || '–'} {e.auditor_contact && `(${e.auditor_contact})`}</dd>
        <dt>Status</dt>
        <dd>
          {manage ? (
            <StatusControl key={e.version} e={e} admin={session?.user.role === 'admin'}
              onMove={(status, reason) => void update({ ...e, auditors }, { fields: reason ? { status, reason } : { status } })} />
          ) : e.status}
        </dd>
        <dt>Who tests</dt>
        <dd>
          {edits ? (
            <select aria-label="Who tests" value={e.tester} onChange={(ev) => void update({ ...e, auditors }, { fields: { tester: ev.target.value as Tester } })}>
              {Object.entries(testerLabels).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
            </select>
          ) : testerLabels[e.tester]}
        </dd>
        <dt>Auditors with access</dt>
        <dd>
          {auditors.join(', ') || 'none'}
          {manage && <AuditorEditor current={auditors} onSave={(list) => void update({ ...e, auditors }, { auditors: list })} />}
        </dd>
      </dl>
      {conflict && (
        <ConflictNotice what="engagement" fields={engagementFields}
          mine={{ ...conflict.base, ...conflict.change.fields, auditors: conflict.change.auditors ?? conflict.base.auditors }}
          edit={instantEdit(conflict.base, conflict.theirs, (theirs) => void update(theirs, conflict.change), () => setConflict(null))}
          onTakeTheirs={() => undefined} keepLabel="Apply my change to their version" hint="" />
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <Toast message={toast} onClose={() => setToast(null)} />

      <Readiness id={id} version={version} manage={edits} onChanged={reload} />
      <OpinionImpactCard id={id} version={version} />
      <DeviationsToEvaluate id={id} version={version} canTest={mayTest(session, e) && !locked} onChanged={reload} />
      {mayTest(session, e) && !locked && <ResultsImport id={id} onApplied={reload} />}
      <EngagementGrid e={e} edits={edits} />
      {edits && inScope.length > 0 && (
        <ScopeEditor search={searchScopedControls(id)} onSave={(c, r) => void act(() => engagements.setScope(id, c, false, r))} />
      )}
      <ExceptionsList id={id} version={version} />
      {e.type === 'type2' && policy && <SamplePolicyCard key={JSON.stringify(policy)} id={id} policy={policy} editable={edits} act={act} />}
      <ComplementaryControls id={id} editable={edits} act={act} controls={inScope} />
      {e.type === 'type2' && (e.status === 'issued' || e.status === 'closed') && e.period_end && (
        <BridgeLetterCard id={id} periodEnd={e.period_end} controls={inScope} editable={manage} />
      )}
      {manage && <RollForward key={JSON.stringify(nextPeriod)} id={id} next={nextPeriod} />}
      {excluded.length > 0 && (
        <>
          <h2>Excluded ({excluded.length})</h2>
          <ul>{excluded.map((c) => <li key={c.id}><code>{c.ref}</code> {c.title} — {c.reason}{edits && <button type="button" className="small" onClick={() => void act(() => engagements.setScope(id, c.id, true, 'included again'))}>Include</button>}</li>)}</ul>
        </>
      )}
    </section>
  )
}

/** The auditors' access, one list; taking someone off it ends their access, so that is confirmed by name. */
export function AuditorEditor({ current, onSave }: { current: string[]; onSave: (list: string[]) => void }) {
  const [text, setText] = useState(current.join(', '))
  return (
    <form className="reset" onSubmit={(e) => {
      e.preventDefault()
      const list = text.split(',').map((s) => s.trim()).filter(Boolean)
      const gone = current.filter((a) => !list.includes(a))
      if (gone.length > 0 && !window.confirm(`Remove ${gone.join(', ')} from the auditors? Their access to this engagement ends at once.`)) return
      onSave(list)
    }}>
      <input aria-label="Auditor e-mail addresses, comma-separated" value={text} onChange={(e) => setText(e.target.value)} placeholder="auditor@firm.example" />
      <button type="submit">Save</button>
    </form>
  )
}

/**
 * Excluding a control: the control is found by typing, not picked from a
 * list of the whole scope, which on a programme of 1,000 controls drew
 * 1,000 options into the engagement page.
 */
export function ScopeEditor({ search, onSave }: { search: (text: string) => Promise<Matches>; onSave: (controlId: number, reason: string) => void }) {
  const [control, setControl] = useState<Choice | null>(null)
  const [reason, setReason] = useState('')
  return (
    <form className="inline-form" onSubmit={(e) => {
      e.preventDefault()
      if (!control) return
      const ref = control.label.split(' — ')[0]
      if (!window.confirm(`Exclude ${ref} from the engagement's scope? It is no longer tested or reported for this period.`)) return
      onSave(Number(control.value), reason)
      setControl(null)
      setReason('')
    }}>
      <SearchPicker id="scope-exclude" label="Exclude control" required placeholder="Reference or title" value={control} onChange={setControl} search={search} />
      <label className="grow">Reason<input required value={reason} onChange={(e) => setReason(e.target.value)} /></label>
      <button type="submit">Exclude</button>
    </form>
  )
}

/** "Security, Availability, Confidentiality": the categories as the report names them. */
export function categoryNames(codes: string[]): string {
  const name = (code: string) => code === 'security' ? 'Security' : optionalCategories.find((c) => c.code === code)?.name ?? code
  return codes.map(name).join(', ')
}

export { shortLabel } from './EngagementGrid'
