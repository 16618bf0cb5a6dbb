/**
 * A load that failed: it says what could not be read and why, and offers
 * to read it again, so a failure is never mistaken for an empty list.
 */
export function LoadError({ what, message, onRetry }: { what: string; message: string; onRetry: () => void }) {
  return (
    <p className="error" role="alert">
      Could not load {what}: {message}{' '}
      <button type="button" onClick={onRetry}>Try again</button>
    </p>
  )
}
