import { useQueryClient } from '@tanstack/react-query'

/** Marks every cached control query stale after controls changed (an import, an edit). */
export function useControlsChanged(): () => Promise<void> {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: ['controls'] })
}
