// The one place the UI talks to the server. Every call goes through
// request(), which sends the CSRF token on state-changing requests and turns
// error answers into ApiError with the server's message. Pages call these
// through TanStack Query hooks (src/queries/): see frontend/README.md for
// query keys, hooks per resource and invalidation after changes.

import {
  controlStatusValues, controlTypeValues, designResultValues, engagementStatusValues, frequencyValues, implementationValues,
  lockedStatusValues, natureValues, taskStateValues, testMethodValues, testResultValues,
} from './gen/api-types'
import type { Answer, Body, Implementation, Input, Tester } from './schema'

export type { TaskState, Tester } from './schema'

export interface Category {
  code: string
  name: string
  description: string
  requirement_count: number
}

export interface Framework {
  id: string
  name: string
  kind: 'soc2' | 'soc1'
  version: string
  description: string
  requirement_count: number
  categories: Category[]
}

export interface Requirement {
  framework_id: string
  ref: string
  category: string
  series: string
  series_name: string
  coso_principle: number | null
  title: string
  description: string
  /** SOC 1 templates: the industry written for ('all' for every one), offered rather than proposed, retired refs replaced. */
  industry: string
  optional: boolean
  replaces: string[]
  /** Control activities suggested beneath a SOC 1 template or objective. */
  activities: Activity[]
}

export interface Activity {
  ref: string
  title: string
  description: string
  frequency: string
  nature: string
  type: string
}

/** An industry the SOC 1 templates are written for, with its objective set in report order. */
export interface Industry {
  code: string
  name: string
  description: string
  services: string[]
  template_refs: string[]
}

/** One of the organisation's SOC 1 objectives, and what became of its template. */
export interface Objective extends Requirement {
  template_ref: string
  template: { ref: string; current: boolean; replaced_by: string[] } | null
  /** Counts the saves; sent back as If-Match so a stale form is refused (412). */
  version: number
}

/** One objective of a proposed set: the ref it would get (empty when not included). */
export interface Proposed {
  ref: string
  selected: boolean
  adopted_as: string[]
  template: Requirement
}

export interface Proposal {
  industries: Industry[]
  objectives: Proposed[]
  /** The next free refs: the n-th included objective takes the n-th. */
  numbering: string[]
}

export interface ObjectiveInput {
  ref: string
  template_ref: string
  title: string
  description: string
}

export interface RequirementPage {
  requirements: Requirement[]
  total: number
  limit: number
  offset: number
}

export type Role = 'admin' | 'compliance' | 'owner' | 'auditor' | 'viewer'
export const roles: Role[] = ['admin', 'compliance', 'owner', 'auditor', 'viewer']

export interface User {
  id: number
  email: string
  name: string
  role: Role
  access_until: string | null
  disabled: boolean
  created_at: string
  disabled_at: string | null
  /** Counts the saves; sent back as If-Match so a stale form is refused (412). */
  version: number
}

export interface Session {
  user: User
  csrf_token: string
  via: 'session' | 'token'
  permissions: string[]
}

export interface Token {
  id: number
  name: string
  prefix: string
  scope: 'read' | 'read-write'
  expires_at: string | null
  last_used_at: string | null
  revoked_at: string | null
  created_at: string
}

export interface AuditEntry {
  seq: number
  at: string
  actor_id: number | null
  actor: string
  via: string
  token_id: number | null
  action: string
  object_type: string
  object_id: string
  /** The object's name ("CM-02 Access review"); empty when it is gone or has none. */
  object_name: string
  changes: Record<string, { before: unknown; after: unknown }>
  client: string
  request_id: string
  hash: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string>
  /** On a 412 (the resource changed since the version sent as If-Match): the resource as it is now, shaped like its GET answer. */
  readonly current: unknown

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}, current: unknown = undefined) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.current = current
    this.code = code
    this.fields = fields
  }
}

let csrfToken = ''

/** Remember the CSRF token of the current session (from login or /auth/session). */
export function setCsrfToken(token: string) {
  csrfToken = token
}

/**
 * Asks the user for their password again when the server wants it
 * confirmed (403 reauth_required) and resolves true once it is. The app
 * registers it; without one, the request fails with the server's message.
 */
export type ReauthPrompt = () => Promise<boolean>
let reauthPrompt: ReauthPrompt | null = null

export function setReauthPrompt(p: ReauthPrompt | null) {
  reauthPrompt = p
}

type Query = Record<string, string | number | undefined>

function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `${path}?${s}` : path
}

/** The entity tag of a resource's version, as its GET's ETag shows it. */
export function etag(version: number): string {
  return `"${version}"`
}

/**
 * The resource as it is now when err is the server's refusal of a stale
 * write (412: someone saved after the version this form was loaded at).
 */
export function conflictOf<T>(err: unknown, key: string): T | undefined {
  if (!(err instanceof ApiError) || err.status !== 412) return undefined
  return (err.current as Record<string, T> | undefined)?.[key]
}

/**
 * Sends a JSON body, or a file (a Blob) as the raw body with its own type.
 * ifMatch is the version of the resource the change was made to: the
 * server refuses the write with 412 if anyone saved since.
 */
export async function request<T>(method: string, path: string, body?: unknown, query?: Query, ifMatch?: number): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const file = body instanceof Blob ? body : undefined
  if (body !== undefined) headers['Content-Type'] = file ? file.type || 'application/octet-stream' : 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  if (ifMatch !== undefined) headers['If-Match'] = etag(ifMatch)
  const res = await fetch(withQuery(path, query), {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : file ?? JSON.stringify(body),
  })
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: unknown = undefined
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    // not JSON: handled below
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } })?.error
    // The most dangerous actions need the password entered within the last
    // minutes: ask for it, then send the same request once more.
    if (res.status === 403 && err?.code === 'reauth_required' && reauthPrompt && (await reauthPrompt())) {
      return request<T>(method, path, body, query, ifMatch)
    }
    const current = (data as { current?: unknown } | undefined)?.current
    if (err?.message) throw new ApiError(res.status, err.code ?? 'error', err.message, err.fields ?? {}, current)
    throw new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`.trim())
  }
  if (data === undefined) throw new ApiError(res.status, 'bad_response', 'The server sent an answer that is not JSON')
  return data as T
}

const v1 = '/api/v1'

export const api = {
  frameworks: () => request<{ frameworks: Framework[] }>('GET', `${v1}/frameworks`),
  requirements: (framework: string, q: { category?: string; series?: string; industry?: string; q?: string; limit?: number; offset?: number }) =>
    request<RequirementPage>('GET', `${v1}/frameworks/${encodeURIComponent(framework)}/requirements`, undefined, q),
  industries: (framework: string) =>
    request<{ industries: Industry[] }>('GET', `${v1}/frameworks/${encodeURIComponent(framework)}/industries`),

  session: () => request<Session>('GET', `${v1}/auth/session`),
  login: (email: string, password: string) => request<Session>('POST', `${v1}/auth/login`, { email, password }),
  logout: () => request<void>('POST', `${v1}/auth/logout`),
  reauth: (password: string) => request<{ reauth_at: string }>('POST', `${v1}/auth/reauth`, { password }),
  changePassword: (current_password: string, new_password: string) =>
    request<void>('POST', `${v1}/auth/password`, { current_password, new_password }),
  setupState: () => request<{ needed: boolean; demo: boolean }>('GET', `${v1}/setup`),
  setup: (email: string, name: string, password: string, demo = false) =>
    request<Session & { demo_error?: string }>('POST', `${v1}/setup`, { email, name, password, demo }),

  /** Every account, or one page of those that match (q, role: roles separated by commas, active, limit, offset), with the total. */
  users: (q?: Query) => request<{ users: User[]; total: number; limit: number; offset: number }>('GET', `${v1}/users`, undefined, q),
  user: (id: number) => request<{ user: User }>('GET', `${v1}/users/${id}`),
  createUser: (u: { email: string; name: string; role: Role; password: string; access_until: string }) =>
    request<{ user: User }>('POST', `${v1}/users`, u),
  updateUser: (id: number, patch: Partial<{ name: string; role: Role; disabled: boolean; access_until: string; password: string }>, version: number) =>
    request<{ user: User }>('PATCH', `${v1}/users/${id}`, patch, undefined, version),

  tokens: () => request<{ tokens: Token[] }>('GET', `${v1}/tokens`),
  createToken: (t: { name: string; scope: Token['scope']; expires_on: string }) =>
    request<{ token: string; details: Token }>('POST', `${v1}/tokens`, t),
  revokeToken: (id: number) => request<void>('DELETE', `${v1}/tokens/${id}`),

  audit: (q: Query) =>
    request<{ entries: AuditEntry[]; total: number; limit: number; offset: number }>('GET', `${v1}/audit`, undefined, q),
}

// The allowed values come from the API description, so the forms offer
// exactly what the server accepts.
export const frequencies = frequencyValues
export const natures = natureValues
export const controlTypes = controlTypeValues
export const statuses = controlStatusValues

export type Control = Answer<'/api/v1/controls/{id}', 'get'>['control']

export type ControlInput = Body<'/api/v1/controls/{id}', 'patch'>

/** At most one field is set: a weekday (0 Sunday … 6 Saturday) for weekly controls, a day or business day of the
 * month for monthly ones, the calendar months for quarterly, semi-annual and annual ones. */
export type Schedule = Control['schedule']

/** An engagement whose scope holds a control, with the control's results there. */
export interface ControlEngagement {
  id: number
  name: string
  report: string
  type: string
  status: string
  as_of: string | null
  period_start: string | null
  period_end: string | null
  design_result: string
  result: string
  exceptions_found: number
  tested_count: number
}

/** An evidence item as a control's page lists it. */
export type ControlEvidence = Answer<'/api/v1/controls/{id}', 'get'>['evidence'][number]

export type ControlMapping = Answer<'/api/v1/controls/{id}', 'get'>['mappings'][number]

export type Evidence = Answer<'/api/v1/evidence/{id}', 'get'>['evidence']

/** GET /evidence/{id}: the item, its controls and every file revision, newest first. */
export type EvidenceDetail = Answer<'/api/v1/evidence/{id}', 'get'>

/** Where engagements use an evidence item. */
export interface EvidenceUsage {
  relied_on: { engagement_id: number; engagement_name: string; control_id: number; control_ref: string; revision: number | null }[]
  windows: { engagement_id: number; engagement_name: string; control_id: number; control_ref: string; window_start: string }[]
}

export type EvidenceMeta = Body<'/api/v1/evidence/{id}', 'patch'>

export interface CoverageControl {
  id: number
  ref: string
  title: string
  evidence: number
  state: string
}

export interface CoverageRequirement {
  requirement: string
  framework_id: string
  ref: string
  title: string
  category: string
  series: string
  state: string
  reason: string
  controls: CoverageControl[]
  /** How many of its controls are covered by current dated evidence. */
  covered_controls: number
}

/** The mapping matrix of a scope: its requirements and every control that is not retired, with what each serves. */
export interface Matrix {
  requirements: { requirement: string; framework_id: string; ref: string; title: string; category: string }[]
  controls: { id: number; ref: string; title: string; status: string; requirements: string[] }[]
}

export interface Coverage {
  requirements: CoverageRequirement[]
  summary: { framework_id: string; category: string; name: string; total: number; states: Record<string, number> }[]
  controls_without_evidence: { id: number; ref: string; title: string }[]
  expiring_evidence: { id: number; title: string; expires_on: string; expired: boolean }[]
}

export const program = {
  controls: (q: Query) =>
    request<Answer<'/api/v1/controls', 'get'>>('GET', `${v1}/controls`, undefined, q),
  control: (id: number) =>
    request<Answer<'/api/v1/controls/{id}', 'get'>>('GET', `${v1}/controls/${id}`),
  createControl: (c: ControlInput) => request<{ control: Control }>('POST', `${v1}/controls`, c),
  updateControl: (id: number, c: ControlInput, version: number) =>
    request<{ control: Control }>('PATCH', `${v1}/controls/${id}`, c, undefined, version),
  deleteControl: (id: number) => request<void>('DELETE', `${v1}/controls/${id}`),
  controlEngagements: (id: number) => request<{ engagements: ControlEngagement[] }>('GET', `${v1}/controls/${id}/engagements`),
  /** One change to many controls, all or none. */
  bulkControls: (control_ids: number[], change: ControlInput & { owner_id?: number }) =>
    request<{ changed: number }>('POST', `${v1}/controls/bulk`, { control_ids, change }),
  mappings: (framework: string) =>
    request<{ mappings: { control_id: number; requirement: string; rationale: string }[] }>('GET', `${v1}/mappings`, undefined, { framework }),
  changeMappings: (add: { control_id: number; requirement: string; rationale?: string }[], remove: { control_id: number; requirement: string }[]) =>
    request<{ added: number; removed: number }>('POST', `${v1}/mappings`, { add, remove }),
  setApplicability: (requirement: string, not_applicable: boolean, reason: string) =>
    request<void>('PUT', `${v1}/applicability`, { requirement, not_applicable, reason }),
  evidence: (q: Query) =>
    request<Answer<'/api/v1/evidence', 'get'>>('GET', `${v1}/evidence`, undefined, q),
  createEvidence: (e: EvidenceMeta & { kind: 'link' | 'note'; url?: string; note?: string }) =>
    request<{ evidence: Evidence }>('POST', `${v1}/evidence`, e),
  deleteEvidence: (id: number, reason?: string) => request<void>('DELETE', `${v1}/evidence/${id}`, reason ? { reason } : undefined),
  evidenceItem: (id: number) => request<EvidenceDetail>('GET', `${v1}/evidence/${id}`),
  evidenceUsage: (id: number) => request<EvidenceUsage>('GET', `${v1}/evidence/${id}/usage`),
  updateEvidence: (id: number, meta: EvidenceMeta, version: number) =>
    request<{ evidence: Evidence }>('PATCH', `${v1}/evidence/${id}`, meta, undefined, version),
  restoreEvidence: (id: number) => request<{ evidence: Evidence }>('POST', `${v1}/evidence/${id}/restore`),
  coverage: (q: Query) => request<Coverage>('GET', `${v1}/coverage`, undefined, q),
  matrix: (q: Query) => request<Matrix>('GET', `${v1}/matrix`, undefined, q),
  downloadURL: (id: number, revision?: number) => `${v1}/evidence/${id}/download${revision ? `?revision=${revision}` : ''}`,
}

/**
 * Uploads a file as new evidence (or, with revisionOf, a new revision),
 * reporting progress from 0 to 1. XMLHttpRequest, because fetch cannot
 * report upload progress. The metadata fields go first, the file last.
 */
export function uploadEvidence(
  file: File,
  meta: EvidenceMeta,
  onProgress: (fraction: number) => void,
  revisionOf?: number,
): Promise<Evidence | undefined> {
  const form = new FormData()
  if (revisionOf === undefined) {
    for (const [k, v] of Object.entries(meta)) {
      if (v === undefined || v === '') continue
      form.append(k, Array.isArray(v) ? v.join(',') : String(v))
    }
  }
  form.append('file', file, file.name)
  const path = revisionOf === undefined ? `${v1}/evidence` : `${v1}/evidence/${revisionOf}/revisions`
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.setRequestHeader('Accept', 'application/json')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let data: { evidence?: Evidence; error?: { code: string; message: string; fields?: Record<string, string> } } = {}
      try {
        data = JSON.parse(xhr.responseText)
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data.evidence)
      if (data.error) return reject(new ApiError(xhr.status, data.error.code, data.error.message, data.error.fields ?? {}))
      reject(new ApiError(xhr.status, 'http_error', `The server answered ${xhr.status}`))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload was interrupted. Check your connection and try again.'))
    xhr.send(form)
  })
}

export type Engagement = Answer<'/api/v1/engagements/{id}', 'get'>['engagement']

export const testerLabels: Record<Tester, string> = {
  service_auditor: 'The service auditor', management_readiness: 'Management (readiness)',
}
/** What every page of a management-readiness engagement says of its testing. */
export const readinessLabel = 'Readiness testing by management'

/**
 * Whether the signed-in user records this engagement's testing, as the
 * server decides it (auth.Principal.CanTest): the granted auditors when
 * the service auditor tests, the compliance team for readiness.
 */
export function mayTest(s: Session | null | undefined, e: { tester: Tester }): boolean {
  return !!s?.permissions.includes('testing.record') && (s.user.role === 'auditor') === (e.tester === 'service_auditor')
}

export type EngagementInput = Input<'/api/v1/engagements/{id}', 'patch'>

export interface ScopedControl {
  id: number
  ref: string
  title: string
  frequency: string
  nature: string
  owner_email: string
  included: boolean
  reason: string
  requirements: string[]
  windows: OccurrenceWindow[]
  sample: { population: number; size: number; test_all: boolean; reason: string; risk: string } | null
  sample_note: string
  evidence_outside_period: number[]
  evidence_after_as_of: number[]
  /** Evidence dated before a Type I's evidence window: stale for this as-of date. */
  evidence_stale: number[]
  /** Put in place only after a Type I's as-of date: it cannot be implemented as of it. */
  implemented_after_as_of: boolean
  /** How it is tested: windows (a periodic control), population (event-driven, continuous), baseline (automated: a test of one). */
  basis: 'windows' | 'population' | 'baseline' | ''
  schedule_words: string
  calendar_words: string
  implemented_on: string | null
  retired_on: string | null
  replaced_by: string
  /** "retired on 2026-09-30, replaced by AC-09", or "". */
  retired: string
  /** Implemented or retired within the period. */
  changes: { kind: 'implemented' | 'retired'; on: string }[]
}

/** A control's windows counted by state: what a grid row carries instead of the windows. */
export interface WindowSummary {
  /** Windows expected in the period. */
  expected: number
  counts: Record<WindowState, number>
  partial: number
}

/** A control of the engagement as the grid lists it: its windows counted, not listed. */
export type GridControl = Omit<ScopedControl, 'windows'> & { window_summary: WindowSummary }

/** The grid's filters and page: every parameter optional, as the API takes them. */
export interface GridQuery {
  limit?: number
  offset?: number
  scope?: 'included' | 'excluded'
  missing?: 'true'
  owner?: string
  not_concluded?: 'true'
  frequency?: string
  [k: string]: string | number | undefined
}

export interface GridPage {
  controls: GridControl[]
  total: number
  limit: number
  offset: number
  counts: { in_scope: number; excluded: number; missing: number; not_concluded: number; owners: string[]; frequencies: string[] }
}

export interface BriefControl { id: number; ref: string; title: string; included: boolean; reason: string }

/** A download prepared on the server: how far it has got, and where to fetch it once ready. */
export interface DownloadJob {
  id: string
  kind: 'workbook' | 'package'
  state: 'preparing' | 'ready' | 'failed'
  bytes: number
  error: string
  file_name: string
  file_url: string
  started_at: string
  finished_at: string | null
  /** How long the last such file took, in ms; 0 when none was prepared yet. */
  expected_ms: number
}

/** The five states of an occurrence window on the day. */
export type WindowState = 'not_yet_due' | 'due' | 'covered' | 'missing' | 'not_expected'

export const windowStateNames: Record<WindowState, string> = {
  not_yet_due: 'not yet due', due: 'due', covered: 'covered', missing: 'missing', not_expected: 'not expected',
}

export interface OccurrenceWindow {
  label: string
  short: string
  start: string
  end: string
  partial: boolean
  state: WindowState
  due_on: string
  /** Evidence that covers it: dated within it, or summary evidence attached to it. */
  evidence: number[]
  attached: number[]
  missing: boolean
  /** Why it is not expected. */
  reason: string
}

export interface ScopingAnswers {
  services: string[]
  affects_financial_statements: boolean
  data: string[]
  uptime_commitments: boolean
  accuracy_commitments: boolean
  customers_ask: string[]
  audited_before: boolean
  recently_changed_controls: boolean
}

export interface Pick {
  value: string
  reason: string
  rule: string
}

export interface Recommendation {
  reports: Pick[]
  type: Pick
  categories: Pick[] | null
}

export const engagementStatuses = engagementStatusValues

/** The statuses from which scope, period, results, samples and evidence relied on are frozen. */
export const lockedStatuses = lockedStatusValues

/** The dates a roll forward without dates gives the next engagement. */
export interface NextPeriod {
  as_of: string | null
  period_start: string | null
  period_end: string | null
}

/** A signed bridge letter, kept as evidence. */
export interface BridgeLetter {
  id: number
  covers_to: string
  signer_name: string
  signer_title: string
  signed_at: string
  evidence_id: number
  sha256: string
}

export interface BridgePreview {
  gap_from: string
  covers_to: string
  changes: string[]
  deficiencies: string[]
}

export interface BridgeInput {
  covers_to: string
  signer_name: string
  signer_title: string
  control_id?: number
}

/** Downloads the drafted bridge letter (.docx) under the name the server gives it. */
async function downloadBridgeLetter(id: number, b: BridgeInput): Promise<void> {
  const res = await fetch(`${v1}/engagements/${id}/bridge-letter`, {
    method: 'POST',
    headers: { Accept: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Content-Type': 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
    credentials: 'same-origin',
    body: JSON.stringify(b),
  })
  if (!res.ok) {
    const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; fields?: Record<string, string> } }
    throw new ApiError(res.status, data.error?.code ?? 'http_error', data.error?.message ?? `The server answered ${res.status}`, data.error?.fields ?? {})
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'bridge-letter.docx'
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  URL.revokeObjectURL(url)
}

export const engagements = {
  /** One page of the engagements the caller may see, the newest first (q: name, status, limit, offset). */
  list: (q: Query = {}) => request<Answer<'/api/v1/engagements', 'get'>>('GET', `${v1}/engagements`, undefined, q),
  get: (id: number) => request<Answer<'/api/v1/engagements/{id}', 'get'>>('GET', `${v1}/engagements/${id}`),
  setSamplePolicy: (id: number, p: { built_in?: boolean; table?: SamplePolicy['table']; risk?: string }) =>
    request<{ sample_policy: SamplePolicy }>('PUT', `${v1}/engagements/${id}/sample-policy`, p),
  create: (e: EngagementInput) => request<{ engagement: Engagement }>('POST', `${v1}/engagements`, e),
  update: (id: number, e: EngagementInput, version: number) =>
    request<{ engagement: Engagement }>('PATCH', `${v1}/engagements/${id}`, e, undefined, version),
  /** The first of the engagement's controls in scope whose reference or title has the text, with how many match. */
  searchControls: (id: number, text: string, limit: number) => request<{ controls: BriefControl[]; total: number }>('GET',
    `${v1}/engagements/${id}/controls`, undefined, { fields: 'brief', scope: 'included', q: text || undefined, limit }),
  /** One page of the engagement's controls that match the filter, with the total and the engagement's counts. */
  grid: (id: number, q: GridQuery) => request<GridPage>('GET', `${v1}/engagements/${id}/controls`, undefined, q),
  /** Every control of the engagement by name only, for pickers and the excluded list. */
  brief: (id: number) => request<{ controls: BriefControl[] }>('GET', `${v1}/engagements/${id}/controls`, undefined, { fields: 'brief' }),
  /** One control of the engagement with every one of its windows. */
  control: (id: number, control: number) => request<{ control: ScopedControl }>('GET', `${v1}/engagements/${id}/controls/${control}`),
  startDownload: (id: number, kind: 'workbook' | 'package') => request<{ job: DownloadJob }>('POST', `${v1}/engagements/${id}/${kind}/jobs`),
  download: (id: number, job: string) => request<{ job: DownloadJob }>('GET', `${v1}/engagements/${id}/jobs/${job}`),
  setScope: (id: number, control_id: number, included: boolean, reason: string) =>
    request<void>('PUT', `${v1}/engagements/${id}/scope`, { control_id, included, reason }),
  setAuditors: (id: number, auditors: string[], version: number) =>
    request<{ engagement: Engagement; auditors: string[] }>('PUT', `${v1}/engagements/${id}/auditors`, { auditors }, undefined, version),
  scoping: (a: ScopingAnswers) => request<{ recommendation: Recommendation }>('POST', `${v1}/scoping`, a),
  markNotExpected: (id: number, control: number, start: string, reason: string) =>
    request<void>('PUT', `${v1}/engagements/${id}/controls/${control}/windows/${start}/not-expected`, { reason }),
  clearNotExpected: (id: number, control: number, start: string) =>
    request<void>('DELETE', `${v1}/engagements/${id}/controls/${control}/windows/${start}/not-expected`),
  attachEvidence: (id: number, control: number, start: string, evidence_id: number) =>
    request<void>('POST', `${v1}/engagements/${id}/controls/${control}/windows/${start}/evidence`, { evidence_id }),
  detachEvidence: (id: number, control: number, start: string, evidence: number) =>
    request<void>('DELETE', `${v1}/engagements/${id}/controls/${control}/windows/${start}/evidence/${evidence}`),
}

export interface ControlResult {
  control_id: number
  design_result: string
  design_notes: string
  /** A Type I's conclusion on whether the control was in place as of the date ('' while not concluded). */
  implementation: Implementation
  /** The day it was put in place, when the tester gives it; else the control's implemented-on date counts. */
  implemented_on: string | null
  evidence_ids: number[]
  test_methods: string[]
  test_procedure: string
  result: string
  result_label: string
  exceptions_found: number
  tested_count: number
  sample_risk: string
  shortfall_reason: string
  result_notes: string
  sign_off: SignOff
  /** 0 while no result was saved. */
  /** Counts the saves; sent back as If-Match so a stale form is refused (412). */
  version: number
}

/** Who prepared a piece of work and who reviewed it (someone else), by e-mail, with the days. */
export interface SignOff {
  prepared_by: string | null
  prepared_on: string | null
  reviewed_by: string | null
  reviewed_on: string | null
}
export type Signer = 'preparer' | 'reviewer'

export interface RollUp {
  requirements: { ref: string; title: string; state: string; reason: string; controls: string[]; deviating: string[]; deviations: boolean; evaluated: boolean }[]
  readiness: { percent: number; parts: { name: string; done: number; total: number }[]; exceptions: number }
}

/** A control as a criterion's conclusion reads it. */
export interface ControlOutcome { id: number; ref: string; key: boolean; outcome: string }

/** A criterion's deviations, the controls that may compensate, and the evaluation recorded. */
export interface CriterionEvaluation {
  requirement: { ref: string; title: string; state: string; deviations: boolean }
  /** The deviating control furthest over its tolerable rate (percent). */
  figures: { deviations: number; sample_size: number; deviation_rate: number; tolerable_rate: number; exceeds: boolean }
  deviating: ControlOutcome[]
  /** Effective in-scope controls without deviations. */
  compensators: ControlOutcome[]
  evaluation: null | {
    cause: string
    extent: 'isolated' | 'systemic'
    deviations: number
    sample_size: number
    deviation_rate: number
    tolerable_rate: number
    compensating_controls: { id: number; ref: string }[]
    conclusion: 'met' | 'not_met'
    evaluated_by: string
    evaluated_at: string
    sign_off: { prepared_by: string | null; prepared_on: string | null; reviewed_by: string | null; reviewed_on: string | null }
    version: number
  }
}

export interface CriterionEvaluationInput {
  cause: string
  extent: 'isolated' | 'systemic' | ''
  compensating_control_ids: number[]
  conclusion: 'met' | 'not_met' | ''
}

type ImpactRow = { ref: string; title: string; state: string }
export interface OpinionImpact {
  not_met: ImpactRow[]
  scope_limitations: ImpactRow[]
  evaluation_needed: ImpactRow[]
  applicable: number
  affected: number
  pervasive_percent: number
  pervasive: boolean
}

export const conclusions = {
  evaluation: (id: number, ref: string) =>
    request<CriterionEvaluation>('GET', `${v1}/engagements/${id}/requirements/${encodeURIComponent(ref)}/evaluation`),
  /** version 0: none recorded yet. */
  evaluate: (id: number, ref: string, e: CriterionEvaluationInput, version: number) =>
    request<CriterionEvaluation>('PUT', `${v1}/engagements/${id}/requirements/${encodeURIComponent(ref)}/evaluation`, e, undefined, version || undefined),
  signEvaluation: (id: number, ref: string, as: 'preparer' | 'reviewer', version: number) =>
    request<CriterionEvaluation>('PUT', `${v1}/engagements/${id}/requirements/${encodeURIComponent(ref)}/evaluation/sign-off`, { as }, undefined, version),
  withdrawEvaluation: (id: number, ref: string, version: number) =>
    request<void>('DELETE', `${v1}/engagements/${id}/requirements/${encodeURIComponent(ref)}/evaluation`, undefined, undefined, version),
  opinionImpact: (id: number) => request<OpinionImpact>('GET', `${v1}/engagements/${id}/opinion-impact`),
  setNotApplicable: (id: number, ref: string, reason: string) =>
    request<unknown>('PUT', `${v1}/engagements/${id}/applicability/${encodeURIComponent(ref)}`, { reason }),
  clearNotApplicable: (id: number, ref: string) =>
    request<void>('DELETE', `${v1}/engagements/${id}/applicability/${encodeURIComponent(ref)}`),
}

export interface Population {
  id: number
  phase: 'period' | 'interim' | 'remainder'
  covers_from: string | null
  covers_to: string | null
  source: string
  query: string
  parameters: string
  generated_by: string
  generated_at: string | null
  file_name: string
  item_count: number
  uploaded_at: string
  /** Evidence that the population is complete and accurate. */
  evidence_ids: number[]
}

export interface SampledItem {
  seq: number
  item_id: string
  date: string | null
  description: string
  results: Record<string, string>
  exception: boolean
  notes: string
  tested_by: string
  tested_on: string | null
  /** The control's evidence the item was tested on. */
  evidence_ids: number[]
}

export interface DrawnSample {
  id: number
  population_id: number
  /** The first draw this sample extends, or null for a first draw. */
  extends_id: number | null
  seed: string
  method: string
  size: number
  /** The size the engagement's policy required when it was drawn. */
  required_size: number
  risk: string
  size_reason: string
  attributes: string[]
  selected_at: string
  items: SampledItem[]
  sign_off: SignOff
  /** Moves on with its items' results and sign-offs; sent as If-Match when signing off. */
  version: number
  /** original, or retest: a sample of the remediated control over the rest of the period. */
  purpose: 'original' | 'retest'
  /** The exception a retest retests. */
  remediation_exception_id: number | null
  /** The days a retest covers: from the day after the remediation to the period's end. */
  covers_from: string | null
  covers_to: string | null
}

export interface TestWork {
  population: Population | null
  /** The current populations: the whole period, or the interim and the remainder. */
  populations: Population[]
  samples: DrawnSample[]
  /** n of m as the samples give it. */
  counts: { required: number; selected: number; tested: number; failed: number; untested: string[] }
}

export type SamplePolicy = Answer<'/api/v1/engagements/{id}', 'get'>['sample_policy']
export type SampleSize = SamplePolicy['bands'][number]['size']

export interface EngagementException {
  id: number
  control_id: number
  control_ref: string
  description: string
  management_response: string
  /** The sampled item it was found on (recorded with its failed attribute), if any. */
  sample_id: number | null
  sample_seq: number | null
  /** The day the control was put right, and who owns the remediation (e-mail address). */
  remediation_date: string | null
  remediation_owner_id: number | null
  remediation_owner: string
  /** Counts the saves; sent back as If-Match so a stale form is refused (412). */
  version: number
}

export interface CUEC {
  id: number
  /** Its stable ID in the engagement, e.g. CUEC-01. */
  ref: string
  text: string
  requirements: string[]
  version: number
}

export interface SubserviceOrg {
  id: number
  name: string
  services: string
  method: string
  monitoring_control_id: number | null
  /** Carried into a new period: its own SOC report is still to be reviewed for it. */
  review_due: boolean
  csocs: { id: number; ref: string; text: string; requirements: string[] }[]
  version: number
  /** Where the review of its own SOC report stands for this engagement (on the complementary list). */
  review_state?: ReviewState
  /** The review that standing rests on, the latest by review date. */
  latest_review?: SubserviceReview | null
}

export type ReviewState = 'current' | 'review_due' | 'out_of_date' | 'gap_without_bridge_letter'

/** A control the vendor's report expects of us, and the in-scope control of ours that addresses it. */
export interface VendorCUEC {
  text: string
  control_id: number | null
}

/** A subservice organisation's own SOC report as reviewed for the engagement. */
export interface SubserviceReview {
  id: number
  report: string
  report_type: string
  period_start: string | null
  /** The vendor's period end, or a Type I's as-of date. */
  period_end: string
  vendor_auditor: string
  opinion: string
  exceptions_noted: string
  exceptions_relevance: string
  bridge_letter_evidence_id: number | null
  reviewed_by: number | null
  reviewed_on: string
  cuecs: VendorCUEC[]
  version: number
}

export type ReviewInput = Omit<SubserviceReview, 'id' | 'reviewed_by' | 'version' | 'bridge_letter_evidence_id'> & { bridge_letter_evidence_id?: number }

export interface Complementary {
  cuecs: CUEC[]
  subservice_orgs: SubserviceOrg[]
}

export const designResults = designResultValues
export const implementations = implementationValues

/** A control's walkthrough in an engagement: one instance traced from start to end. */
export interface Walkthrough {
  control_id: number
  performed_on: string
  participants: string
  instance_traced: string
  evidence_inspected: string
  evidence_ids: number[]
  /** Who recorded it, by e-mail. */
  performed_by: string
  updated_at: string
  /** 0 while none was recorded; sent back as If-Match. */
  version: number
}
export interface WalkthroughInput {
  performed_on: string
  participants: string
  instance_traced: string
  evidence_inspected: string
  evidence_ids: number[]
}
export const testMethods = testMethodValues
export const testResults = testResultValues

export const testing = {
  results: (id: number) => request<{ results: ControlResult[] }>('GET', `${v1}/engagements/${id}/results`),
  /** One control's result; version 0 while none was saved. */
  result: (id: number, control: number) => request<{ result: ControlResult }>('GET', `${v1}/engagements/${id}/controls/${control}/result`),
  setResult: (id: number, control: number, r: Partial<Omit<ControlResult, 'control_id' | 'result_label' | 'version'>>, version: number) =>
    request<{ result: ControlResult }>('PUT', `${v1}/engagements/${id}/controls/${control}/result`, r, undefined, version),
  rollUp: (id: number) => request<RollUp>('GET', `${v1}/engagements/${id}/rollup`),
  walkthrough: (id: number, control: number) => request<{ walkthrough: Walkthrough }>('GET', `${v1}/engagements/${id}/controls/${control}/walkthrough`),
  setWalkthrough: (id: number, control: number, w: WalkthroughInput, version: number) =>
    request<{ walkthrough: Walkthrough }>('PUT', `${v1}/engagements/${id}/controls/${control}/walkthrough`, w, undefined, version),
  work: (id: number, control: number) => request<TestWork>('GET', `${v1}/engagements/${id}/controls/${control}/work`),
  /** The evidence of one control, read through the engagement (auditors may). */
  evidence: (id: number, control: number) =>
    request<{ evidence: Evidence[]; total: number }>('GET', `${v1}/engagements/${id}/controls/${control}/evidence`),
  evidenceURL: (id: number, evidence: number) => `${v1}/engagements/${id}/evidence/${evidence}/download`,
  drawSample: (id: number, control: number, attributes: string[], seed?: number, size?: number, population_id?: number) =>
    request<{ sample: DrawnSample }>('POST', `${v1}/engagements/${id}/controls/${control}/samples`, { attributes, seed, size, population_id }),
  extendSample: (id: number, sample: number, size: number, reason: string, seed?: number) =>
    request<{ sample: DrawnSample }>('POST', `${v1}/engagements/${id}/samples/${sample}/extensions`, { size, reason, seed }),
  recordItem: (id: number, sample: number, seq: number, results: Record<string, string>, notes: string, tested_on?: string, evidence_ids?: number[]) =>
    request<void>('PUT', `${v1}/engagements/${id}/samples/${sample}/items/${seq}`, { results, notes, tested_on: tested_on || undefined, evidence_ids }),
  /** Marks the chosen items of a sample passed on every attribute, in one transaction. */
  passItems: (id: number, sample: number, seqs: number[]) =>
    request<void>('POST', `${v1}/engagements/${id}/samples/${sample}/items/pass`, { seqs }),
  signOff: (id: number, control: number, as: Signer, version: number) =>
    request<{ sign_off: SignOff }>('PUT', `${v1}/engagements/${id}/controls/${control}/sign-off`, { as }, undefined, version),
  signSample: (id: number, sample: number, as: Signer, version: number) =>
    request<{ sign_off: SignOff }>('PUT', `${v1}/engagements/${id}/samples/${sample}/sign-off`, { as }, undefined, version),
  exceptions: (id: number) => request<{ exceptions: EngagementException[] }>('GET', `${v1}/engagements/${id}/exceptions`),
  addException: (id: number, control: number, description: string, management_response: string) =>
    request<unknown>('POST', `${v1}/engagements/${id}/controls/${control}/exceptions`, { description, management_response }),
  respond: (id: number, exception: number, management_response: string, version: number) =>
    request<{ exception: EngagementException }>('PATCH', `${v1}/engagements/${id}/exceptions/${exception}`, { management_response }, undefined, version),
  updateException: (id: number, exception: number, x: { description: string; management_response: string }, version: number) =>
    request<{ exception: EngagementException }>('PATCH', `${v1}/engagements/${id}/exceptions/${exception}`, x, undefined, version),
  /** Records the remediation: the date ("" clears) and its owner (0 clears). */
  remediate: (id: number, exception: number, r: { remediation_date: string; remediation_owner_id: number }, version: number) =>
    request<{ exception: EngagementException }>('PATCH', `${v1}/engagements/${id}/exceptions/${exception}`, r, undefined, version),
  /** Samples the remediated control over the rest of the period. */
  drawRetest: (id: number, exception: number, attributes: string[], seed?: number, size?: number) =>
    request<{ sample: DrawnSample }>('POST', `${v1}/engagements/${id}/exceptions/${exception}/retest`, { attributes, seed, size }),
  complementary: (id: number) => request<Complementary>('GET', `${v1}/engagements/${id}/complementary`),
  addCUEC: (id: number, text: string, requirements: string[]) => request<unknown>('POST', `${v1}/engagements/${id}/cuecs`, { text, requirements }),
  updateCUEC: (id: number, cuec: number, c: { text: string; requirements: string[] }, version: number) =>
    request<{ cuec: CUEC }>('PATCH', `${v1}/engagements/${id}/cuecs/${cuec}`, c, undefined, version),
  removeCUEC: (id: number, cuec: number) => request<void>('DELETE', `${v1}/engagements/${id}/cuecs/${cuec}`),
  addSubservice: (id: number, s: { name: string; services: string; method: string; monitoring_control_id?: number; csocs: { text: string; requirements: string[] }[] }) =>
    request<unknown>('POST', `${v1}/engagements/${id}/subservice-orgs`, s),
  updateSubservice: (id: number, org: number, s: { name: string; services: string; method: string; monitoring_control_id: number }, version: number) =>
    request<{ subservice_org: SubserviceOrg }>('PATCH', `${v1}/engagements/${id}/subservice-orgs/${org}`, s, undefined, version),
  removeSubservice: (id: number, org: number) => request<void>('DELETE', `${v1}/engagements/${id}/subservice-orgs/${org}`),
  addReview: (id: number, org: number, r: ReviewInput) =>
    request<{ review: SubserviceReview }>('POST', `${v1}/engagements/${id}/subservice-orgs/${org}/reviews`, r),
  removeReview: (id: number, org: number, review: number) =>
    request<void>('DELETE', `${v1}/engagements/${id}/subservice-orgs/${org}/reviews/${review}`),
  rollForward: (id: number, e: EngagementInput) => request<{ engagement: Engagement }>('POST', `${v1}/engagements/${id}/roll-forward`, e),
  bridgeLetters: (id: number) => request<{ bridge_letters: BridgeLetter[] }>('GET', `${v1}/engagements/${id}/bridge-letters`),
  draftBridgeLetter: downloadBridgeLetter,
  /** What the letter would say: the gap, the material changes and the known deficiencies. */
  previewBridgeLetter: (id: number, b: BridgeInput) => request<{ bridge_letter: BridgePreview }>('POST', `${v1}/engagements/${id}/bridge-letter`, b),
  signBridgeLetter: (id: number, b: BridgeInput) => request<{ bridge_letter: BridgeLetter }>('POST', `${v1}/engagements/${id}/bridge-letter/sign`, b),
}

/** Uploads a population file (CSV or XLSX) for a control in an engagement. */
/** Uploads a population with what the workpapers record about it (phase, covers_from, covers_to, source, query, parameters, generated_by, generated_at, record_count, evidence_ids). */
export async function uploadPopulation(id: number, control: number, file: File, fields: Record<string, string>): Promise<void> {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) if (v !== '') form.append(k, v)
  form.append('file', file, file.name)
  const res = await fetch(`${v1}/engagements/${id}/controls/${control}/population`, {
    method: 'POST',
    headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
    credentials: 'same-origin',
    body: form,
  })
  if (!res.ok) {
    const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; fields?: Record<string, string> } }
    throw new ApiError(res.status, data.error?.code ?? 'http_error', data.error?.message ?? `The server answered ${res.status}`, data.error?.fields ?? {})
  }
}

export const taskStates = taskStateValues

export type Task = Answer<'/api/v1/tasks/{id}', 'get'>['task']

export type OwnerCounts = Answer<'/api/v1/tasks/counts', 'get'>['owners'][number]

/** A digest as the outbox lists it: no body, its size in bytes instead. */
export type DigestSummary = Answer<'/api/v1/outbox', 'get'>['digests'][number]

/** One digest with its body: an owner's whole task list. */
export type Digest = Answer<'/api/v1/outbox/{id}', 'get'>['digest']

export const tasks = {
  list: (q: Query) =>
    request<Answer<'/api/v1/tasks', 'get'>>('GET', `${v1}/tasks`, undefined, q),
  counts: (q: Query) => request<Answer<'/api/v1/tasks/counts', 'get'>>('GET', `${v1}/tasks/counts`, undefined, q),
  create: (t: { title: string; description: string; owner_id: number; due_on: string; control_id?: number; engagement_id?: number }) =>
    request<{ task: Task }>('POST', `${v1}/tasks`, t),
  /** Reassigns open ad-hoc tasks at once; before names each task's previous owner, for an undo. */
  reassign: (task_ids: number[], owner_id: number) =>
    request<{ changed: number; before: { task_id: number; owner_id: number | null }[] }>('POST', `${v1}/tasks/bulk`, { task_ids, change: { owner_id } }),
  notApplicable: (id: number, reason: string, version: number) =>
    request<{ task: Task }>('POST', `${v1}/tasks/${id}/not-applicable`, { reason }, undefined, version),
  done: (id: number, version: number) => request<{ task: Task }>('POST', `${v1}/tasks/${id}/done`, undefined, undefined, version),
  reopen: (id: number, version: number) => request<{ task: Task }>('POST', `${v1}/tasks/${id}/reopen`, undefined, undefined, version),
  exportURL: (format: 'xlsx' | 'csv', q: Query) => withQuery(`${v1}/tasks/export.${format}`, q),
  feed: () => request<Answer<'/api/v1/calendar-feed', 'get'>>('GET', `${v1}/calendar-feed`),
  newFeed: () => request<Answer<'/api/v1/calendar-feed', 'post'>>('POST', `${v1}/calendar-feed`),
  revokeFeed: () => request<void>('DELETE', `${v1}/calendar-feed`),
  outbox: (q: Query) => request<Answer<'/api/v1/outbox', 'get'>>('GET', `${v1}/outbox`, undefined, q),
  digest: (id: number) => request<Answer<'/api/v1/outbox/{id}', 'get'>>('GET', `${v1}/outbox/${id}`),
}

export interface DashboardPart {
  key: 'design' | 'windows' | 'tests' | 'samples' | 'coverage'
  name: string
  done: number
  total: number
}

export interface Dashboard {
  engagement: {
    id: number
    name: string
    report: Engagement['report']
    type: Engagement['type']
    as_of: string | null
    period_start: string | null
    period_end: string | null
    status: string
  } | null
  readiness: { percent: number; parts: DashboardPart[]; exceptions: number }
  heatmap: { name: string; cells: { requirement: string; ref: string; title: string; state: string }[] }[]
  timeline: { start: string; end: string; today: string; months: { month: string; windows: number; covered: number }[] } | null
  tasks: { owner_id: number | null; owner_email: string; overdue: number; due: number }[]
  expiring: { id: number; title: string; expires_on: string; expired: boolean }[]
  exceptions: { id: number; engagement_id: number; control_id: number; control_ref: string; description: string }[]
  gaps: Record<'without_owner' | 'without_mapping' | 'without_evidence', { id: number; ref: string; title: string }[]>
  automated: {
    sources: number
    stale: { id: number; name: string; owner_email: string; last_scanned_at: string | null; stale_since: string }[]
    failing: { id: number; ref: string; title: string; sources: string[]; scanned_at: string; failed: number }[]
  } | null
  today: string
}

export const dashboard = {
  get: (engagement_id?: number) => request<Dashboard>('GET', `${v1}/dashboard`, undefined, { engagement_id }),
}

// Scanner output: sources, runs, checks, the rules that map them, and a
// control's automated history (docs/ingest.md).

export interface IngestCounts {
  passed: number
  failed: number
  errored: number
  skipped: number
}

export interface IngestRun extends IngestCounts {
  id: number
  source_id: number
  source: string
  scan_id: string
  format: string
  format_version: string
  tool: string
  tool_version: string
  target: string
  scanned_at: string
  evidence_id: number
  evidence_deleted: boolean
  created_at: string
}

export interface IngestSource {
  id: number
  name: string
  tool: string
  owner_id: number | null
  owner_email: string
  interval_hours: number
  last_scanned_at: string | null
  runs: number
  stale: boolean
  stale_since: string | null
}

export interface ControlBrief {
  id: number
  ref: string
  title: string
}

export interface IngestCheck {
  check_id: string
  title: string
  tool: string
  last_seen_at: string
  criteria: string[]
  controls: ControlBrief[]
  via: '' | 'rule' | 'criteria'
  latest: IngestCounts | null
}

export interface IngestRule {
  id: number
  pattern: string
  control_id: number
  control_ref: string
  control_title: string
  note: string
  created_at: string
}

export interface ScanResult {
  id: number
  run_id: number
  check_id: string
  status: 'pass' | 'fail' | 'error' | 'skip'
  resource: string
  message: string
}

export interface HistoryRun extends IngestCounts {
  run_id: number
  source_id: number
  source: string
  scanned_at: string
  evidence_id: number
  outcome: 'pass' | 'fail' | 'skip'
  failing: ScanResult[]
  failing_total: number
}

export interface AutomatedHistory {
  control_id: number
  frequency: string
  from: string
  to: string
  checks: { check_id: string; title: string; via: 'rule' | 'criteria' }[]
  runs: HistoryRun[]
  windows: { label: string; start: string; end: string; state: string; passing_runs: number; failing_runs: number }[]
}

export interface Ingested {
  created: boolean
  run: IngestRun
  controls_passed: ControlBrief[]
  controls_failed: ControlBrief[]
  unmapped_checks: string[]
}

export const ingest = {
  upload: (file: File, source: string) =>
    request<Ingested>('POST', `${v1}/ingest`, file, { source, filename: file.name }),
  sources: () => request<{ sources: IngestSource[] }>('GET', `${v1}/ingest/sources`).then((r) => r.sources),
  updateSource: (id: number, change: { interval_hours?: number; owner_id?: number }) =>
    request<{ sources: IngestSource[] }>('PATCH', `${v1}/ingest/sources/${id}`, change),
  runs: (q: Query) => request<{ runs: IngestRun[]; total: number; limit: number; offset: number }>('GET', `${v1}/ingest/runs`, undefined, q),
  run: (id: number) =>
    request<{ run: IngestRun; checks: (IngestCounts & { check_id: string; title: string; controls: ControlBrief[]; via: string })[] }>(
      'GET', `${v1}/ingest/runs/${id}`),
  results: (id: number, q: Query) =>
    request<{ results: ScanResult[]; total: number }>('GET', `${v1}/ingest/runs/${id}/results`, undefined, q),
  checks: (unmapped: boolean) =>
    request<{ checks: IngestCheck[] }>('GET', `${v1}/ingest/checks`, undefined, { unmapped: unmapped ? 'true' : undefined }).then((r) => r.checks),
  rules: () => request<{ rules: IngestRule[] }>('GET', `${v1}/ingest/rules`).then((r) => r.rules),
  createRule: (r: { pattern: string; control: string; note: string }) => request<{ rules: IngestRule[]; created: number }>('POST', `${v1}/ingest/rules`, r),
  importRules: (file: File) => request<{ rules: IngestRule[]; created: number }>('POST', `${v1}/ingest/rules/import`, file),
  deleteRule: (id: number) => request<void>('DELETE', `${v1}/ingest/rules/${id}`),
  history: (controlId: number, from: string, to: string) =>
    request<AutomatedHistory>('GET', `${v1}/controls/${controlId}/automated`, undefined, { from, to }),
}
export const settings = {
  get: () => request<{ settings: { organisation: string } }>('GET', `${v1}/settings`),
  put: (organisation: string) => request<{ settings: { organisation: string } }>('PUT', `${v1}/settings`, { organisation }),
  holidays: () => request<{ holidays: Holiday[] }>('GET', `${v1}/settings/holidays`),
  putHolidays: (holidays: Holiday[]) => request<{ holidays: Holiday[] }>('PUT', `${v1}/settings/holidays`, { holidays }),
}

/** A day the organisation does not work: business-day controls leave it out. */
export interface Holiday {
  day: string
  name: string
}

/** The SOC 1 template catalog's framework ID. */
export const soc1Templates = 'soc1-objective-templates'

export const soc1 = {
  objectives: () => request<{ objectives: Objective[] }>('GET', `${v1}/soc1-objectives`),
  proposal: (q: { industries?: string; services?: string }) =>
    request<Proposal>('GET', `${v1}/soc1-objectives/proposal`, undefined, q),
  adopt: (objectives: ObjectiveInput[]) =>
    request<{ objectives: Requirement[] }>('POST', `${v1}/soc1-objectives/adopt`, { objectives }),
  update: (ref: string, o: { title?: string; description?: string }, version: number) =>
    request<{ requirement: Requirement; objective: Objective }>('PATCH', `${v1}/soc1-objectives/${encodeURIComponent(ref)}`, o, undefined, version),
  adoptActivities: (ref: string, activities: { ref: string; control_ref?: string }[]) =>
    request<{ controls: { id: number; ref: string; title: string; status: string }[] }>(
      'POST', `${v1}/soc1-objectives/${encodeURIComponent(ref)}/controls`, { activities }),
}

export const requestTypes = ['population', 'sample_evidence', 'document', 'configuration', 'walkthrough', 'other'] as const
export const requestTypeLabels: Record<string, string> = {
  population: 'Population', sample_evidence: 'Sample evidence', document: 'Document',
  configuration: 'Configuration or point-in-time', walkthrough: 'Walkthrough', other: 'Other',
}
export const requestStatuses = ['open', 'submitted', 'returned', 'accepted'] as const

/** One item of an engagement's request (PBC) list. */
export interface AuditRequest {
  ref: string
  number: number
  engagement_id: number
  auditor_ref: string
  type: string
  phase: 'interim' | 'final'
  description: string
  owner_id: number | null
  owner_email: string
  due_on: string | null
  status: (typeof requestStatuses)[number]
  return_reason: string
  requested_at: string
  submitted_at: string | null
  accepted_at: string | null
  generated: boolean
  controls: { id: number; ref: string }[]
  sample_items: { sample_id: number; seq: number; item_id: string; date: string | null }[]
  evidence: { id: number; title: string; kind: string; file_name: string; attached_at: string }[]
  comments: { id: number; author: string; body: string; created_at: string; files: { id: number; file_name: string; size: number }[] }[]
  /** Every submission, acceptance, return and undo, oldest first; the last one is what an undo takes back. */
  history: RequestStep[]
  /** Counts the saves; sent back as If-Match so a stale form is refused (412). */
  version: number
}

export interface RequestStep {
  id: number
  action: 'submit' | 'accept' | 'return' | 'undo'
  from: (typeof requestStatuses)[number]
  to: (typeof requestStatuses)[number]
  by: string
  at: string
  undoes: number | null
}

export interface RequestInput {
  type?: string
  phase?: string
  description?: string
  owner_email?: string
  due_on?: string
  auditor_ref?: string
  control_ids?: number[]
}

async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
    credentials: 'same-origin',
    body: form,
  })
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; fields?: Record<string, string> } }
  if (!res.ok) {
    throw new ApiError(res.status, data.error?.code ?? 'http_error', data.error?.message ?? `The server answered ${res.status}`, data.error?.fields ?? {})
  }
  return data as T
}

const requestPath = (id: number, ref?: string) => `${v1}/engagements/${id}/requests${ref ? `/${encodeURIComponent(ref)}` : ''}`

export const auditRequests = {
  /** One page of an engagement's requests (status, type, owner_id, control_id, limit, offset). */
  list: (id: number, q: Query) => request<{ requests: AuditRequest[]; total: number; limit: number; offset: number }>('GET', requestPath(id), undefined, q),
  get: (id: number, ref: string) => request<{ request: AuditRequest }>('GET', requestPath(id, ref)),
  mine: () => request<{ requests: AuditRequest[] }>('GET', `${v1}/requests/mine`),
  create: (id: number, r: RequestInput) => request<{ request: AuditRequest }>('POST', requestPath(id), r),
  update: (id: number, ref: string, r: RequestInput, version?: number) => request<{ request: AuditRequest }>('PATCH', requestPath(id, ref), r, undefined, version),
  remove: (id: number, ref: string, version?: number) => request<void>('DELETE', requestPath(id, ref), undefined, undefined, version),
  generate: (id: number) => request<{ created: AuditRequest[] }>('POST', `${requestPath(id)}/generate`, {}),
  comment: (id: number, ref: string, body: string, files: File[]) => {
    if (files.length === 0) return request<{ request: AuditRequest }>('POST', `${requestPath(id, ref)}/comments`, { body })
    const form = new FormData()
    form.append('body', body)
    for (const f of files) form.append('file', f, f.name)
    return postForm<{ request: AuditRequest }>(`${requestPath(id, ref)}/comments`, form)
  },
  /** Submits with existing evidence, or with a new upload when file is given. */
  submit: (id: number, ref: string, evidenceIds: number[], note: string, file?: File) => {
    if (!file) return request<{ request: AuditRequest }>('POST', `${requestPath(id, ref)}/submit`, { evidence_ids: evidenceIds, note })
    const form = new FormData()
    form.append('note', note)
    form.append('file', file, file.name)
    return postForm<{ request: AuditRequest }>(`${requestPath(id, ref)}/submit`, form)
  },
  accept: (id: number, ref: string) => request<{ request: AuditRequest }>('POST', `${requestPath(id, ref)}/accept`, {}),
  sendBack: (id: number, ref: string, reason: string) => request<{ request: AuditRequest }>('POST', `${requestPath(id, ref)}/return`, { reason }),
  /** Takes back the request's last step, named by its history id: refused (409) once the request has moved on. */
  undo: (id: number, ref: string, step: number) => request<{ request: AuditRequest }>('POST', `${requestPath(id, ref)}/undo`, { transition: step }),
  importList: (id: number, file: File, apply: boolean) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return postFormPlan(`${requestPath(id)}/import${apply ? '?apply=true' : ''}`, form)
  },
  fileURL: (id: number, ref: string, file: number) => `${requestPath(id, ref)}/files/${file}`,
  csvURL: (id: number) => `${v1}/engagements/${id}/requests.csv`,
  xlsxURL: (id: number) => `${v1}/engagements/${id}/requests.xlsx`,
}

/** What importing a filled-in results sheet changes, and what stands in its way. */
export interface ResultsImportPlan {
  changes: { sheet: string; row: number; what: string; field: string; before: string; after: string }[]
  conflicts: { sheet: string; row: number; column: string; message: string }[]
  applied: boolean
}

/** Imports the auditor's filled-in results sheet: a dry run unless apply. */
export function importResults(id: number, file: File, apply: boolean): Promise<ResultsImportPlan> {
  const form = new FormData()
  form.append('file', file, file.name)
  return postFormPlan<ResultsImportPlan>(`${v1}/engagements/${id}/results/import?dry_run=${apply ? 'false' : 'true'}`, form)
}

export interface RequestImportPlan {
  rows: { row: number; auditor_ref: string; action: string; ref: string }[]
  problems: { row: number; column: string; message: string }[]
  applied: boolean
}

/** Posts an import; a refused apply (400 with a plan) is an answer, not a failure. */
async function postFormPlan<P = RequestImportPlan>(path: string, form: FormData): Promise<P> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
    credentials: 'same-origin',
    body: form,
  })
  const data = (await res.json().catch(() => ({}))) as { plan?: P; error?: { code: string; message: string; fields?: Record<string, string> } }
  if (data.plan) return data.plan
  throw new ApiError(res.status, data.error?.code ?? 'http_error', data.error?.message ?? `The server answered ${res.status}`, data.error?.fields ?? {})
}
