import { useCallback } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { messageOf } from './pages/CatalogPage'
import { useSearchParams } from 'react-router'

/**
 * Returns a setter for one URL query parameter of a filtered list: an
 * empty value removes it, and changing any filter but the page offset goes
 * back to the first page. With replace the change edits the current
 * history entry, as typing in a search box should: Back then leaves the
 * search instead of undoing it one letter at a time.
 */
export function useParamSetter(): (name: string, value: string, opts?: { replace?: boolean }) => void {
  const [, setParams] = useSearchParams()
  return useCallback(
    (name: string, value: string, opts?: { replace?: boolean }) =>
      setParams((p) => {
        if (value) p.set(name, value)
        else p.delete(name)
        if (name !== 'offset') p.delete('offset')
        return p
      }, { replace: opts?.replace }),
    [setParams],
  )
}

/**
 * Returns a setter for several filters at once, as a filter form submits
 * them: empty values are removed and the list goes back to its first page.
 */
export function useParamsSetter(): (values: Record<string, string>) => void {
  const [, setParams] = useSearchParams()
  return useCallback(
    (values: Record<string, string>) =>
      setParams((p) => {
        for (const [name, value] of Object.entries(values)) {
          if (value) p.set(name, value)
          else p.delete(name)
        }
        p.delete('offset')
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
 * parameters, the page offset and the page size go to fetchPage. The page
 * is cached under [resource, 'list', query] (see frontend/README.md), so
 * invalidating [resource] after a change loads it again, and the previous
 * page stays on screen while the next one loads.
 */
export function useUrlListPage<T>(
  resource: string,
  names: readonly string[],
  pageSize: number,
  fetchPage: (q: Record<string, string | number>) => Promise<Page<T>>,
) {
  const [params] = useSearchParams()
  const offset = Number(params.get('offset') ?? 0) || 0
  const q: Record<string, string | number> = { limit: pageSize, offset }
  for (const n of names) {
    const v = params.get(n)
    if (v) q[n] = v
  }
  const page = useQuery({ queryKey: [resource, 'list', q], queryFn: () => fetchPage(q), placeholderData: keepPreviousData })
  return {
    rows: page.data?.rows ?? null,
    total: page.data?.total ?? 0,
    error: page.error ? messageOf(page.error) : '',
    /** Reads the page again after a failed load. */
    retry: () => void page.refetch(),
    offset,
    params,
  }
}
