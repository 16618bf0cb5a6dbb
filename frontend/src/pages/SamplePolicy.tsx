import { useState } from 'react'
import { engagements, frequencies as allFrequencies, type SamplePolicy } from '../api'
import type { Frequency } from '../schema'

// A sample size is set per recurring frequency: continuous and event-driven
// controls are sampled from their population instead.
const sampledFromPopulation: readonly Frequency[] = ['continuous', 'event-driven']
const frequencies = allFrequencies.filter((f) => !sampledFromPopulation.includes(f))

/** The engagement's sample policy: its table (built-in or the firm's), bands and risk level. Samples already drawn keep their size. */
export function SamplePolicyCard({ id, policy, editable, act }: { id: number; policy: SamplePolicy; editable: boolean; act: (fn: () => Promise<unknown>) => Promise<void> }) {
  const [table, setTable] = useState(policy.table)
  const size = (f: string, risk: 'lower' | 'higher', v: string) => setTable({ ...table, [f]: { lower: table[f]?.lower ?? 1, higher: table[f]?.higher ?? 1, [risk]: Number(v) } })
  const bands = policy.bands.map((b) => `${b.up_to === 0 ? 'more' : `up to ${b.up_to}`}: ${b.size.lower === 0 ? 'all' : `${b.size.lower} (${b.size.higher})`}`).join('; ')
  return (
    <section className="card" aria-labelledby="sample-policy-title" id="sample-policy">
      <h2 id="sample-policy-title">Sample policy</h2>
      <p className="muted">
        {policy.source === 'built-in' ? 'The built-in table' : "The firm's table"} at {policy.risk} risk (a control may be set to another).
        Populations of conditional controls: {bands}. Samples already drawn keep the size they were drawn with.
      </p>
      <form onSubmit={(e) => { e.preventDefault(); void act(() => engagements.setSamplePolicy(id, { table })) }}>
        <label>Risk level
          <select id="engagement-risk" disabled={!editable} value={policy.risk} onChange={(e) => void act(() => engagements.setSamplePolicy(id, { risk: e.target.value }))}>
            <option value="lower">lower</option><option value="higher">higher</option>
          </select>
        </label>
        <table className="data">
          <thead><tr><th scope="col">Frequency</th><th scope="col">Lower risk</th><th scope="col">Higher risk</th></tr></thead>
          <tbody>
            {frequencies.map((f) => (
              <tr key={f}>
                <th scope="row">{f}</th>
                {(['lower', 'higher'] as const).map((r) => (
                  <td key={r}>
                    <input type="number" min={1} disabled={!editable} aria-label={`${f} at ${r} risk`} value={table[f]?.[r] ?? ''} onChange={(e) => size(f, r, e.target.value)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {editable && (
          <div className="actions">
            <button type="submit">Save the firm's table</button>
            <button type="button" onClick={() => void act(() => engagements.setSamplePolicy(id, { built_in: true }))}>Use the built-in table</button>
          </div>
        )}
      </form>
    </section>
  )
}
