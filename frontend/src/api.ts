// The one place the UI talks to the server. Every call goes through
// request(), which sends the CSRF token on state-changing requests and turns
// error answers into ApiError with the server's message.

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
  changes: Record<string, { before: unknown; after: unknown }>
  client: string
  request_id: string
  hash: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string>

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }
}

let csrfToken = ''

/** Remember the CSRF token of the current session (from login or /auth/session). */
export function setCsrfToken(token: string) {
  csrfToken = token
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

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  const res = await fetch(withQuery(path, query), {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
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
    if (err?.message) throw new ApiError(res.status, err.code ?? 'error', err.message, err.fields ?? {})
    throw new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`.trim())
  }
  if (data === undefined) throw new ApiError(res.status, 'bad_response', 'The server sent an answer that is not JSON')
  return data as T
}

const v1 = '/api/v1'

export const api = {
  frameworks: () => request<{ frameworks: Framework[] }>('GET', `${v1}/frameworks`),
  requirements: (framework: string, q: { category?: string; series?: string; q?: string; limit?: number; offset?: number }) =>
    request<RequirementPage>('GET', `${v1}/frameworks/${encodeURIComponent(framework)}/requirements`, undefined, q),

  session: () => request<Session>('GET', `${v1}/auth/session`),
  login: (email: string, password: string) => request<Session>('POST', `${v1}/auth/login`, { email, password }),
  logout: () => request<void>('POST', `${v1}/auth/logout`),
  changePassword: (current_password: string, new_password: string) =>
    request<void>('POST', `${v1}/auth/password`, { current_password, new_password }),
  setupState: () => request<{ needed: boolean }>('GET', `${v1}/setup`),
  setup: (email: string, name: string, password: string) =>
    request<Session>('POST', `${v1}/setup`, { email, name, password }),

  users: () => request<{ users: User[] }>('GET', `${v1}/users`),
  createUser: (u: { email: string; name: string; role: Role; password: string; access_until: string }) =>
    request<{ user: User }>('POST', `${v1}/users`, u),
  updateUser: (id: number, patch: Partial<{ name: string; role: Role; disabled: boolean; access_until: string; password: string }>) =>
    request<{ user: User }>('PATCH', `${v1}/users/${id}`, patch),

  tokens: () => request<{ tokens: Token[] }>('GET', `${v1}/tokens`),
  createToken: (t: { name: string; scope: Token['scope']; expires_on: string }) =>
    request<{ token: string; details: Token }>('POST', `${v1}/tokens`, t),
  revokeToken: (id: number) => request<void>('DELETE', `${v1}/tokens/${id}`),

  audit: (q: Query) =>
    request<{ entries: AuditEntry[]; total: number; limit: number; offset: number }>('GET', `${v1}/audit`, undefined, q),
}
