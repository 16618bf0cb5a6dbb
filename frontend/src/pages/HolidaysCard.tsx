import { useState } from 'react'
import { ApiError, type Holiday } from '../api'
import { useHolidays, useSaveHolidays } from '../queries/settings'
import { messageOf } from './CatalogPage'
import { LoadError } from '../LoadError'

/** "2026-12-25 Christmas Day" per line. */
export function parseHolidays(text: string): Holiday[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [day = '', ...name] = l.split(/\s+/)
    return { day, name: name.join(' ') }
  })
}

export function holidayLines(list: Holiday[]): string {
  return list.map((h) => (h.name ? `${h.day} ${h.name}` : h.day)).join('\n')
}

/** The days of `before` that `after` no longer lists, as "2026-12-25 Christmas Day". */
export function removedHolidays(before: Holiday[], after: Holiday[]): string[] {
  const kept = new Set(after.map((h) => h.day))
  return before.filter((h) => !kept.has(h.day)).map((h) => (h.name ? `${h.day} ${h.name}` : h.day))
}

/** The organisation's holidays: daily controls that run on business days leave them out. */
export function HolidaysCard({ editable }: { editable: boolean }) {
  const holidays = useHolidays()
  const save = useSaveHolidays()
  const [text, setText] = useState<string | null>(null)
  if (holidays.isPending) return <p className="loading">Loading…</p>
  if (holidays.error) return <LoadError what="the holidays" message={messageOf(holidays.error)} onRetry={() => void holidays.refetch()} />
  const shown = text ?? holidayLines(holidays.data)
  const fieldErrors = save.error instanceof ApiError ? Object.entries(save.error.fields).map(([k, v]) => `${k}: ${v}`) : []
  return (
    <form className="card" aria-labelledby="holidays-title"
      onSubmit={(e) => {
        e.preventDefault()
        const next = parseHolidays(shown)
        const gone = removedHolidays(holidays.data, next)
        if (gone.length > 0 && !window.confirm(`Remove the holidays ${gone.join(', ')}? Daily controls become expected on those days.`)) return
        save.mutate(next, { onSuccess: () => setText(null) })
      }}>
      <h2 id="holidays-title">Holidays</h2>
      <label>
        One per line: the date, then its name
        <textarea id="settings-holidays" rows={8} disabled={!editable} value={shown} onChange={(e) => setText(e.target.value)}
          placeholder="2026-12-25 Christmas Day" />
      </label>
      <p className="hint">Daily controls that run on business days are expected Monday to Friday, less these days.</p>
      {save.error && <p className="error" role="alert">{messageOf(save.error)}{fieldErrors.length > 0 && `: ${fieldErrors.join('; ')}`}</p>}
      {editable && <button type="submit" id="settings-holidays-save">Save holidays</button>}
      {save.isSuccess && text === null && <span className="notice" role="status"> Saved.</span>}
    </form>
  )
}
