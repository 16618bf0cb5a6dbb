import { useQuery } from '@tanstack/react-query'
import { testing } from '../api'

/** The evidence of one control, read through the engagement (auditors may). */
export function useEngagementControlEvidence(id: number, control: number | undefined) {
  return useQuery({
    queryKey: ['engagements', id, 'controls', control, 'evidence'],
    queryFn: () => testing.evidence(id, control ?? 0).then((r) => r.evidence),
    enabled: control !== undefined,
  })
}
