import { useEffect, useMemo, useState } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import { api, ApiError, soc1Templates, type Framework, type RequirementPage } from '../api'
import { countLabel, emptyLabel, groupRequirements, type SeriesGroup } from '../catalog'
import { useIndustries } from '../queries/soc1-objectives'
import { activitiesLabel } from '../soc1'
import { useCan } from '../session'
import { CriterionCoverage, mappedFramework, useCatalogCoverage } from './CatalogCoverage'
import { Pager } from '../Pager'

const searchDelayMs = 200
const pageLimit = 500

/** The answer to one requirements query, remembered with what was asked. */
interface Result {
  key: string
  frameworkId: string
  page?: RequirementPage
  error?: string
}

/** Browse and search the SOC 2 criteria and SOC 1 objective templates. */
export function CatalogPage() {
  const { frameworkId } = useParams()
  const [params, setParams] = useSearchParams()
  const query = params.get('q') ?? ''
  const category = params.get('category') ?? ''
  const industry = params.get('industry') ?? ''
  const canAdopt = useCan('program.manage')

  const [frameworks, setFrameworks] = useState<Framework[] | null>(null)
  const [frameworksError, setFrameworksError] = useState('')
  const [result, setResult] = useState<Result | null>(null)

  // What is in the search box. It follows the URL when the URL changes
  // from outside (back/forward, a link), but not when the change is the
  // box's own debounced write, so fast typing is never overwritten.
  const [typed, setTyped] = useState(query)
  const [urlQuery, setUrlQuery] = useState(query)
  const [written, setWritten] = useState<string | null>(null)
  if (query !== urlQuery) {
    setUrlQuery(query)
    if (query === written) setWritten(null)
    else setTyped(query)
  }

  useEffect(() => {
    let live = true
    api.frameworks().then(
      (r) => live && setFrameworks(r.frameworks),
      (e: unknown) => live && setFrameworksError(messageOf(e)),
    )
    return () => {
      live = false
    }
  }, [])

  const framework = frameworkId ? frameworks?.find((f) => f.id === frameworkId) : frameworks?.[0]
  const industries = useIndustries(framework?.id === soc1Templates).data ?? []
  const categoryName = framework?.categories.find((c) => c.code === category)?.name ?? category
  const readsProgram = useCan('program.read')
  const coverage = useCatalogCoverage(readsProgram && framework?.id === mappedFramework)

  // Debounce typing into the URL, which drives the query. Typing replaces
  // the history entry rather than adding one per pause.
  useEffect(() => {
    if (typed === query) return
    const t = setTimeout(() => {
      setWritten(typed)
      setParams(
        (p) => {
          if (typed) p.set('q', typed)
          else p.delete('q')
          return p
        },
        { replace: true },
      )
    }, searchDelayMs)
    return () => clearTimeout(t)
  }, [typed, query, setParams])

  const industryFilter = framework?.id === soc1Templates ? industry : ''
  const key = framework ? JSON.stringify([framework.id, query, category, industryFilter]) : ''
  // Another search starts again at the first page.
  const [pageOf, setPageOf] = useState({ key: '', offset: 0 })
  const offset = pageOf.key === key ? pageOf.offset : 0
  useEffect(() => {
    if (!framework) return
    let live = true
    api.requirements(framework.id, { q: query, category, industry: industryFilter, limit: pageLimit, offset: offset || undefined }).then(
      (page) => live && setResult({ key, frameworkId: framework.id, page }),
      (e: unknown) => live && setResult({ key, frameworkId: framework.id, error: messageOf(e) }),
    )
    return () => {
      live = false
    }
  }, [framework, key, query, category, industryFilter, offset])

  const current = result?.key === key ? result : null
  // While a new search runs, the previous results of the same framework stay
  // on screen (dimmed) instead of flashing away on every keystroke.
  const shown = result?.page && result.frameworkId === framework?.id && !current?.error ? result.page : null
  const busy = !!framework && !current
  const error = frameworksError || current?.error || ''

  const groups = useMemo(
    () => (shown && framework ? groupRequirements(shown.requirements, framework.categories) : []),
    [shown, framework],
  )

  const setFilter = (name: string, value: string) =>
    setParams((p) => {
      if (value) p.set(name, value)
      else p.delete(name)
      return p
    })
  const industryName = (code: string) => industries.find((i) => i.code === code)?.name ?? code

  const clearFilters = () => {
    setTyped('')
    if (query) setWritten('')
    setParams((p) => {
      p.delete('q')
      p.delete('category')
      p.delete('industry')
      return p
    })
  }

  if (frameworks && frameworkId && !framework) {
    return (
      <section className="page catalog" aria-labelledby="catalog-title">
        <h1 id="catalog-title">Criteria catalog</h1>
        <p className="error" role="alert">
          There is no framework “{frameworkId}” in the catalog.
        </p>
        <FrameworkNav frameworks={frameworks} current="" query="" />
      </section>
    )
  }

  return (
    <section className="page catalog" aria-labelledby="catalog-title">
      <h1 id="catalog-title">Criteria catalog</h1>
      {frameworks && framework && <FrameworkNav frameworks={frameworks} current={framework.id} query={query} />}
      {framework && (
        <div className="framework-about">
          <p className="framework-desc">{framework.description}</p>
          {framework.version && <p className="framework-version">Version {framework.version}</p>}
          {framework.id === soc1Templates && canAdopt && (
            <p>
              <Link className="button-link" id="catalog-adopt" to={`/soc1-objectives/adopt${industry ? `?industries=${encodeURIComponent(industry)}` : ''}`}>
                {industry ? `Propose the ${industryName(industry)} objective set` : 'Propose an objective set for your industry'}
              </Link>
            </p>
          )}
        </div>
      )}

      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="search" htmlFor="catalog-search">
          <span>Search</span>
          <input
            id="catalog-search"
            type="search"
            aria-label="Search requirements"
            aria-controls="catalog-results"
            placeholder="ID, title or description, e.g. CC6.1 or access"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        {framework && (
          <label htmlFor="catalog-category">
            <span>Category</span>
            <select id="catalog-category" value={category} onChange={(e) => setFilter('category', e.target.value)}>
              <option value="">All categories</option>
              {framework.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name} ({c.requirement_count})
                </option>
              ))}
            </select>
          </label>
        )}
        {framework?.id === soc1Templates && industries.length > 0 && (
          <label htmlFor="catalog-industry">
            <span>Industry</span>
            <select id="catalog-industry" value={industry} onChange={(e) => setFilter('industry', e.target.value)}>
              <option value="">All industries</option>
              {industries.map((i) => (
                <option key={i.code} value={i.code}>{i.name}</option>
              ))}
            </select>
          </label>
        )}
        {(query || category || industryFilter) && (
          <button type="button" id="catalog-clear" onClick={clearFilters}>
            Clear
          </button>
        )}
      </form>

      {error && (
        <p className="error" role="alert" id="catalog-error">
          {error}
        </p>
      )}
      {!error && !shown && (
        <p className="loading" role="status">
          Loading requirements…
        </p>
      )}
      {!error && shown && (
        <p id="result-count" className="result-count" aria-live="polite">
          {countLabel(shown.total, query, category ? categoryName : '')}
          {busy && <span className="searching"> · searching…</span>}
        </p>
      )}
      {!error && shown && shown.total > pageLimit && (
        <Pager label="Pages of requirements" offset={offset} pageSize={pageLimit} total={shown.total} shown={shown.requirements.length}
          onOffset={(o) => setPageOf({ key, offset: o })} />
      )}
      {!error && shown && shown.total === 0 && (
        <div className="empty" id="catalog-empty">
          <p>{emptyLabel(query, category ? categoryName : '')}</p>
          <p>
            Try another word or a requirement ID, or{' '}
            <button type="button" className="link-dark" onClick={clearFilters}>
              clear the search
            </button>
            .
          </p>
        </div>
      )}

      {coverage.error && <p className="error" role="alert">{coverage.error}</p>}
      <div id="catalog-results" className={`results kind-${framework?.kind ?? 'none'}${busy ? ' stale' : ''}`} aria-busy={busy}>
        {!error &&
          groups.map((g) => (
            <section key={g.code} className="category" aria-labelledby={`cat-${g.code}`}>
              <h2 id={`cat-${g.code}`}>{g.name}</h2>
              {g.series.map((s) => (
                <section key={s.series} className="series" aria-labelledby={`series-${g.code}-${s.series}`}>
                  <h3 id={`series-${g.code}-${s.series}`} className={seriesLabel(s, framework) === g.name ? 'visually-hidden' : undefined}>
                    {seriesLabel(s, framework)}
                  </h3>
                  <ul className="requirements">
                    {s.requirements.map((r) => (
                      <li key={r.ref} data-ref={r.ref} className="requirement">
                        <div className="req-head">
                          <code className="ref">{r.ref}</code>
                          <span className="title">{r.title}</span>
                          {r.coso_principle !== null && (
                            <span className="badge" title="COSO 2013 Internal Control framework principle">
                              COSO principle {r.coso_principle}
                            </span>
                          )}
                          {r.industry && r.industry !== 'all' && <span className="badge">{industryName(r.industry)}</span>}
                          {r.optional && <span className="badge">optional</span>}
                        </div>
                        {r.description && <p className="desc">{r.description}</p>}
                        <CriterionCoverage ref_={r.ref} coverage={coverage.byRef.get(r.ref)} manage={canAdopt} onMapped={coverage.reload} />
                        {r.activities.length > 0 && (
                          <details className="activities">
                            <summary>{activitiesLabel(r.activities.length)}</summary>
                            <ul>
                              {r.activities.map((a) => (
                                <li key={a.ref} data-activity={a.ref}>
                                  <code>{a.ref}</code> {a.title} <span className="muted">({a.frequency}, {a.nature}, {a.type})</span>
                                </li>
                              ))}
                            </ul>
                          </details>
                        )}
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </section>
          ))}
      </div>
    </section>
  )
}

/** "CC6 – Logical and physical access" for SOC 2; a SOC 1 series is its domain name. */
function seriesLabel(s: SeriesGroup, framework: Framework | undefined): string {
  return framework?.kind === 'soc2' && s.name ? `${s.series} – ${s.name}` : s.series
}

/** The frameworks as a segmented control of links: each is a shareable URL. */
function FrameworkNav({ frameworks, current, query }: { frameworks: Framework[]; current: string; query: string }) {
  return (
    <nav className="tabs" aria-label="Framework" id="framework-tabs">
      {frameworks.map((f) => (
        <Link
          key={f.id}
          to={{ pathname: `/catalog/${encodeURIComponent(f.id)}`, search: query ? `?${new URLSearchParams({ q: query })}` : '' }}
          className={f.id === current ? 'tab active' : 'tab'}
          aria-current={f.id === current ? 'page' : undefined}
          data-framework={f.id}
        >
          {f.name}
          <span className="count" aria-label={`${f.requirement_count} requirements`}>
            {f.requirement_count}
          </span>
        </Link>
      ))}
    </nav>
  )
}

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return 'The server could not be reached. Check your connection and reload.'
}
