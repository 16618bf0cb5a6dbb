import { useQuery } from '@tanstack/react-query'
import { engagements, testing } from '../api'

/** The controls of an engagement's scope, included or not. */
export function useEngagementControls(id: number) {
  return useQuery({ queryKey: ['engagements', id, 'controls'], queryFn: () => engagements.controls(id).then((r) => r.controls) })
}

/** The evidence of one control, read through the engagement (auditors may). */
export function useEngagementControlEvidence(id: number, control: number | undefined) {
  return useQuery({
    queryKey: ['engagements', id, 'controls', control, 'evidence'],
    queryFn: () => testing.evidence(id, control ?? 0).then((r) => r.evidence),
    enabled: control !== undefined,
  })
}
