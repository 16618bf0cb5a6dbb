import { useCallback, useEffect, useState } from 'react'
import { useSearchParams } from 'react-router'
import { ApiError, program, type Control, type CoverageRequirement } from '../api'
import { useSession } from '../session'
import { optionalCategories } from '../scope'
import { messageOf } from './CatalogPage'

/** Criteria × controls for the chosen scope; compliance users tick cells to map. */
export function MatrixPage() {
  const { can } = useSession()
  const editable = can('program.manage')
  const [params, setParams] = useSearchParams()
  const [reqs, setReqs] = useState<CoverageRequirement[]>([])
  // null until the first answer, so loading is never shown as "no controls".
  const [controls, setControls] = useState<Control[] | null>(null)
  const [mapped, setMapped] = useState<Set<string>>(new Set())
  const [error, setError] = useState('')
  const categories = params.get('categories') ?? ''
  const soc1 = params.get('soc1') === 'true'

  const load = useCallback(() => {
    Promise.all([
      program.coverage({ categories, soc1: soc1 ? 'true' : '' }),
      program.controls({ status: 'active', limit: 500 }),
      program.mappings(''),
    ]).then(
      ([cov, ctl, maps]) => {
        setReqs(cov.requirements)
        setControls(ctl.controls)
        setMapped(new Set(maps.mappings.map((m) => `${m.control_id}|${m.requirement}`)))
        setError('')
      },
      (e: unknown) => setError(messageOf(e)),
    )
  }, [categories, soc1])
  useEffect(load, [load])

  async function toggle(controlId: number, requirement: string, on: boolean) {
    setError('')
    try {
      if (on) await program.changeMappings([{ control_id: controlId, requirement }], [])
      else await program.changeMappings([], [{ control_id: controlId, requirement }])
      load()
    } catch (err) {
      setError(err instanceof ApiError ? [err.message, ...Object.values(err.fields)].join(': ') : messageOf(err))
    }
  }

  function toggleCategory(code: string, on: boolean) {
    const list = categories.split(',').filter(Boolean)
    const next = on ? [...list, code] : list.filter((c) => c !== code)
    setParams((p) => {
      if (next.length) p.set('categories', next.join(','))
      else p.delete('categories')
      return p
    })
  }

  return (
    <section className="page wide-page" aria-labelledby="matrix-title">
      <h1 id="matrix-title">Mapping matrix</h1>
      <fieldset className="filters scope">
        <legend>Scope</legend>
        <label className="check"><input type="checkbox" checked disabled /> Security (always)</label>
        {optionalCategories.map((c) => (
          <label key={c.code} className="check">
            <input type="checkbox" checked={categories.split(',').includes(c.code)} onChange={(e) => toggleCategory(c.code, e.target.checked)} /> {c.name}
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={soc1} onChange={(e) => setParams((p) => { if (e.target.checked) p.set('soc1', 'true'); else p.delete('soc1'); return p })} /> Our SOC 1 objectives
        </label>
      </fieldset>
      {error && <p className="error" role="alert">{error}</p>}
      {!controls && !error && <p className="loading" role="status">Loading the matrix…</p>}
      {controls?.length === 0 && !error && <p className="empty">No active controls yet: add them on the Controls page.</p>}
      {controls && controls.length > 0 && (
        <div className="matrix-wrap">
          <table className="data matrix" id="mapping-matrix">
            <thead>
              <tr>
                <th scope="col">Requirement</th>
                {controls.map((c) => <th key={c.id} scope="col" className="vertical" title={c.title}><span>{c.ref}</span></th>)}
              </tr>
            </thead>
            <tbody>
              {reqs.map((r) => (
                <tr key={r.requirement}>
                  <th scope="row" title={r.title}><code>{r.ref}</code><span className="t">{r.title}</span></th>
                  {controls.map((c) => {
                    const on = mapped.has(`${c.id}|${r.requirement}`)
                    return (
                      <td key={c.id} className={on ? 'on' : ''}>
                        {editable ? (
                          <input type="checkbox" checked={on} aria-label={`${c.ref} serves ${r.ref}`} onChange={(e) => void toggle(c.id, r.requirement, e.target.checked)} />
                        ) : on ? <span aria-label={`${c.ref} serves ${r.ref}`}>●</span> : null}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
