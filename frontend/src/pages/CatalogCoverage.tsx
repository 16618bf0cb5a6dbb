import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { program, type Coverage, type CoverageRequirement } from '../api'
import { coverageOptions, useCoverageChanged } from '../queries/coverage'
import { optionalCategories, stateLabels } from '../scope'
import { messageOf } from './CatalogPage'

/** The SOC 2 framework, the one the organisation's controls map to directly. */
export const mappedFramework = 'soc2-tsc-2017'

/**
 * The organisation's coverage of every SOC 2 criterion, by ref, for the
 * catalog: which controls are mapped to each and how well evidenced.
 * Nothing is loaded unless enabled (another framework, or no right to read the programme).
 */
export function useCatalogCoverage(enabled: boolean) {
  const q = useQuery({ ...coverageOptions(everyCategory), enabled, select: byRefOf })
  const changed = useCoverageChanged()
  return { byRef: q.data ?? noCoverage, error: q.error ? messageOf(q.error) : '', reload: () => void changed() }
}

// The scope of every category, as the gap view asks it (so the two share what they read).
const everyCategory = { categories: optionalCategories.map((c) => c.code).join(','), soc1: false, engagement: 0 }
const noCoverage = new Map<string, CoverageRequirement>()
const byRefOf = (c: Coverage) => new Map(c.requirements.filter((q) => q.framework_id === mappedFramework).map((q) => [q.ref, q]))

/** A criterion's mapped controls and coverage state, and for a manager "map a control". */
export function CriterionCoverage({ ref_, coverage, manage, onMapped }: { ref_: string; coverage?: CoverageRequirement; manage: boolean; onMapped: () => void }) {
  if (!coverage) return null
  return (
    <div className="criterion-coverage" data-coverage={coverage.state}>
      <span className={`pill ${coverage.state}`}>{stateLabels[coverage.state] ?? coverage.state}</span>{' '}
      {coverage.controls.length === 0 ? (
        <span className="muted">No control mapped</span>
      ) : (
        <>
          {coverage.controls.map((c) => (
            <Link key={c.id} to={`/controls/${c.id}`} className={`ctl ${c.state}`} title={`${c.title}: ${stateLabels[c.state] ?? c.state}`}>{c.ref}</Link>
          ))}{' '}
          <span className="muted">{coverage.covered_controls} of {coverage.controls.length} {coverage.controls.length === 1 ? 'control' : 'controls'} covered</span>
        </>
      )}
      {manage && <MapControl ref_={ref_} onMapped={onMapped} />}
    </div>
  )
}

/** Maps a control, named by its ID, to the criterion. */
function MapControl({ ref_, onMapped }: { ref_: string; onMapped: () => void }) {
  const [typed, setTyped] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  async function map(e: React.FormEvent) {
    e.preventDefault()
    setError('')
    setBusy(true)
    try {
      const found = await program.controls({ q: typed.trim(), limit: 20 })
      const control = found.controls.find((c) => c.ref.toLowerCase() === typed.trim().toLowerCase())
      if (!control) {
        setError(`No control with the ID ${typed.trim()}`)
        return
      }
      await program.changeMappings([{ control_id: control.id, requirement: `${mappedFramework}/${ref_}` }], [])
      setTyped('')
      onMapped()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <details className="map-control">
      <summary>Map a control…</summary>
      <form className="reset" onSubmit={(e) => void map(e)}>
        <input aria-label={`Control to map to ${ref_}`} placeholder="Control ID, e.g. AC-03" required value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" disabled={busy}>Map</button>
      </form>
      {error && <div className="field-error" role="alert">{error}</div>}
    </details>
  )
}
