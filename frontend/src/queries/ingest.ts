import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ingest } from '../api'

// Keys: ['ingest', 'sources'], ['ingest', 'runs', 'list', query],
// ['ingest', 'runs', id], ['ingest', 'checks', {unmapped}],
// ['ingest', 'rules'], and a control's history under
// ['controls', id, 'automated', {from, to}].

/** The scan sources with their staleness. */
export function useIngestSources() {
  return useQuery({ queryKey: ['ingest', 'sources'], queryFn: ingest.sources })
}

/** A page of runs, the latest scan first. */
export function useIngestRuns(offset: number, limit = 20) {
  const query = { limit, offset }
  return useQuery({ queryKey: ['ingest', 'runs', 'list', query], queryFn: () => ingest.runs(query) })
}

/** One run with its checks, loaded when asked for. */
export function useIngestRun(id: number | null) {
  return useQuery({ queryKey: ['ingest', 'runs', id], queryFn: () => ingest.run(id!), enabled: id !== null })
}

/** Every check seen, or only those no control takes. */
export function useIngestChecks(unmapped: boolean) {
  return useQuery({ queryKey: ['ingest', 'checks', { unmapped }], queryFn: () => ingest.checks(unmapped) })
}

/** The check mapping rules. */
export function useIngestRules() {
  return useQuery({ queryKey: ['ingest', 'rules'], queryFn: ingest.rules })
}

/** A control's automated history over [from, to]. */
export function useAutomatedHistory(controlId: number, from: string, to: string) {
  return useQuery({
    queryKey: ['controls', controlId, 'automated', { from, to }],
    queryFn: () => ingest.history(controlId, from, to),
  })
}

/**
 * After a scan or a mapping change, what ingest decides has moved: its own
 * lists, controls' histories and evidence, tasks and the dashboard.
 */
function useIngestChanged() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all(['ingest', 'controls', 'tasks', 'dashboard', 'evidence'].map((r) => queryClient.invalidateQueries({ queryKey: [r] })))
}

export function useUploadScan() {
  const changed = useIngestChanged()
  return useMutation({ mutationFn: (v: { file: File; source: string }) => ingest.upload(v.file, v.source), onSuccess: changed })
}

export function useCreateRule() {
  const changed = useIngestChanged()
  return useMutation({ mutationFn: ingest.createRule, onSuccess: changed })
}

export function useImportRules() {
  const changed = useIngestChanged()
  return useMutation({ mutationFn: ingest.importRules, onSuccess: changed })
}

export function useDeleteRule() {
  const changed = useIngestChanged()
  return useMutation({ mutationFn: ingest.deleteRule, onSuccess: changed })
}

export function useUpdateSource() {
  const changed = useIngestChanged()
  return useMutation({
    mutationFn: (v: { id: number; interval_hours?: number; owner_id?: number }) =>
      ingest.updateSource(v.id, { interval_hours: v.interval_hours, owner_id: v.owner_id }),
    onSuccess: changed,
  })
}
