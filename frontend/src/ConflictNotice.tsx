import { useState } from 'react'
import { conflictOf } from './api'

/**
 * Edit forms send the version they were loaded at (If-Match). When someone
 * else saved in between, the server refuses the save with 412 and the
 * resource as it is now; the form then keeps the user's input and shows
 * what the other person changed, and the user decides: keep their own
 * input (the next save, made against the new version, replaces the other
 * change knowingly) or take the other version. Nothing is overwritten
 * without the user having seen it.
 */

interface Versioned {
  version: number
}

export interface Edit<T extends Versioned> {
  /** The resource as the form started from it: its version goes with the next save. */
  base: T
  /** The resource as someone else saved it, after a refused save; null otherwise. */
  theirs: T | null
  /** After a save: the answer is the new starting point. */
  saved: (now: T) => void
  /** Records a 412 from a save (key: the resource in the answer, e.g. "control"); false for any other error. */
  caught: (err: unknown, key: string) => boolean
  /** Keeps the user's input and moves the form to their version, so the next save replaces it. */
  keepMine: () => void
  /** Drops the user's input: the caller resets the form to the value returned. */
  takeTheirs: () => T | null
}

/**
 * A conflict of a change applied at once (a select, a button) rather than
 * kept in a form: keeping mine sends the change again, against their version.
 */
export function instantEdit<T extends Versioned>(base: T, theirs: T, resend: (theirs: T) => void, drop: () => void): Edit<T> {
  return {
    base,
    theirs,
    saved: () => undefined,
    caught: () => false,
    keepMine: () => resend(theirs),
    takeTheirs: () => {
      drop()
      return theirs
    },
  }
}

/** Tracks the version an edit form was loaded at and a conflict with someone else's save. */
export function useEdit<T extends Versioned>(loaded: T): Edit<T> {
  const [base, setBase] = useState<T>(loaded)
  const [theirs, setTheirs] = useState<T | null>(null)
  return {
    base,
    theirs,
    saved: (now) => {
      setBase(now)
      setTheirs(null)
    },
    caught: (err, key) => {
      const now = conflictOf<T>(err, key)
      if (now) setTheirs(now)
      return now !== undefined
    },
    keepMine: () => {
      if (!theirs) return
      setBase(theirs)
      setTheirs(null)
    },
    takeTheirs: () => {
      const now = theirs
      if (now) {
        setBase(now)
        setTheirs(null)
      }
      return now
    },
  }
}

export interface ConflictField {
  key: string
  label: string
  /** How a value reads, when not as it is (an owner's ID as their name). */
  show?: (v: unknown) => string
}

export function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)'
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(none)'
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  return String(v)
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/**
 * The notice an edit form shows after a refused save: each field the other
 * person changed, as the user first saw it, as it is now saved and as the
 * user has it in the form (unsaved).
 */
export function ConflictNotice<T extends Versioned>({ what, edit, fields, mine, onTakeTheirs, keepLabel = 'Keep my changes',
  hint = 'Keep my changes, then save again, to replace their version with yours.' }: {
  what: string
  edit: Edit<T>
  fields: ConflictField[]
  /** The form's current input. */
  mine: object
  /** Resets the form to their version. */
  onTakeTheirs: (theirs: T) => void
  keepLabel?: string
  hint?: string
}) {
  const theirs = edit.theirs
  if (!theirs) return null
  const get = (o: object, k: string) => (o as Record<string, unknown>)[k]
  const changed = fields.filter((f) => !same(get(edit.base, f.key), get(theirs, f.key)))
  return (
    <div className="conflict wide" role="alert" aria-label="Edit conflict">
      <p>
        <strong>Someone else saved this {what} after you opened it.</strong> Your changes were not saved; they are still in the form.
      </p>
      {changed.length === 0 ? (
        <p>They changed nothing you can edit here.</p>
      ) : (
        <table className="conflict-fields">
          <thead>
            <tr><th>Field</th><th>When you opened it</th><th>Saved by them</th><th>Your unsaved input</th></tr>
          </thead>
          <tbody>
            {changed.map((f) => (
              <tr key={f.key} data-field={f.key}>
                <th scope="row">{f.label}</th>
                <td>{(f.show ?? shown)(get(edit.base, f.key))}</td>
                <td className="theirs">{(f.show ?? shown)(get(theirs, f.key))}</td>
                <td className="mine">{(f.show ?? shown)(get(mine, f.key))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" onClick={edit.keepMine}>{keepLabel}</button>
        <button type="button" onClick={() => { const t = edit.takeTheirs(); if (t) onTakeTheirs(t) }}>Use their version</button>
      </div>
      {hint && <p className="muted">{hint}</p>}
    </div>
  )
}
