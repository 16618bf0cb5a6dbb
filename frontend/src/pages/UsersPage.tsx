import { useState, type FormEvent } from 'react'
import { api, ApiError, conflictOf, roles, type Role, type User } from '../api'
import { useSession } from '../session'
import { messageOf } from './CatalogPage'
import { ConflictNotice, instantEdit, type ConflictField } from '../ConflictNotice'
import { Toast, type ToastMessage } from '../Toast'
import { LoadError } from '../LoadError'
import { Pager } from '../Pager'
import { useUsers, useUsersChanged } from '../queries/users'

const pageSize = 50

type Patch = Parameters<typeof api.updateUser>[1]

const userFields: ConflictField[] = [
  { key: 'name', label: 'Name' }, { key: 'role', label: 'Role' }, { key: 'access_until', label: 'Access until' },
  { key: 'disabled', label: 'Disabled' },
]

const emptyForm = { email: '', name: '', role: 'viewer' as Role, password: '', access_until: '' }

/** Administrators create accounts, change roles and access end dates, and disable accounts. */
export function UsersPage() {
  const { session } = useSession()
  const q = useUsers()
  const users = q.data
  const changed = useUsersChanged()
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const [toast, setToast] = useState<ToastMessage | null>(null)
  const [form, setForm] = useState(emptyForm)
  const [fields, setFields] = useState<Record<string, string>>({})
  // A change refused because someone else changed the account first.
  const [conflict, setConflict] = useState<{ base: User; theirs: User; patch: Patch; done: string } | null>(null)
  const [offset, setOffset] = useState(0)

  async function change(u: User, patch: Patch, done: string) {
    setError('')
    setNotice('')
    setConflict(null)
    try {
      const { user } = await api.updateUser(u.id, patch, u.version)
      if (patch.role) {
        // A role change can be taken back: the old role goes on the version just saved.
        setToast({ text: done, undo: async () => { changed.saved((await api.updateUser(u.id, { role: u.role }, user.version)).user) } })
      } else setNotice(done)
      changed.saved(user)
    } catch (err) {
      const theirs = conflictOf<User>(err, 'user')
      if (theirs) {
        setConflict({ base: u, theirs, patch, done })
        void changed.reload()
        return
      }
      const reasons = err instanceof ApiError ? Object.values(err.fields) : []
      setError([messageOf(err), ...reasons].join(': '))
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    try {
      const r = await api.createUser(form)
      setNotice(`Created ${r.user.email}. Give them their password through a safe channel.`)
      setForm(emptyForm)
      void changed.reload()
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    }
  }

  return (
    <section className="page" aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {q.isError && !users && <LoadError what="the accounts" message={messageOf(q.error)} onRetry={() => void q.refetch()} />}
      {q.isPending && <p className="loading">Loading…</p>}
      {notice && <p className="notice" role="status">{notice}</p>}
      <Toast message={toast} onClose={() => setToast(null)} />
      {conflict && (
        <ConflictNotice what={`account (${conflict.base.email})`} fields={userFields} mine={{ ...conflict.base, ...conflict.patch }}
          edit={instantEdit(conflict.base, conflict.theirs, (theirs) => void change(theirs, conflict.patch, conflict.done), () => setConflict(null))}
          onTakeTheirs={() => undefined} keepLabel="Apply my change to their version" hint="" />
      )}
      {users && (
        <table className="data" id="users-table">
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Access until</th>
              <th scope="col">State</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {users.slice(offset, offset + pageSize).map((u) => (
              <tr key={u.id} data-email={u.email}>
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    onChange={(e) => {
                      const role = e.target.value as Role
                      if (window.confirm(`Make ${u.email} ${role}? What they may see and do changes at once.`)) void change(u, { role }, `${u.email} is now ${role}.`)
                    }}
                  >
                    {roles.map((r) => (
                      <option key={r} value={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="date"
                    aria-label={`Access end date of ${u.email}`}
                    defaultValue={u.access_until ?? ''}
                    onBlur={(e) => {
                      if (e.target.value !== (u.access_until ?? ''))
                        void change(u, { access_until: e.target.value }, `Access end date of ${u.email} saved.`)
                    }}
                  />
                </td>
                <td>{u.disabled ? <span className="state disabled">disabled</span> : <span className="state active">active</span>}</td>
                <td>
                  {u.id !== session?.user.id && (
                    <>
                      <button
                        type="button"
                        onClick={() => {
                          if (u.disabled || window.confirm(`Disable ${u.email}? Their sessions and tokens stop working.`))
                            void change(u, { disabled: !u.disabled }, `${u.email} ${u.disabled ? 'enabled' : 'disabled'}.`)
                        }}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                      <details>
                        <summary>Reset password</summary>
                        <form
                          className="reset"
                          onSubmit={(e) => {
                            e.preventDefault()
                            const input = e.currentTarget.elements.namedItem('password') as HTMLInputElement
                            if (!window.confirm(`Reset the password of ${u.email}? Their sessions end.`)) return
                            void change(u, { password: input.value }, `Password of ${u.email} reset; their sessions ended.`)
                            input.value = ''
                          }}
                        >
                          <input name="password" type="password" autoComplete="new-password" required aria-label={`New password for ${u.email}`} />
                          <button type="submit">Set</button>
                        </form>
                      </details>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {users && <Pager label="Pages of users" offset={offset} pageSize={pageSize} total={users.length} onOffset={setOffset} />}

      <form className="card form-grid" onSubmit={create} aria-labelledby="new-user-title">
        <h2 id="new-user-title">Add a user</h2>
        <label>
          E-mail address
          <input id="new-user-email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          {fields.email && <span className="field-error">{fields.email}</span>}
        </label>
        <label>
          Name
          <input id="new-user-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Role
          <select id="new-user-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Access until {form.role === 'auditor' ? '(required for auditors)' : '(optional)'}
          <input id="new-user-access" type="date" value={form.access_until} onChange={(e) => setForm({ ...form, access_until: e.target.value })} />
          {fields.access_until && <span className="field-error">{fields.access_until}</span>}
        </label>
        <label>
          Initial password
          <input
            id="new-user-password"
            type="password"
            autoComplete="new-password"
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          {fields.password && <span className="field-error">{fields.password}</span>}
        </label>
        <div className="actions">
          <button type="submit" className="primary">Add user</button>
        </div>
      </form>
    </section>
  )
}
