import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { engagements, type Recommendation, type ScopingAnswers } from '../api'
import { messageOf } from './CatalogPage'
import { categoryValues } from '../gen/api-types'
import { oneOf } from '../schema'
import { EngagementForm } from './EngagementsPage'

const services = [
  ['payroll', 'Payroll'], ['claims', 'Claims processing'], ['loan_servicing', 'Loan servicing'],
  ['financial_transactions', 'Financial transactions'], ['accounting_billing', 'Accounting or billing'],
  ['retirement_recordkeeping', 'Retirement-plan recordkeeping'], ['custody_trust', 'Custody or trust'],
  ['fund_administration', 'Fund administration or transfer agency'], ['investment_management', 'Investment management'],
  ['payment_processing', 'Payment processing or merchant settlement'], ['benefits_administration', 'Benefits or premium administration'],
  ['medical_billing', 'Medical billing or revenue cycle'], ['colocation', 'Colocation or data centre services'],
  ['saas', 'Software as a service'], ['hosting', 'Hosting or data storage'], ['managed_it', 'Managed IT'],
  ['data_processing', 'Data processing'],
]
const data = [['personal', 'Personal information'], ['health', 'Health information'], ['confidential', 'Confidential customer data']]

/** The scoping assistant: a few questions, a recommendation with reasons, then the engagement. */
export function ScopingPage() {
  const [a, setA] = useState<ScopingAnswers>({
    services: [], affects_financial_statements: false, data: [], uptime_commitments: false,
    accuracy_commitments: false, customers_ask: [], audited_before: false, recently_changed_controls: false,
  })
  const [rec, setRec] = useState<Recommendation | null>(null)
  const [error, setError] = useState('')

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    try {
      setRec((await engagements.scoping(a)).recommendation)
    } catch (err) {
      setError(messageOf(err))
    }
  }
  const toggle = (key: 'services' | 'data' | 'customers_ask', v: string, on: boolean) =>
    setA({ ...a, [key]: on ? [...a[key], v] : a[key].filter((x) => x !== v) })
  const flag = (key: 'affects_financial_statements' | 'uptime_commitments' | 'accuracy_commitments' | 'audited_before' | 'recently_changed_controls', label: string) => (
    <label className="check"><input type="checkbox" name={key} checked={a[key]} onChange={(e) => setA({ ...a, [key]: e.target.checked })} /> {label}</label>
  )

  const reportLabel = rec?.reports.map((r) => r.value).join(' and ')
  const type = rec?.type.value === 'Type I' ? 'type1' : 'type2'
  return (
    <section className="page" aria-labelledby="scoping-title">
      <h1 id="scoping-title">Scoping assistant</h1>
      <form className="card questionnaire" onSubmit={submit} aria-label="Scoping questions">
        <fieldset>
          <legend>What services do you provide to your customers?</legend>
          {services.map(([v, label]) => (
            <label key={v} className="check"><input type="checkbox" name="services" value={v} checked={a.services.includes(v!)} onChange={(e) => toggle('services', v!, e.target.checked)} /> {label}</label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Financial reporting</legend>
          {flag('affects_financial_statements', "Our service affects our customers' financial statements")}
        </fieldset>
        <fieldset>
          <legend>What data do you handle for customers?</legend>
          {data.map(([v, label]) => (
            <label key={v} className="check"><input type="checkbox" name="data" value={v} checked={a.data.includes(v!)} onChange={(e) => toggle('data', v!, e.target.checked)} /> {label}</label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Commitments</legend>
          {flag('uptime_commitments', 'We commit to uptime (an SLA)')}
          {flag('accuracy_commitments', 'We commit to complete and accurate processing')}
        </fieldset>
        <fieldset>
          <legend>What do customers ask for?</legend>
          <label className="check"><input type="checkbox" checked={a.customers_ask.includes('soc1')} onChange={(e) => toggle('customers_ask', 'soc1', e.target.checked)} /> A SOC 1 report</label>
          <label className="check"><input type="checkbox" checked={a.customers_ask.includes('soc2')} onChange={(e) => toggle('customers_ask', 'soc2', e.target.checked)} /> A SOC 2 report</label>
        </fieldset>
        <fieldset>
          <legend>History</legend>
          {flag('audited_before', 'We have had a SOC audit before')}
          {flag('recently_changed_controls', 'We changed our controls recently')}
        </fieldset>
        <div className="actions"><button type="submit" className="primary" id="scoping-submit">Recommend</button></div>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {rec && (
        <section className="card" aria-labelledby="recommendation-title">
          <h2 id="recommendation-title">We recommend: <span id="scoping-result">{reportLabel}</span>, {rec.type.value}</h2>
          <ul className="reasons">
            {rec.reports.map((r) => <li key={r.rule}><strong>{r.value}:</strong> {r.reason}</li>)}
            <li><strong>{rec.type.value}:</strong> {rec.type.reason}</li>
            {(rec.categories ?? []).map((c) => <li key={c.rule}><strong>{c.value}:</strong> {c.reason}</li>)}
          </ul>
          {rec.reports.some((r) => r.value === 'SOC 1') && a.services.length > 0 && (
            <p>
              <Link className="button-link" id="scoping-objectives" to={`/soc1-objectives/adopt?services=${encodeURIComponent(a.services.join(','))}`}>
                Propose SOC 1 objectives for these services
              </Link>
            </p>
          )}
          {rec.reports.map((r) => {
            const report = r.value === 'SOC 1' ? 'soc1' : 'soc2'
            return (
              <div key={r.value} className="create-from-scoping" data-report={report}>
                <EngagementForm
                  heading={`Create the ${r.value} ${rec.type.value} engagement`}
                  initial={{
                    name: `${r.value} ${rec.type.value} ${new Date().getFullYear()}`, report, type,
                    categories: report === 'soc2' ? (rec.categories ?? []).map((c) => c.value).filter((c) => oneOf(categoryValues, c)).filter((c) => c !== 'security') : [],
                  }}
                />
              </div>
            )
          })}
        </section>
      )}
    </section>
  )
}
