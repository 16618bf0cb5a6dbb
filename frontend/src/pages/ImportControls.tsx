import { useState } from 'react'
import { ApiError } from '../api'
import { messageOf } from './CatalogPage'

interface Problem { row: number; column: string; cell?: string; reason: string }

interface Plan {
  changes: { row: number; ref: string; action: string; changes: string[] }[]
  problems: Problem[]
  warnings?: Problem[]
  applied: boolean
}

function where(p: Problem): string {
  return [p.column && `column ${p.column}`, p.cell && `cell ${p.cell}`].filter(Boolean).join(', ')
}

async function send(file: File, apply: boolean, csrf: () => string): Promise<Plan> {
  const form = new FormData()
  form.append('file', file, file.name)
  const res = await fetch(`/api/v1/controls/import?apply=${apply}`, {
    method: 'POST', credentials: 'same-origin', body: form,
    headers: { Accept: 'application/json', 'X-CSRF-Token': csrf() },
  })
  const data = (await res.json().catch(() => ({}))) as { plan?: Plan; error?: { code: string; message: string } }
  if (data.plan) return data.plan
  throw new ApiError(res.status, data.error?.code ?? 'http_error', data.error?.message ?? `The server answered ${res.status}`)
}

/** Upload a control matrix: see what it would change, then apply it all or nothing. */
export function ImportControls({ csrf, onApplied }: { csrf: () => string; onApplied: () => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [plan, setPlan] = useState<Plan | null>(null)
  const [error, setError] = useState('')
  async function run(apply: boolean) {
    if (!file) return
    setError('')
    try {
      const p = await send(file, apply, csrf)
      setPlan(p)
      if (p.applied) onApplied()
    } catch (err) {
      setError(messageOf(err))
    }
  }
  return (
    <details className="card" id="import-controls">
      <summary>Import a control matrix (XLSX or CSV)</summary>
      <p className="hint">Columns: reference, title, description, owner e-mail, frequency, nature, type, key, IPE, systems, implemented on, status, mapped requirement IDs (e.g. CC6.1; CC6.2). Common names and values are understood (Control No., TSC mapping; Annually, Fortnightly), a title block above the header row is skipped, and a workbook exported by socmap works as it is.</p>
      <div className="inline-form">
        <label>File<input id="import-file" type="file" accept=".xlsx,.csv" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPlan(null) }} /></label>
        <button type="button" id="import-dry-run" disabled={!file} onClick={() => void run(false)}>Check</button>
        <button type="button" className="primary" id="import-apply" disabled={!file || !plan || plan.problems.length > 0 || plan.applied} onClick={() => void run(true)}>Import</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {plan && (
        <>
          {plan.applied && <p className="notice" role="status">Imported {plan.changes.length} rows.</p>}
          {plan.problems.length > 0 && (
            <ul className="error" role="alert">
              {plan.problems.map((p, i) => <li key={i}>Row {p.row}{where(p) && `, ${where(p)}`}: {p.reason}</li>)}
            </ul>
          )}
          {(plan.warnings ?? []).length > 0 && (
            <ul className="hint" id="import-warnings">
              {(plan.warnings ?? []).map((p, i) => <li key={i}>Not imported: {where(p)}: {p.reason}</li>)}
            </ul>
          )}
          <table className="data" id="import-plan">
            <thead><tr><th scope="col">Row</th><th scope="col">Reference</th><th scope="col">Action</th><th scope="col">Changes</th></tr></thead>
            <tbody>{plan.changes.map((c) => <tr key={c.row}><td>{c.row}</td><td>{c.ref}</td><td>{c.action}</td><td>{c.changes.join(', ')}</td></tr>)}</tbody>
          </table>
        </>
      )}
    </details>
  )
}
