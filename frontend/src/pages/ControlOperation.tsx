import { useQuery } from '@tanstack/react-query'
import { type ControlInput, type Schedule } from '../api'
import { controlOptions } from '../queries/controls'
import { SearchPicker, type Choice } from '../SearchPicker'
import { searchControlsByID } from '../pickers'

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** How many months apart the scheduled months of a frequency are. */
const monthStep: Record<string, number> = { quarterly: 3, 'semi-annual': 6, annual: 12 }

/** The months a control runs in, from the first one: [1, 4, 7, 10] for a quarterly control starting in January. */
export function monthsFrom(first: number, frequency: string): number[] {
  const step = monthStep[frequency] ?? 12
  return Array.from({ length: 12 / step }, (_, i) => ((first - 1 + i * step) % 12) + 1).sort((a, b) => a - b)
}

/**
 * When a control operates: its schedule within its frequency (which
 * weekday, day or business day of the month, or months), the calendar of
 * a daily control, and its retirement and replacement.
 */
export function ControlOperation({ form, setForm, editable, fields, words, selfId }: {
  form: ControlInput; setForm: (f: ControlInput) => void; editable: boolean; fields: Record<string, string>; words: string; selfId: number
}) {
  const replacement = useReplacement(form.replaced_by ?? null)
  const schedule: Schedule = form.schedule ?? {}
  const frequency = form.frequency ?? ''
  const set = (s: Schedule) => setForm({ ...form, schedule: s })
  const error = (name: string) => fields[name] && <span className="field-error">{fields[name]}</span>
  return (
    <>
      {(frequency === 'weekly' || frequency === 'bi-weekly') && (
        <label>
          Runs on
          <select id="control-schedule-weekday" disabled={!editable} value={schedule.weekday ?? ''}
            onChange={(e) => set(e.target.value === '' ? {} : { weekday: Number(e.target.value) })}>
            <option value="">Any day of the week</option>
            {weekdays.map((d, i) => <option key={d} value={i}>{d}</option>)}
          </select>
          {error('schedule')}
        </label>
      )}
      {frequency === 'monthly' && (
        <label>
          Runs
          <select id="control-schedule-monthly" disabled={!editable}
            value={schedule.business_day ? `b${schedule.business_day}` : schedule.day ? `d${schedule.day}` : ''}
            onChange={(e) => {
              const v = e.target.value
              set(v === '' ? {} : v[0] === 'b' ? { business_day: Number(v.slice(1)) } : { day: Number(v.slice(1)) })
            }}>
            <option value="">Any time in the month</option>
            {Array.from({ length: 10 }, (_, i) => <option key={`b${i + 1}`} value={`b${i + 1}`}>by business day {i + 1}</option>)}
            {Array.from({ length: 31 }, (_, i) => <option key={`d${i + 1}`} value={`d${i + 1}`}>on day {i + 1}</option>)}
          </select>
          {error('schedule')}
        </label>
      )}
      {monthStep[frequency] !== undefined && (
        <label>
          Runs in
          <select id="control-schedule-months" disabled={!editable} value={schedule.months?.length ? Math.min(...schedule.months) : ''}
            onChange={(e) => set(e.target.value === '' ? {} : { months: monthsFrom(Number(e.target.value), frequency) })}>
            <option value="">Any month of its window</option>
            {monthNames.slice(0, monthStep[frequency]).map((m, i) => (
              <option key={m} value={i + 1}>{monthsFrom(i + 1, frequency).map((n) => monthNames[n - 1]).join(', ')}</option>
            ))}
          </select>
          {error('schedule')}
        </label>
      )}
      {(frequency === 'daily' || frequency === 'several-times-a-day') && (
        <label>
          Runs on
          <select id="control-calendar" disabled={!editable} value={form.calendar ?? 'every-day'}
            onChange={(e) => setForm({ ...form, calendar: e.target.value as 'every-day' | 'business-days' })}>
            <option value="every-day">every day</option>
            <option value="business-days">business days (Monday to Friday, less holidays)</option>
          </select>
          {error('calendar')}
        </label>
      )}
      <label>
        Retired on (last day it operated)
        <input id="control-retired-on" type="date" disabled={!editable} value={form.retired_on ?? ''}
          onChange={(e) => setForm({ ...form, retired_on: e.target.value || null })} />
        {error('retired_on')}
      </label>
      <div>
        <SearchPicker id="control-replaced-by" label="Replaced by" disabled={!editable} placeholder="No replacement: type a reference or title"
          value={replacement} search={searchControlsByID(selfId)}
          onChange={(c) => setForm({ ...form, replaced_by: c ? Number(c.value) : null })} />
        {error('replaced_by')}
      </div>
      {words && <p className="hint wide" id="control-schedule-words">Schedule: {words}</p>}
    </>
  )
}

/** The replacing control as a picker shows it: its reference and title, read once per control. */
function useReplacement(id: number | null): Choice | null {
  const q = useQuery({ ...controlOptions(id ?? 0), enabled: id !== null })
  if (id === null) return null
  if (q.data) return { value: String(id), label: `${q.data.control.ref} — ${q.data.control.title}` }
  return { value: String(id), label: q.isError ? `control #${id}` : '…' }
}
