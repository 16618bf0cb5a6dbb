import { useCallback } from 'react'
import { useSearchParams } from 'react-router'

/**
 * Returns a setter for one URL query parameter of a filtered list: an
 * empty value removes it, and changing any filter but the page offset goes
 * back to the first page.
 */
export function useParamSetter(): (name: string, value: string) => void {
  const [, setParams] = useSearchParams()
  return useCallback(
    (name: string, value: string) =>
      setParams((p) => {
        if (value) p.set(name, value)
        else p.delete(name)
        if (name !== 'offset') p.delete('offset')
        return p
      }),
    [setParams],
  )
}
