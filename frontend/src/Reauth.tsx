import { useEffect, useRef, useState, type FormEvent } from 'react'
import { api, setReauthPrompt } from './api'
import { messageOf } from './pages/CatalogPage'

/**
 * The password prompt for actions the server guards with a recent
 * password (roles, resets, disabling, new tokens). Any request that meets
 * 403 reauth_required opens it; once the password is confirmed the
 * request is sent again, so the page that made it never knows.
 */
export function ReauthPrompt() {
  const [pending, setPending] = useState<((ok: boolean) => void) | null>(null)
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const dialog = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    setReauthPrompt(() => new Promise<boolean>((resolve) => setPending(() => resolve)))
    return () => setReauthPrompt(null)
  }, [])
  useEffect(() => {
    const d = dialog.current
    if (!d) return
    // Browsers without showModal (and jsdom) get a plain open dialog.
    if (pending && !d.open) {
      if (typeof d.showModal === 'function') d.showModal()
      else d.setAttribute('open', '')
    }
    if (!pending && d.open) {
      if (typeof d.close === 'function') d.close()
      else d.removeAttribute('open')
    }
  }, [pending])

  function finish(ok: boolean) {
    pending?.(ok)
    setPending(null)
    setPassword('')
    setError('')
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      await api.reauth(password)
      finish(true)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog ref={dialog} className="reauth" aria-labelledby="reauth-title" onCancel={(e) => { e.preventDefault(); finish(false) }}>
      {pending && (
        <form onSubmit={submit}>
          <h2 id="reauth-title">Confirm your password</h2>
          <p>This change needs your password, entered within the last 10 minutes.</p>
          <label>
            Password
            <input id="reauth-password" type="password" autoComplete="current-password" required autoFocus
              value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {error && <p className="error" role="alert">{error}</p>}
          <div className="actions">
            <button type="submit" className="primary" id="reauth-confirm" disabled={busy}>Confirm</button>
            <button type="button" onClick={() => finish(false)}>Cancel</button>
          </div>
        </form>
      )}
    </dialog>
  )
}
