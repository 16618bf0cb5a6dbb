import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, program } from '../api'

const itemKey = (id: number) => ['evidence', id, 'detail'] as const
const usageKey = (id: number) => ['evidence', id, 'usage'] as const

/** One evidence item with its revisions and linked controls. */
export function useEvidenceItem(id: number) {
  return useQuery({ queryKey: itemKey(id), queryFn: () => program.evidenceItem(id) })
}

/** Where engagements use the item: conclusions relying on it, windows it was attached to. */
export function useEvidenceUsage(id: number) {
  return useQuery({ queryKey: usageKey(id), queryFn: () => program.evidenceUsage(id) })
}

/** Whether a read failed because the item is not in the library (never was, or deleted). */
export const notInLibrary = (err: unknown) => err instanceof ApiError && err.status === 404

/** Controls whose reference or title matches, for linking; not asked while disabled. */
export function useControlChoices(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['controls', 'list', { q, limit: 20 }],
    queryFn: () => program.controls({ q, limit: 20 }).then((r) => r.controls),
    enabled,
    placeholderData: keepPreviousData,
  })
}

/**
 * After a change to one item: a new revision changes only the item; its
 * links to controls, deletion and restoring change where it is used too.
 */
export function useEvidenceChanged(id: number) {
  const queryClient = useQueryClient()
  return {
    item: () => queryClient.invalidateQueries({ queryKey: itemKey(id) }),
    all: () => Promise.all([itemKey(id), usageKey(id)].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  }
}
