import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, request, setCsrfToken } from './api'

function respond(status: number, body: string, statusText = '') {
  const fetchMock = vi.fn().mockResolvedValue(new Response(status === 204 ? null : body, { status, statusText }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken('')
})

describe('request', () => {
  it('returns the parsed JSON of a success', async () => {
    const f = respond(200, '{"frameworks":[{"id":"soc2-tsc-2017"}]}')
    const r = await api.frameworks()
    expect(r.frameworks[0]?.id).toBe('soc2-tsc-2017')
    expect(f).toHaveBeenCalledWith('/api/v1/frameworks', expect.objectContaining({ method: 'GET', credentials: 'same-origin' }))
  })

  it('builds the query string, leaving out empty values', async () => {
    const f = respond(200, '{"requirements":[],"total":0,"limit":500,"offset":0}')
    await api.requirements('soc2-tsc-2017', { q: 'access control', category: '', limit: 500 })
    expect(f.mock.calls[0]?.[0]).toBe('/api/v1/frameworks/soc2-tsc-2017/requirements?q=access+control&limit=500')
  })

  it('turns the error shape into an ApiError with the server message and fields', async () => {
    respond(400, '{"error":{"code":"invalid_request","message":"invalid query parameters","fields":{"limit":"too big"}}}')
    const err = await api.frameworks().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', message: 'invalid query parameters', fields: { limit: 'too big' } })
  })

  it('reports a non-JSON error by its status', async () => {
    respond(502, '<html>Bad gateway</html>', 'Bad Gateway')
    await expect(api.frameworks()).rejects.toMatchObject({ status: 502, code: 'http_error', message: 'The server answered 502 Bad Gateway' })
  })

  it('sends the CSRF token on state changes only', async () => {
    const f = respond(204, '')
    setCsrfToken('tok123')
    await api.logout()
    await request('GET', '/api/v1/tokens').catch(() => undefined)
    const post = f.mock.calls[0]?.[1] as RequestInit
    const get = f.mock.calls[1]?.[1] as RequestInit
    expect((post.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok123')
    expect((get.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()
  })

  it('sends JSON bodies with the JSON content type', async () => {
    const f = respond(200, '{"user":{},"csrf_token":"c","via":"session","permissions":[]}')
    await api.login('a@example.com', 'pw')
    const init = f.mock.calls[0]?.[1] as RequestInit
    expect(init.body).toBe('{"email":"a@example.com","password":"pw"}')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
  })
})
