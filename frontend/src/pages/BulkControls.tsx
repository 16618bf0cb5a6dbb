import { useState } from 'react'
import { program, type Control } from '../api'
import { PersonPicker } from '../PersonPicker'
import { SearchPicker, type Choice } from '../SearchPicker'
import { searchRequirements } from '../pickers'

const searchSOC2 = searchRequirements('soc2-tsc-2017')
import { messageOf } from './CatalogPage'
import type { ToastMessage } from '../Toast'

/**
 * What the Controls page can do to the selected controls at once: assign
 * an owner, retire them, map them to a requirement. Each is one request,
 * all or nothing; the owner change can be undone from the notice (a mapping
 * may have been there before, so it is removed on the control's page).
 */
export function BulkControls({ selected, onDone }: {
  selected: Control[]
  onDone: (m: ToastMessage) => void
}) {
  const [owner, setOwner] = useState('')
  const [ownerLabel, setOwnerLabel] = useState('')
  const [retiredOn, setRetiredOn] = useState('')
  const [requirement, setRequirement] = useState<Choice | null>(null)
  const [error, setError] = useState('')
  const ids = selected.map((c) => c.id)
  const n = `${ids.length} ${ids.length === 1 ? 'control' : 'controls'}`

  const run = async (work: () => Promise<unknown>, message: ToastMessage) => {
    setError('')
    try {
      await work()
      onDone(message)
    } catch (e) {
      setError(messageOf(e))
    }
  }
  const assign = () => {
    if (!owner) return setError('Choose the new owner from the matches.')
    // Undo gives each control back the owner it had (0: none).
    const before = new Map<number, number[]>()
    for (const c of selected) before.set(c.owner_id ?? 0, [...(before.get(c.owner_id ?? 0) ?? []), c.id])
    return run(() => program.bulkControls(ids, { owner_id: Number(owner) }), {
      text: `${ownerLabel} now owns ${n}.`,
      undo: () => Promise.all([...before].map(([o, group]) => program.bulkControls(group, { owner_id: o }))),
    })
  }
  const requirementRef = requirement?.value

  return (
    <div className="card bulk" role="region" aria-label="Change the selected controls" id="bulk-controls">
      <p><strong>{n} selected</strong></p>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void assign() }}>
        <PersonPicker id="bulk-owner" label="Owner" required placeholder="Type a name" filter={{ active: true }} value={owner}
          onChange={(v, c) => { setOwner(v); setOwnerLabel(c?.label ?? '') }} />
        <button type="submit" id="bulk-assign">Assign owner</button>
      </form>
      <form className="inline-form" onSubmit={(e) => {
        e.preventDefault()
        if (window.confirm(`Retire ${n} on ${retiredOn}? They stop operating from that day.`)) {
          void run(() => program.bulkControls(ids, { retired_on: retiredOn }), { text: `${n} retired on ${retiredOn}.` })
        }
      }}>
        <label>Retire on<input type="date" id="bulk-retired-on" required value={retiredOn} onChange={(e) => setRetiredOn(e.target.value)} /></label>
        <button type="submit" id="bulk-retire">Retire</button>
      </form>
      <form className="inline-form" onSubmit={(e) => {
        e.preventDefault()
        if (!requirementRef) return setError('Choose a criterion from the list, e.g. CC6.1.')
        const requirementId = `soc2-tsc-2017/${requirementRef}`
        void run(() => program.changeMappings(ids.map((id) => ({ control_id: id, requirement: requirementId })), []), {
          text: `${n} mapped to ${requirementRef}.`,
        })
      }}>
        <SearchPicker id="bulk-requirement" className="grow" label="Map to a SOC 2 criterion" placeholder="Code or title, e.g. CC6.1"
          value={requirement} search={searchSOC2} onChange={setRequirement} />
        <button type="submit" id="bulk-map">Map</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  )
}
