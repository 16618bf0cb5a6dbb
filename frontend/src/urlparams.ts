import { useCallback, useEffect, useState } from 'react'
import { messageOf } from './pages/CatalogPage'
import { useSearchParams } from 'react-router'

/**
 * Returns a setter for one URL query parameter of a filtered list: an
 * empty value removes it, and changing any filter but the page offset goes
 * back to the first page.
 */
export function useParamSetter(): (name: string, value: string) => void {
  const [, setParams] = useSearchParams()
  return useCallback(
    (name: string, value: string) =>
      setParams((p) => {
        if (value) p.set(name, value)
        else p.delete(name)
        if (name !== 'offset') p.delete('offset')
        return p
      }),
    [setParams],
  )
}

/** One page of a list and how many items match in all. */
export interface Page<T> {
  rows: T[]
  total: number
}

/**
 * Loads one page of a list whose filters live in the URL: the named query
 * parameters, the page offset and the page size go to fetchPage (which
 * must be stable, e.g. defined at module level). Changing reload loads the
 * same page again.
 */
export function useUrlListPage<T>(
  names: readonly string[],
  pageSize: number,
  fetchPage: (q: Record<string, string | number>) => Promise<Page<T>>,
  reload = 0,
) {
  const [params] = useSearchParams()
  const [page, setPage] = useState<Page<T> | null>(null)
  const [error, setError] = useState('')
  const offset = Number(params.get('offset') ?? 0) || 0
  useEffect(() => {
    let live = true
    const q: Record<string, string | number> = { limit: pageSize, offset }
    for (const n of names) {
      const v = params.get(n)
      if (v) q[n] = v
    }
    fetchPage(q).then(
      (p) => {
        if (!live) return
        setPage(p)
        setError('')
      },
      (e: unknown) => live && setError(messageOf(e)),
    )
    return () => {
      live = false
    }
  }, [params, offset, pageSize, names, fetchPage, reload])
  return { rows: page?.rows ?? null, total: page?.total ?? 0, error, offset, params }
}
