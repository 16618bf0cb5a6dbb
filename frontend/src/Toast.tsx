import { useEffect, useState } from 'react'

export interface ToastMessage {
  text: string
  /** Reverts the edit through the API; the notice then says so. */
  undo?: () => Promise<unknown>
}

/**
 * The saved/undo notice of a quick edit: it says what was saved and offers
 * to take it back, then goes after a while. Undo sends the reverting
 * request; a failure is shown in its place.
 */
export function Toast({ message, onClose, timeoutMs = 10000 }: { message: ToastMessage | null; onClose: () => void; timeoutMs?: number }) {
  const [state, setState] = useState<{ for: ToastMessage | null; text: string }>({ for: null, text: '' })
  const text = state.for === message ? state.text : message?.text ?? ''
  useEffect(() => {
    if (!message) return
    const t = setTimeout(onClose, timeoutMs)
    return () => clearTimeout(t)
  }, [message, onClose, timeoutMs])
  if (!message) return null
  const undo = async () => {
    if (!message.undo) return
    try {
      await message.undo()
      setState({ for: message, text: 'Undone.' })
    } catch (e) {
      setState({ for: message, text: `Could not undo: ${e instanceof Error ? e.message : String(e)}` })
    }
  }
  const undone = state.for === message
  return (
    <div className="toast" role="status" id="toast">
      <span>{text}</span>
      {message.undo && !undone && <button type="button" id="toast-undo" onClick={() => void undo()}>Undo</button>}
      <button type="button" className="link" aria-label="Dismiss" onClick={onClose}>×</button>
    </div>
  )
}
