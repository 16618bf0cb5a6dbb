import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type Token } from '../api'

const tokensKey = ['tokens'] as const

/** The caller's own API tokens. */
export function useTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => api.tokens().then((r) => r.tokens) })
}

/** Creates a token; the answer holds the secret, shown once. */
export function useCreateToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (t: { name: string; scope: Token['scope']; expires_on: string }) => api.createToken(t),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  })
}

/** Revokes one of the caller's tokens. */
export function useRevokeToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => api.revokeToken(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  })
}
