import { useState } from 'react'
import { LoadError } from '../LoadError'
import { useOrganisation, useSaveOrganisation } from '../queries/settings'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { HolidaysCard } from './HolidaysCard'

/** The installation's stored settings: the organisation's name on every workbook, package and export (admins), and the holidays business-day controls leave out (admins and compliance). */
export function SettingsPage() {
  const { can } = useSession()
  const q = useOrganisation()
  const saveName = useSaveOrganisation()
  // What the administrator typed; null shows the name as saved.
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState('')
  const [saved, setSaved] = useState('')
  const admin = can('settings.manage')
  const name = draft ?? q.data ?? null
  async function save(e: React.FormEvent) {
    e.preventDefault()
    setError('')
    setSaved('')
    try {
      await saveName.mutateAsync(name ?? '')
      setDraft(null)
      setSaved('Saved.')
    } catch (err) {
      setError(messageOf(err))
    }
  }
  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {q.isError && <LoadError what="the settings" message={messageOf(q.error)} onRetry={() => void q.refetch()} />}
      {name !== null && (
        <form className="card" onSubmit={(e) => void save(e)}>
          <label>
            Organisation
            <input id="settings-organisation" value={name} maxLength={200} required disabled={!admin} onChange={(e) => setDraft(e.target.value)} />
          </label>
          <p className="hint">The service organisation's name on every workbook page header, evidence package and export.</p>
          {admin && <button type="submit" className="primary" id="settings-save">Save</button>}
          {saved && <span className="notice" role="status"> {saved}</span>}
        </form>
      )}
      <HolidaysCard editable={can('program.manage')} />
    </section>
  )
}
