import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { api, ApiError, setCsrfToken, type Session } from './api'
import { newQueryClient } from './queries/client'

interface SessionState {
  /** undefined while loading, null when signed out */
  session: Session | null | undefined
  setupNeeded: boolean
  signedIn: (s: Session) => void
  signOut: () => Promise<void>
  can: (permission: string) => boolean
}

const SessionContext = createContext<SessionState | null>(null)

/**
 * The signed-in user and the cache of what the server told them: each
 * sign-in and sign-out starts an empty cache and mounts the pages afresh
 * (a query keeps the client it was mounted with), so nothing one user
 * loaded is ever shown to the next.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const [setupNeeded, setSetupNeeded] = useState(false)
  const [cache, setCache] = useState(() => ({ client: newQueryClient(), generation: 0 }))
  const renewCache = useCallback(() => setCache((c) => ({ client: newQueryClient(), generation: c.generation + 1 })), [])

  useEffect(() => {
    let live = true
    api
      .session()
      .then((s) => {
        if (!live) return
        setCsrfToken(s.csrf_token)
        setSession(s)
      })
      .catch(async (err: unknown) => {
        // Signed out (401) or the server is unreachable: either way the
        // sign-in page is next, and it shows any error it meets.
        let needed = false
        if (err instanceof ApiError && err.status === 401) {
          needed = await api.setupState().then((s) => s.needed, () => false)
        }
        if (!live) return
        setSetupNeeded(needed)
        setSession(null)
      })
    return () => {
      live = false
    }
  }, [])

  const signedIn = useCallback((s: Session) => {
    setCsrfToken(s.csrf_token)
    setSetupNeeded(false)
    renewCache()
    setSession(s)
  }, [renewCache])

  const signOut = useCallback(async () => {
    await api.logout()
    setCsrfToken('')
    renewCache()
    setSession(null)
  }, [renewCache])

  const can = useCallback((p: string) => !!session?.permissions.includes(p), [session])

  return (
    <SessionContext.Provider value={{ session, setupNeeded, signedIn, signOut, can }}>
      <QueryClientProvider key={cache.generation} client={cache.client}>{children}</QueryClientProvider>
    </SessionContext.Provider>
  )
}

export function useSession(): SessionState {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside SessionProvider')
  return s
}

/**
 * Whether the signed-in user has a permission; false outside a session
 * (a page rendered on its own shows no action it could not take).
 */
export function useCan(permission: string): boolean {
  return useContext(SessionContext)?.can(permission) ?? false
}
