import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, program, type Control } from '../api'

/** Marks every cached control query stale after controls changed (an import, an edit). */
export function useControlsChanged(): () => Promise<void> {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: ['controls'] })
}

// The control itself sits under 'detail': its automated history and its
// engagements have keys of their own and are not read again with it.
const detailKey = (id: number) => ['controls', id, 'detail'] as const

/** One control with the requirements it serves and its evidence. */
export const controlOptions = (id: number) => queryOptions({ queryKey: detailKey(id), queryFn: () => program.control(id) })

export function useControl(id: number) {
  return useQuery(controlOptions(id))
}

/** The engagements whose scope holds the control, with its results there. */
export function useControlEngagements(id: number) {
  return useQuery({ queryKey: ['controls', id, 'engagements'], queryFn: () => program.controlEngagements(id).then((r) => r.engagements) })
}

/** The frameworks a control can be mapped to (not the SOC 1 objective templates). */
export function useMappableFrameworks() {
  return useQuery({
    queryKey: ['frameworks', 'list'],
    queryFn: () => api.frameworks().then((r) => r.frameworks),
    select: (all) => all.filter((f) => f.id !== 'soc1-objective-templates'),
  })
}

/**
 * After a change to one control: a save puts the control the server
 * answered in place (nothing is read again); a change to its mappings or
 * evidence reads the control again.
 */
export function useControlChanged(id: number) {
  const queryClient = useQueryClient()
  return {
    saved: (control: Control) => queryClient.setQueryData(detailKey(id), (old: Awaited<ReturnType<typeof program.control>> | undefined) => (old ? { ...old, control } : old)),
    reload: () => queryClient.invalidateQueries({ queryKey: detailKey(id) }),
  }
}
