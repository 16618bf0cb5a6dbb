import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { api, ApiError } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'

/**
 * First run: create the first administrator (works only while no account
 * exists), optionally with the demo organisation loaded to look around.
 */
export function SetupPage() {
  const { signedIn } = useSession()
  const navigate = useNavigate()
  const [form, setForm] = useState({ email: '', name: '', password: '', confirm: '' })
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  // Whether this installation offers the demo organisation; not offered while unknown.
  const demoOffered = useQuery({ queryKey: ['setup', 'state'], queryFn: api.setupState }).data?.demo ?? false
  const [demo, setDemo] = useState(false)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    if (form.password !== form.confirm) {
      setFields({ confirm: 'The two passwords differ.' })
      return
    }
    setBusy(true)
    try {
      const s = await api.setup(form.email, form.name, form.password, demo)
      if (s.demo_error) window.alert(`The administrator was created, but the demo could not be loaded: ${s.demo_error}`)
      signedIn(s)
      navigate('/', { replace: true })
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    } finally {
      setBusy(false)
    }
  }

  const field = (name: keyof typeof form, label: string, type: string, autoComplete: string) => (
    <label>
      {label}
      <input
        id={`setup-${name}`}
        type={type}
        autoComplete={autoComplete}
        required={name !== 'name'}
        value={form[name]}
        aria-invalid={!!fields[name]}
        aria-describedby={fields[name] ? `setup-${name}-error` : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {fields[name] && (
        <span className="field-error" id={`setup-${name}-error`}>
          {fields[name]}
        </span>
      )}
    </label>
  )

  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <p className="brand">socmap</p>
        <h1 id="setup-title">Create the first administrator</h1>
        <p className="hint">This page works once, while socmap has no accounts. Use at least 12 characters for the password.</p>
        {field('email', 'E-mail address', 'email', 'username')}
        {field('name', 'Name', 'text', 'name')}
        {field('password', 'Password', 'password', 'new-password')}
        {field('confirm', 'Repeat password', 'password', 'new-password')}
        {demoOffered && (
          <label className="check">
            <input type="checkbox" id="setup-demo" checked={demo} onChange={(e) => setDemo(e.target.checked)} /> Load the demo
            organisation (Larkspur Payroll: two audits under way, about 90 controls) to look around
          </label>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" id="setup-submit" disabled={busy}>
          {busy && demo ? 'Loading the demo…' : 'Create administrator'}
        </button>
      </form>
    </main>
  )
}
