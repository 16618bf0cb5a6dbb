import { useEffect, useMemo, useState, type ReactNode } from 'react'

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

type Show = (m: ToastMessage) => void

/** Where a page's notices go; the slot listening to it is the only thing a notice redraws. */
class NoticeChannel {
  private listener: Show | null = null
  show: Show = (m) => this.listener?.(m)
  listen(f: Show) {
    this.listener = f
    return () => { this.listener = null }
  }
}

function NoticeSlot({ channel }: { channel: NoticeChannel }) {
  const [message, setMessage] = useState<ToastMessage | null>(null)
  useEffect(() => channel.listen(setMessage), [channel])
  return <Toast message={message} onClose={() => setMessage(null)} />
}

/**
 * A saved/undo notice for a page with a large table: showing it redraws
 * the notice alone, not the page, so a quick edit on a big matrix or
 * sample stays quick.
 */
export function useNotice(): [ReactNode, Show] {
  const [channel] = useState(() => new NoticeChannel())
  const slot = useMemo(() => <NoticeSlot channel={channel} />, [channel])
  return [slot, channel.show]
}
