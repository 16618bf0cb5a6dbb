import { useQuery } from '@tanstack/react-query'
import { engagements } from '../api'

/** Every engagement the caller may see. */
export function useEngagementList() {
  return useQuery({ queryKey: ['engagements', 'list'], queryFn: () => engagements.list().then((r) => r.engagements) })
}
