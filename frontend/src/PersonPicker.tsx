import { useState } from 'react'
import { SearchPicker, type Choice } from './SearchPicker'
import { personName, searchPeople, useChosen, type PeopleFilter } from './pickers'

interface PersonPickerProps {
  id: string
  label: string
  /** The chosen account's ID, or '' for nobody. */
  value: string
  onChange: (id: string, chosen: Choice | null) => void
  filter?: PeopleFilter
  placeholder?: string
  disabled?: boolean
  required?: boolean
  className?: string
  /** The person already chosen, when the page knows how they read (a saved owner's address). */
  known?: Choice | null
}

/**
 * Chooses a person by typing words of their address or name: the server
 * answers the first matches, so the page never reads every account. The
 * chosen person keeps the label they were chosen by; one set from the
 * page (a saved owner, the address) is named by reading that account.
 */
export function PersonPicker({ id, label, value, onChange, filter, placeholder, disabled, required, className, known }: PersonPickerProps) {
  const [picked, setPicked] = useState<Choice | null>(known ?? null)
  const named = useChosen(picked?.value === value ? '' : value, personName)
  const shown = value === '' ? null : picked?.value === value ? picked : named
  return (
    <SearchPicker id={id} label={label} className={className} placeholder={placeholder} disabled={disabled} required={required}
      value={shown} search={searchPeople(filter)}
      onChange={(c) => { setPicked(c); onChange(c?.value ?? '', c) }} />
  )
}
