import { useEffect, useState } from 'react'
import { settings } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { HolidaysCard } from './HolidaysCard'

/** The installation's stored settings: the organisation's name on every workbook, package and export (admins), and the holidays business-day controls leave out (admins and compliance). */
export function SettingsPage() {
  const { can } = useSession()
  const [name, setName] = useState<string | null>(null)
  const [error, setError] = useState('')
  const [saved, setSaved] = useState('')
  const admin = can('settings.manage')
  useEffect(() => {
    settings.get().then((r) => setName(r.settings.organisation), (err: unknown) => setError(messageOf(err)))
  }, [])
  async function save(e: React.FormEvent) {
    e.preventDefault()
    setError('')
    setSaved('')
    try {
      const r = await settings.put(name ?? '')
      setName(r.settings.organisation)
      setSaved('Saved.')
    } catch (err) {
      setError(messageOf(err))
    }
  }
  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {name !== null && (
        <form className="card" onSubmit={(e) => void save(e)}>
          <label>
            Organisation
            <input id="settings-organisation" value={name} maxLength={200} required disabled={!admin} onChange={(e) => setName(e.target.value)} />
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
