import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type User } from '../api'

const allKey = ['users', 'list', 'all'] as const

/** Every account, for the administrators' page (it pages them itself). */
export function useUsers() {
  return useQuery({ queryKey: allKey, queryFn: () => api.users().then((r) => r.users) })
}

/**
 * After a change to accounts: a saved account the server answered takes
 * its row's place (the list is not read again); a new account, or one
 * someone else changed first, reads the list again.
 */
export function useUsersChanged() {
  const queryClient = useQueryClient()
  return {
    saved: (user: User) => queryClient.setQueryData<User[]>(allKey, (old) => old?.map((u) => (u.id === user.id ? user : u))),
    reload: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  }
}
