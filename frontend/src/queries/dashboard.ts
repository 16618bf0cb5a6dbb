import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { dashboard, engagements } from '../api'

/** The readiness dashboard of one engagement, or of the organisation (undefined). */
export function useDashboard(engagementId: number | undefined) {
  return useQuery({
    queryKey: ['dashboard', { engagement_id: engagementId ?? null }],
    queryFn: () => dashboard.get(engagementId),
    // Switching engagement keeps the last dashboard up until the next one arrives.
    placeholderData: keepPreviousData,
  })
}

/** Every engagement the caller can see, to choose one from (not a page of the list). */
export function useEngagementChoices() {
  return useQuery({ queryKey: ['engagements', 'choices'], queryFn: () => engagements.list().then((r) => r.engagements) })
}
