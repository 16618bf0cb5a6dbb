import { useEffect, useState } from 'react'
import { api, engagements, program, type User } from './api'
import { pickerLimit, type Choice, type Matches } from './SearchPicker'

const controlChoices = (by: 'id' | 'ref', exclude?: number) => (text: string): Promise<Matches> =>
  program.controls({ q: text || undefined, limit: pickerLimit, sort: 'ref' }).then((r) => {
    const rows = r.controls.filter((c) => c.id !== exclude)
    return {
      choices: rows.map((c) => ({ value: by === 'id' ? String(c.id) : c.ref, label: `${c.ref} — ${c.title}` })),
      total: r.total - (r.controls.length - rows.length),
    }
  })

/** Searches the programme's controls; a choice's value is the control's reference. */
export const searchControlsByRef = controlChoices('ref')

const byID = new Map<number, (text: string) => Promise<Matches>>()

/** Searches the programme's controls but one; a choice's value is the control's ID. */
export function searchControlsByID(exclude: number) {
  let f = byID.get(exclude)
  if (!f) byID.set(exclude, (f = controlChoices('id', exclude)))
  return f
}

const byFramework = new Map<string, (text: string) => Promise<Matches>>()

/** Searches one framework's requirements; a choice's value is the requirement's reference. */
export function searchRequirements(framework: string) {
  let f = byFramework.get(framework)
  if (!f) {
    f = (text: string) => api.requirements(framework, { q: text || undefined, limit: pickerLimit }).then((r) => ({
      choices: r.requirements.map((q): Choice => ({ value: q.ref, label: `${q.ref} — ${q.title}` })),
      total: r.total,
    }))
    byFramework.set(framework, f)
  }
  return f
}

/** Searches the engagements the caller may see, by name; a choice's value is the engagement's ID. */
export const searchEngagements = (text: string): Promise<Matches> =>
  engagements.list({ q: text || undefined, limit: pickerLimit }).then((r) => ({
    choices: r.engagements.map((e) => ({ value: String(e.id), label: e.name })),
    total: r.total,
  }))

/**
 * The chosen item of a picker whose value comes from elsewhere (the
 * address, a saved record): its name is read once per value.
 */
export function useChosen(value: string, name: (value: string) => Promise<string>): Choice | null {
  const [known, setKnown] = useState<Choice | null>(null)
  useEffect(() => {
    if (value === '' || known?.value === value) return
    name(value).then((label) => setKnown({ value, label }), () => setKnown({ value, label: `#${value}` }))
  }, [value, known, name])
  if (value === '') return null
  return known?.value === value ? known : { value, label: '…' }
}

/** An engagement's name, for useChosen. */
export const engagementName = (id: string) => engagements.get(Number(id)).then((r) => r.engagement.name)

/** Which accounts a people picker offers: roles separated by commas, and whether disabled ones are left out. */
export interface PeopleFilter { role?: string; active?: boolean }

/** How a person reads in a picker: the name and address, or the address alone. */
export const personLabel = (u: Pick<User, 'name' | 'email'>) => (u.name ? `${u.name} (${u.email})` : u.email)

const people = new Map<string, (text: string) => Promise<Matches>>()

/** Searches the accounts f allows by address or name; a choice's value is the account's ID. */
export function searchPeople(f: PeopleFilter = {}) {
  const k = `${f.role ?? ''}|${f.active ? 'active' : ''}`
  let s = people.get(k)
  if (!s) {
    s = (text: string) => api.users({ q: text || undefined, role: f.role, active: f.active ? 'true' : undefined, limit: pickerLimit })
      .then((r) => ({ choices: r.users.map((u) => ({ value: String(u.id), label: personLabel(u) })), total: r.total }))
    people.set(k, s)
  }
  return s
}

/** A person's name and address, for useChosen. */
export const personName = (id: string) => api.user(Number(id)).then((r) => personLabel(r.user))

const inScope = new Map<number, (text: string) => Promise<Matches>>()

/** Searches an engagement's controls in scope; a choice's value is the control's ID. */
export function searchScopedControls(engagement: number) {
  let s = inScope.get(engagement)
  if (!s) {
    s = (text: string) => engagements.searchControls(engagement, text, pickerLimit).then((r) => ({
      choices: r.controls.map((c) => ({ value: String(c.id), label: `${c.ref} — ${c.title}` })), total: r.total,
    }))
    inScope.set(engagement, s)
  }
  return s
}
