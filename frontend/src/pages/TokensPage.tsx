import { useState, type FormEvent } from 'react'
import { ApiError, type Token } from '../api'
import { useCreateToken, useRevokeToken, useTokens } from '../queries/tokens'
import { messageOf } from './CatalogPage'

/** Every user manages their own API tokens for scripts and CI jobs. */
export function TokensPage() {
  const { data: tokens, error: loadError } = useTokens()
  const createToken = useCreateToken()
  const revokeToken = useRevokeToken()
  const [created, setCreated] = useState('')
  const [form, setForm] = useState({ name: '', scope: 'read' as Token['scope'], expires_on: '' })
  const failure = createToken.error ?? revokeToken.error ?? loadError
  const error = failure ? messageOf(failure) : ''
  const fields = createToken.error instanceof ApiError ? createToken.error.fields : {}

  function create(e: FormEvent) {
    e.preventDefault()
    revokeToken.reset()
    createToken.mutate(form, {
      onSuccess: (r) => {
        setCreated(r.token)
        setForm({ name: '', scope: 'read', expires_on: '' })
      },
    })
  }

  function revoke(t: Token) {
    if (!window.confirm(`Revoke the token “${t.name}”? Anything using it stops working at once.`)) return
    createToken.reset()
    revokeToken.mutate(t.id)
  }

  return (
    <section className="page" aria-labelledby="tokens-title">
      <h1 id="tokens-title">API tokens</h1>
      <p className="hint">
        Tokens let scripts and CI jobs use the API as you, with at most your rights. Send one as{' '}
        <code>Authorization: Bearer …</code>.
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      {created && (
        <div className="notice" role="status">
          <p>Copy this token now: it is shown only once.</p>
          <code id="new-token" className="secret">{created}</code>
        </div>
      )}
      {tokens && tokens.length === 0 && <p className="empty">You have no tokens.</p>}
      {tokens && tokens.length > 0 && (
        <table className="data" id="tokens-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Scope</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td><code>{t.prefix}…</code></td>
                <td>{t.scope}</td>
                <td>{t.expires_at ? t.expires_at.slice(0, 10) : 'never'}</td>
                <td>{t.last_used_at ? new Date(t.last_used_at).toLocaleString() : 'never'}</td>
                <td>
                  {t.revoked_at ? (
                    <span className="state disabled">revoked {t.revoked_at.slice(0, 10)}</span>
                  ) : (
                    <button type="button" onClick={() => void revoke(t)}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card form-grid" onSubmit={create} aria-labelledby="new-token-title">
        <h2 id="new-token-title">Create a token</h2>
        <label>
          Name
          <input id="token-name" required placeholder="e.g. nightly evidence upload" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          {fields.name && <span className="field-error">{fields.name}</span>}
        </label>
        <label>
          Scope
          <select id="token-scope" value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value as Token['scope'] })}>
            <option value="read">read</option>
            <option value="read-write">read-write</option>
          </select>
        </label>
        <label>
          Expires on (optional)
          <input id="token-expires" type="date" value={form.expires_on} onChange={(e) => setForm({ ...form, expires_on: e.target.value })} />
          {fields.expires_on && <span className="field-error">{fields.expires_on}</span>}
        </label>
        <div className="actions">
          <button type="submit" className="primary">Create token</button>
        </div>
      </form>
    </section>
  )
}
