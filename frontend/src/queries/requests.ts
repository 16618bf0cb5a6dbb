import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { auditRequests, type AuditRequest, type RequestInput } from '../api'

// Keys start with the resource as the API names it: the engagement's requests.
const key = (id: number) => ['engagements', id, 'requests'] as const

/** One page of an engagement's request list, filtered (status, type, owner_id, control_id, limit, offset), with the total. */
export function useRequests(id: number, query: Record<string, string | number>) {
  return useQuery({
    queryKey: [...key(id), 'list', query],
    queryFn: () => auditRequests.list(id, query).then((r) => ({ rows: r.requests, total: r.total })),
    placeholderData: keepPreviousData,
  })
}

/** One request with its thread. */
export function useRequest(id: number, ref: string) {
  return useQuery({ queryKey: [...key(id), ref], queryFn: () => auditRequests.get(id, ref).then((r) => r.request) })
}

/** The open and returned requests the caller owes, across engagements. */
export function useMyRequests() {
  return useQuery({ queryKey: ['requests', 'mine'], queryFn: () => auditRequests.mine().then((r) => r.requests ?? []) })
}

/** Invalidates every list and request of the engagement, and My tasks. */
function useChanged(id: number) {
  const queryClient = useQueryClient()
  return () => Promise.all([
    queryClient.invalidateQueries({ queryKey: key(id) }),
    queryClient.invalidateQueries({ queryKey: ['requests'] }),
  ])
}

/** Any change to one request of the engagement: the function does it, the caches follow. */
export function useRequestChange(id: number) {
  const changed = useChanged(id)
  return useMutation({ mutationFn: (fn: () => Promise<unknown>) => fn(), onSuccess: changed })
}

export function useCreateRequest(id: number) {
  const changed = useChanged(id)
  return useMutation({ mutationFn: (r: RequestInput) => auditRequests.create(id, r), onSuccess: changed })
}

export function useGenerateRequests(id: number) {
  const changed = useChanged(id)
  return useMutation({ mutationFn: () => auditRequests.generate(id).then((r): AuditRequest[] => r.created), onSuccess: changed })
}

/** Checks (apply false) or imports an audit firm's request list. */
export function useImportRequests(id: number) {
  const changed = useChanged(id)
  return useMutation({
    mutationFn: (v: { file: File; apply: boolean }) => auditRequests.importList(id, v.file, v.apply),
    onSuccess: (plan) => (plan.applied ? changed() : undefined),
  })
}
