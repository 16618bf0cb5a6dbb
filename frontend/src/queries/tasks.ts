import { useQuery, useQueryClient } from '@tanstack/react-query'
import { tasks } from '../api'

/** Tasks per owner and state, for one engagement or all ('' ). */
export function useTaskCounts(engagementId: string) {
  return useQuery({
    queryKey: ['tasks', 'counts', { engagement_id: engagementId }],
    queryFn: () => tasks.counts({ engagement_id: engagementId }).then((r) => r.owners),
  })
}

/** Marks every cached task query stale after a change to tasks: lists and counts load again. */
export function useTasksChanged(): () => Promise<void> {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: ['tasks'] })
}

/** One digest's body, read when it is opened. A digest never changes once written, so it is read once. */
export function useDigestBody(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ['outbox', 'digest', id],
    queryFn: () => tasks.digest(id).then((r) => r.digest.body),
    enabled,
    staleTime: Infinity,
  })
}
