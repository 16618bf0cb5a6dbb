import { useEffect, useId, useState, type KeyboardEvent } from 'react'

/** One choice of a picker: the value it stands for and how it reads. */
export interface Choice {
  value: string
  label: string
}

/** The first matches of a search and how many match in all. */
export interface Matches {
  choices: Choice[]
  total: number
}

/** How many matches a picker asks for: type more to narrow the rest. */
export const pickerLimit = 20

interface SearchPickerProps {
  id: string
  label: string
  /** The chosen item, or null; shown by its label while not typing. */
  value: Choice | null
  onChange: (c: Choice | null) => void
  /** Asks the server for the first pickerLimit matches of the text. */
  search: (text: string) => Promise<Matches>
  placeholder?: string
  disabled?: boolean
  required?: boolean
  className?: string
}

/**
 * A picker that searches as one types instead of listing every item, so
 * it works the same with ten controls or ten thousand and never shows a
 * cut list without saying so. It is a combobox: arrows move through the
 * matches, Enter chooses, Escape closes, and clearing the text clears
 * the choice.
 */
export function SearchPicker({ id, label, value, onChange, search, placeholder, disabled, required, className }: SearchPickerProps) {
  const [text, setText] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [matches, setMatches] = useState<Matches | null>(null)
  const [active, setActive] = useState(0)
  const [failed, setFailed] = useState('')
  const labelId = useId()
  const listId = `${id}-matches`
  const typed = text ?? ''

  useEffect(() => {
    if (!open) return
    let live = true
    // Wait for a pause in typing rather than asking on every key.
    const timer = setTimeout(() => {
      search(typed.trim()).then(
        (m) => { if (live) { setMatches(m); setActive(0); setFailed('') } },
        (e: unknown) => { if (live) setFailed(e instanceof Error ? e.message : 'The search failed.') },
      )
    }, 200)
    return () => { live = false; clearTimeout(timer) }
  }, [open, typed, search])

  const choose = (c: Choice) => {
    onChange(c)
    setText(null)
    setOpen(false)
  }
  const close = () => { setText(null); setOpen(false) }
  const choices = matches?.choices ?? []
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (!open) return setOpen(true)
      const step = e.key === 'ArrowDown' ? 1 : -1
      setActive((a) => (choices.length ? (a + step + choices.length) % choices.length : 0))
    } else if (e.key === 'Enter' && open) {
      e.preventDefault()
      if (choices[active]) choose(choices[active])
    } else if (e.key === 'Escape' && open) {
      e.preventDefault()
      close()
    }
  }
  const showList = open && !disabled
  return (
    <div className={`search-picker ${className ?? ''}`}>
      <span id={labelId} className="search-picker-label">{label}</span>
      <input id={id} role="combobox" aria-labelledby={labelId} aria-expanded={showList} aria-controls={listId} aria-autocomplete="list"
        aria-activedescendant={showList && choices[active] ? `${listId}-${active}` : undefined} autoComplete="off"
        placeholder={placeholder} disabled={disabled} required={required} value={text ?? value?.label ?? ''}
        onFocus={() => setOpen(true)} onBlur={close} onKeyDown={onKey}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          if (e.target.value === '' && value) onChange(null)
        }} />
      {showList && (
        <ul id={listId} role="listbox" aria-labelledby={labelId} className="search-picker-list">
          {choices.map((c, i) => (
            <li key={c.value} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(e) => { e.preventDefault(); choose(c) }}>{c.label}</li>
          ))}
          {matches && choices.length === 0 && <li className="muted" aria-disabled="true">Nothing matches.</li>}
          {matches && matches.total > choices.length && (
            <li className="muted" aria-disabled="true">{choices.length} of {matches.total.toLocaleString('en-GB')} shown: type more to narrow.</li>
          )}
          {failed && <li className="error" aria-disabled="true">{failed}</li>}
        </ul>
      )}
    </div>
  )
}
