import { useState, type FormEvent } from 'react'
import { api, ApiError } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'

/** The signed-in user's own account: who they are and their password. */
export function AccountPage() {
  const { session } = useSession()
  const [form, setForm] = useState({ current: '', next: '', confirm: '' })
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [done, setDone] = useState(false)
  if (!session) return null
  const { user } = session

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    setDone(false)
    if (form.next !== form.confirm) {
      setFields({ confirm: 'The two new passwords differ.' })
      return
    }
    try {
      await api.changePassword(form.current, form.next)
      setForm({ current: '', next: '', confirm: '' })
      setDone(true)
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    }
  }

  return (
    <section className="page" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
        {user.access_until && (
          <>
            <dt>Access until</dt>
            <dd>{user.access_until}</dd>
          </>
        )}
      </dl>
      <form className="card form-grid" onSubmit={submit} aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <p className="hint wide">Your other sessions end when the password changes.</p>
        <label>
          Current password
          <input id="current-password" type="password" autoComplete="current-password" required value={form.current} onChange={(e) => setForm({ ...form, current: e.target.value })} />
          {fields.current_password && <span className="field-error">{fields.current_password}</span>}
        </label>
        <label>
          New password
          <input id="new-password" type="password" autoComplete="new-password" required value={form.next} onChange={(e) => setForm({ ...form, next: e.target.value })} />
          {fields.new_password && <span className="field-error">{fields.new_password}</span>}
        </label>
        <label>
          Repeat new password
          <input id="confirm-password" type="password" autoComplete="new-password" required value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} />
          {fields.confirm && <span className="field-error">{fields.confirm}</span>}
        </label>
        {error && <p className="error wide" role="alert">{error}</p>}
        {done && <p className="notice wide" role="status">Password changed.</p>}
        <div className="actions">
          <button type="submit" className="primary">Change password</button>
        </div>
      </form>
    </section>
  )
}
