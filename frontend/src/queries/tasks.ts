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

// The API names it calendar-feed: outside 'tasks', so a change to tasks does not read it again.
const feedKey = ['calendar-feed'] as const
type Feed = { active: boolean; revoked_at: string | null }

/** Whether the user's calendar address is active, and when it was last revoked. */
export function useCalendarFeed() {
  return useQuery({ queryKey: feedKey, queryFn: () => tasks.feed().then((r): Feed => ({ active: r.active, revoked_at: r.revoked_at })) })
}

/** Puts the feed's state after a change in place: the server's answer says all there is. */
export function useCalendarFeedSet(): (f: Feed) => void {
  const queryClient = useQueryClient()
  return (f) => queryClient.setQueryData(feedKey, f)
}
