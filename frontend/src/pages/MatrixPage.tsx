import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, program, type Matrix } from '../api'
import { useSession } from '../session'
import { optionalCategories } from '../scope'
import { messageOf } from './CatalogPage'
import { Pager } from '../Pager'
import { useParamSetter } from '../urlparams'
import { useNotice } from '../Toast'
import { LoadError } from '../LoadError'

/** Controls per page of columns: a large programme's matrix is read a slice at a time. */
const pageSize = 40

/**
 * Criteria × controls for the chosen scope; compliance users tick cells to
 * map. The matrix is one answer; its control columns are paged, so every
 * control is reachable and a thousand columns are never drawn at once.
 */
export function MatrixPage() {
  const { can } = useSession()
  const editable = can('program.manage')
  const [params, setParams] = useSearchParams()
  const setParam = useParamSetter()
  const queryClient = useQueryClient()
  const [notice, setToast] = useNotice()
  const [error, setError] = useState('')
  const categories = params.get('categories') ?? ''
  const soc1 = params.get('soc1') === 'true'
  const offset = Number(params.get('offset') ?? 0) || 0
  const q = { categories, soc1: soc1 ? 'true' : '' }
  const key = ['matrix', q]
  const matrix = useQuery({ queryKey: key, queryFn: () => program.matrix(q), placeholderData: keepPreviousData })
  const controls = matrix.data?.controls
  const shown = (controls ?? []).slice(offset, offset + pageSize)
  const reqs = matrix.data?.requirements ?? []

  // A tick changes the one cell in the cached matrix: nothing else reloads.
  const setCell = (controlId: number, requirement: string, on: boolean) =>
    queryClient.setQueryData<Matrix>(key, (m) => m && {
      ...m,
      controls: m.controls.map((c) => c.id !== controlId ? c : {
        ...c, requirements: on ? [...c.requirements, requirement] : c.requirements.filter((r) => r !== requirement),
      }),
    })

  /** Maps (on) or unmaps the control; the cell shows it at once and goes back if the server refuses. */
  async function tick(controlId: number, requirement: string, on: boolean) {
    setCell(controlId, requirement, on)
    try {
      if (on) await program.changeMappings([{ control_id: controlId, requirement }], [])
      else await program.changeMappings([], [{ control_id: controlId, requirement }])
      void queryClient.invalidateQueries({ queryKey: ['coverage'] })
    } catch (err) {
      setCell(controlId, requirement, !on)
      throw err
    }
  }

  async function toggle(c: { id: number; ref: string }, r: { requirement: string; ref: string }, on: boolean) {
    setError('')
    try {
      await tick(c.id, r.requirement, on)
      // Undo ticks the cell back the other way.
      setToast({ text: on ? `${c.ref} now serves ${r.ref}.` : `${c.ref} no longer serves ${r.ref}.`, undo: () => tick(c.id, r.requirement, !on) })
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

  const loadError = matrix.error ? messageOf(matrix.error) : ''
  return (
    <section className="page wide-page" aria-labelledby="matrix-title">
      <h1 id="matrix-title">Mapping matrix</h1>
      {notice}
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
      {loadError && <LoadError what="the mapping matrix" message={loadError} onRetry={() => void matrix.refetch()} />}
      {!controls && !loadError && <p className="loading" role="status">Loading the matrix…</p>}
      {controls?.length === 0 && <p className="empty">No controls yet: add them on the Controls page.</p>}
      {controls && controls.length > 0 && (
        <>
          <p className="result-count" id="matrix-count">{reqs.length} requirements × {controls.length} {controls.length === 1 ? 'control' : 'controls'}</p>
          <Pager label="Pages of controls" offset={offset} pageSize={pageSize} total={controls.length} onOffset={(o) => setParam('offset', String(o))} />
          <div className="matrix-wrap">
            <table className="data matrix" id="mapping-matrix">
              <thead>
                <tr>
                  <th scope="col">Requirement</th>
                  {shown.map((c) => <th key={c.id} scope="col" className="vertical" title={c.title}><span>{c.ref}</span></th>)}
                </tr>
              </thead>
              <tbody>
                {reqs.map((r) => (
                  <tr key={r.requirement}>
                    <th scope="row" title={r.title}><code>{r.ref}</code><span className="t">{r.title}</span></th>
                    {shown.map((c) => {
                      const on = c.requirements.includes(r.requirement)
                      return (
                        <td key={c.id} className={on ? 'on' : ''}>
                          {editable ? (
                            <input type="checkbox" checked={on} aria-label={`${c.ref} serves ${r.ref}`} onChange={(e) => void toggle(c, r, e.target.checked)} />
                          ) : on ? <span aria-label={`${c.ref} serves ${r.ref}`}>●</span> : null}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}
