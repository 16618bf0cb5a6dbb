import { keepPreviousData, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import { program } from '../api'

/** The scope the gap view is computed for; how it is sorted or filtered is the page's, not the server's. */
export interface CoverageScope {
  categories: string
  soc1: boolean
  /** 0: the organisation decides applicability. */
  engagement: number
}

/** The requirements of the scope with their state, and what is in the way. */
export function useCoverage(scope: CoverageScope) {
  return useQuery(coverageOptions(scope))
}

/** The gap view's query, for pages that read it differently (the catalog, by criterion). */
export function coverageOptions(scope: CoverageScope) {
  return queryOptions({
    queryKey: ['coverage', scope],
    queryFn: () => program.coverage({ categories: scope.categories, soc1: scope.soc1 ? 'true' : '', expiring_days: 30, engagement: scope.engagement || '' }),
    // A change of scope keeps the last table up until the next arrives.
    placeholderData: keepPreviousData,
  })
}

/** Marks every cached gap view stale after an applicability decision or a mapping changed. */
export function useCoverageChanged(): () => Promise<void> {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: ['coverage'] })
}
