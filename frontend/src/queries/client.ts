import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../api'

/**
 * The server-state cache's defaults (the convention is in frontend/README.md).
 * A page asks the server again each time it is opened, showing what the
 * cache holds meanwhile (staleTime 0: pages not yet on TanStack Query change
 * data without invalidating, so nothing cached may be trusted as current);
 * identical queries in flight are sent once; nothing refetches because the
 * window regained focus (a dashboard's queries would all go again each
 * time); a request the server refused (4xx) is not retried, a failed one is
 * retried once.
 */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 0,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 1 && !(error instanceof ApiError && error.status < 500),
      },
      mutations: { retry: false },
    },
  })
}
