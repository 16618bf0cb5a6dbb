import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, ApiError, setCsrfToken, type Session } from './api'

interface SessionState {
  /** undefined while loading, null when signed out */
  session: Session | null | undefined
  setupNeeded: boolean
  signedIn: (s: Session) => void
  signOut: () => Promise<void>
  can: (permission: string) => boolean
}

const SessionContext = createContext<SessionState | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const [setupNeeded, setSetupNeeded] = useState(false)

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
    setSession(s)
  }, [])

  const signOut = useCallback(async () => {
    await api.logout()
    setCsrfToken('')
    setSession(null)
  }, [])

  const can = useCallback((p: string) => !!session?.permissions.includes(p), [session])

  return (
    <SessionContext.Provider value={{ session, setupNeeded, signedIn, signOut, can }}>{children}</SessionContext.Provider>
  )
}

export function useSession(): SessionState {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside SessionProvider')
  return s
}
