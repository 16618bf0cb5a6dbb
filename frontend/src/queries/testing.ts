import { useQuery, useQueryClient } from '@tanstack/react-query'
import { engagements, testing } from '../api'

// Keys start with the resource as the API names it. The engagement itself
// sits under 'detail' so that invalidating one control's keys, or the
// engagement's exceptions, never reads the engagement again.
export const engagementKey = (id: number) => ['engagements', id, 'detail'] as const
const controlKey = (id: number, control: number) => ['engagements', id, 'controls', control] as const
const exceptionsKey = (id: number) => ['engagements', id, 'exceptions'] as const

/** One engagement's header: name, type, dates, status, testers. */
export function useEngagement(id: number) {
  return useQuery({ queryKey: engagementKey(id), queryFn: () => engagements.get(id).then((r) => r.engagement) })
}

/** One control as scoped in the engagement (reason, windows, required sample); not the whole grid. */
export function useScopedControl(id: number, control: number) {
  return useQuery({ queryKey: [...controlKey(id, control), 'scoped'], queryFn: () => engagements.control(id, control).then((r) => r.control) })
}

/** The control's conclusions; null while none was saved (version 0). */
export function useControlResult(id: number, control: number) {
  return useQuery({
    queryKey: [...controlKey(id, control), 'result'],
    queryFn: () => testing.result(id, control).then((r) => (r.result.version > 0 ? r.result : null)),
  })
}

/** The control's populations, samples and their counts. */
export function useTestWork(id: number, control: number) {
  return useQuery({ queryKey: [...controlKey(id, control), 'work'], queryFn: () => testing.work(id, control) })
}

/** The control's walkthrough (version 0 while none was recorded). */
export function useWalkthrough(id: number, control: number) {
  return useQuery({ queryKey: walkthroughKey(id, control), queryFn: () => testing.walkthrough(id, control).then((r) => r.walkthrough) })
}

export const walkthroughKey = (id: number, control: number) => [...controlKey(id, control), 'walkthrough'] as const

/** The engagement's exceptions, narrowed to one control's; the list is read once for all its controls. */
export function useControlExceptions(id: number, control: number) {
  return useQuery({
    queryKey: exceptionsKey(id),
    queryFn: () => testing.exceptions(id).then((r) => r.exceptions),
    select: (all) => all.filter((x) => x.control_id === control),
  })
}

/** What a change on a control's testing page wrote, and so must be read again. */
export type TestingPart = 'control' | 'result' | 'work' | 'exceptions'

/**
 * Marks stale only the parts a change wrote: recording a sampled item, say,
 * reads its samples and the exceptions again, not the engagement, the
 * control, its conclusions or its evidence.
 */
export function useTestingChanged(id: number, control: number): (parts: TestingPart[]) => Promise<void> {
  const queryClient = useQueryClient()
  return async (parts) => {
    await Promise.all(parts.map((p) => queryClient.invalidateQueries({
      queryKey: p === 'exceptions' ? exceptionsKey(id) : [...controlKey(id, control), p === 'control' ? 'scoped' : p],
    })))
  }
}
