import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, soc1, soc1Templates, type ObjectiveInput } from '../api'

const objectivesKey = ['soc1-objectives'] as const

/** The organisation's SOC 1 objectives, each with its suggested control activities. */
export function useObjectives() {
  return useQuery({ queryKey: [...objectivesKey, 'list'], queryFn: () => soc1.objectives().then((r) => r.objectives) })
}

/** The industries the SOC 1 templates are written for (asked only when enabled). */
export function useIndustries(enabled = true) {
  return useQuery({
    queryKey: ['frameworks', soc1Templates, 'industries'],
    queryFn: () => api.industries(soc1Templates).then((r) => r.industries),
    enabled,
  })
}

/**
 * The objective set proposed for industries (comma-separated codes) or the
 * scoping assistant's service answers; nothing is asked while both are empty.
 */
export function useProposal(query: { industries: string; services: string }) {
  return useQuery({
    queryKey: [...objectivesKey, 'proposal', query],
    queryFn: () => soc1.proposal(query),
    enabled: query.industries !== '' || query.services !== '',
  })
}

/** Confirms a reworded objective set in one step. */
export function useAdoptObjectives() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (objectives: ObjectiveInput[]) => soc1.adopt(objectives),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: objectivesKey }),
  })
}

/** Rewords one objective, as of the version it was loaded at (a 412 when someone saved since). */
export function useUpdateObjective() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ ref, version, ...o }: { ref: string; version: number; title: string; description: string }) => soc1.update(ref, o, version),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: objectivesKey }),
  })
}

/** Turns suggested activities into draft controls mapped to the objective. */
export function useAdoptActivities() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ ref, activities }: { ref: string; activities: string[] }) =>
      soc1.adoptActivities(ref, activities.map((a) => ({ ref: a }))),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: objectivesKey }),
        queryClient.invalidateQueries({ queryKey: ['controls'] }),
      ]),
  })
}

/** Whether the organisation has written any SOC 1 objective yet (undefined while unknown or unreadable). */
export function useHasObjectives() {
  return useQuery({
    queryKey: [...objectivesKey, 'any'],
    queryFn: () => api.requirements('org-soc1', { limit: 1 }).then((r) => r.total > 0),
  })
}
