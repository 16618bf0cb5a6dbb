import { useEffect, useMemo, useState } from 'react'
import { useNavigate, useParams, useSearchParams } from 'react-router'
import { api, ApiError, type Framework, type RequirementPage } from '../api'
import { countLabel, groupRequirements } from '../catalog'

const searchDelayMs = 200

/** Browse and search the SOC 2 criteria and SOC 1 objective templates. */
export function CatalogPage() {
  const { frameworkId } = useParams()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const query = params.get('q') ?? ''
  const category = params.get('category') ?? ''

  const [frameworks, setFrameworks] = useState<Framework[] | null>(null)
  const [page, setPage] = useState<RequirementPage | null>(null)
  const [error, setError] = useState('')
  const [typed, setTyped] = useState(query)
  // When the URL's query changes (back/forward, a link), the box follows it.
  const [urlQuery, setUrlQuery] = useState(query)
  if (query !== urlQuery) {
    setUrlQuery(query)
    setTyped(query)
  }

  useEffect(() => {
    api.frameworks().then(
      (r) => setFrameworks(r.frameworks),
      (e: unknown) => setError(messageOf(e)),
    )
  }, [])

  const framework = frameworks?.find((f) => f.id === frameworkId) ?? frameworks?.[0]

  // Debounce typing into the URL, which drives the query.
  useEffect(() => {
    if (typed === query) return
    const t = setTimeout(() => {
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

  useEffect(() => {
    if (!framework) return
    let live = true
    api.requirements(framework.id, { q: query, category, limit: 500 }).then(
      (r) => {
        if (!live) return
        setPage(r)
        setError('')
      },
      (e: unknown) => live && setError(messageOf(e)),
    )
    return () => {
      live = false
    }
  }, [framework, query, category])

  const groups = useMemo(
    () => (page && framework ? groupRequirements(page.requirements, framework.categories) : []),
    [page, framework],
  )

  return (
    <section className="page catalog" aria-labelledby="catalog-title">
      <h1 id="catalog-title">Criteria catalog</h1>
      {frameworks && framework && (
        <div className="tabs" role="tablist" aria-label="Framework">
          {frameworks.map((f) => (
            <button
              key={f.id}
              type="button"
              role="tab"
              aria-selected={f.id === framework.id}
              className={f.id === framework.id ? 'tab active' : 'tab'}
              onClick={() => {
                setPage(null)
                navigate(`/catalog/${f.id}${query ? `?q=${encodeURIComponent(query)}` : ''}`)
              }}
            >
              {f.name}
              <span className="count">{f.requirement_count}</span>
            </button>
          ))}
        </div>
      )}
      {framework && <p className="framework-desc">{framework.description}</p>}

      <div className="filters">
        <label className="search">
          <span className="visually-hidden">Search requirements</span>
          <input
            id="catalog-search"
            type="search"
            aria-label="Search requirements"
            placeholder="Search by ID, title or description"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        {framework && (
          <label>
            <span>Category</span>
            <select
              id="catalog-category"
              value={category}
              onChange={(e) =>
                setParams((p) => {
                  if (e.target.value) p.set('category', e.target.value)
                  else p.delete('category')
                  return p
                })
              }
            >
              <option value="">All categories</option>
              {framework.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name} ({c.requirement_count})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!error && !page && <p className="loading">Loading…</p>}
      {page && (
        <p id="result-count" className="result-count" aria-live="polite">
          {countLabel(page.total, query)}
        </p>
      )}
      {page && page.total === 0 && <p className="empty">No requirements match “{query}”. Try another word or ID.</p>}

      {groups.map((g) => (
        <section key={g.code} className="category" aria-labelledby={`cat-${g.code}`}>
          <h2 id={`cat-${g.code}`}>{g.name}</h2>
          {g.series.map((s) => (
            <section key={s.series} className="series">
              <h3>{framework?.kind === 'soc2' && s.name ? `${s.series} – ${s.name}` : s.series}</h3>
              <ul className="requirements">
                {s.requirements.map((r) => (
                  <li key={r.ref} data-ref={r.ref} className="requirement">
                    <div className="req-head">
                      <code className="ref">{r.ref}</code>
                      <span className="title">{r.title}</span>
                      {r.coso_principle !== null && <span className="badge">COSO principle {r.coso_principle}</span>}
                    </div>
                    <p className="desc">{r.description}</p>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      ))}
    </section>
  )
}

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return 'The server could not be reached. Check your connection and reload.'
}
