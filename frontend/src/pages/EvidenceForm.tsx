import { useState, type FormEvent } from 'react'
import { ApiError, program, uploadEvidence, type EvidenceMeta } from '../api'
import { messageOf } from './CatalogPage'

type Kind = 'file' | 'link' | 'note'

/** Adds evidence to controls: a file (with an upload progress bar), a link or a note. */
export function EvidenceForm({ controlIds, onDone }: { controlIds: number[]; onDone: () => void }) {
  const [kind, setKind] = useState<Kind>('file')
  const [file, setFile] = useState<File | null>(null)
  const [meta, setMeta] = useState<EvidenceMeta>({ title: '' })
  const [url, setUrl] = useState('')
  const [note, setNote] = useState('')
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})

  async function submit(e: FormEvent) {
    e.preventDefault()
    setError('')
    setFields({})
    const m = { ...meta, control_ids: controlIds }
    try {
      if (kind === 'file') {
        if (!file) return setError('Choose a file to upload.')
        setProgress(0)
        await uploadEvidence(file, m, setProgress)
      } else {
        await program.createEvidence({ ...m, kind, url, note })
      }
      setMeta({ title: '' })
      setFile(null)
      setUrl('')
      setNote('')
      ;(e.target as HTMLFormElement).reset()
      onDone()
    } catch (err) {
      setError(messageOf(err))
      if (err instanceof ApiError) setFields(err.fields)
    } finally {
      setProgress(null)
    }
  }

  const date = (name: keyof EvidenceMeta, label: string) => (
    <label>
      {label}
      <input type="date" id={`evidence-${name}`} value={(meta[name] as string | undefined) ?? ''} onChange={(e) => setMeta({ ...meta, [name]: e.target.value })} />
      {fields[name] && <span className="field-error">{fields[name]}</span>}
    </label>
  )
  return (
    <form className="form-grid evidence-form" onSubmit={submit} aria-label="Add evidence">
      <fieldset className="wide kinds">
        <legend>Add evidence</legend>
        {(['file', 'link', 'note'] as Kind[]).map((k) => (
          <label key={k} className="check">
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {k}
          </label>
        ))}
      </fieldset>
      {kind === 'file' && (
        <label className="wide">
          File
          <input id="evidence-file" type="file" onChange={(e) => {
            const f = e.target.files?.[0] ?? null
            setFile(f)
            if (f && !meta.title) setMeta({ ...meta, title: f.name })
          }} />
        </label>
      )}
      {kind === 'link' && (
        <label className="wide">Address (http or https)<input id="evidence-url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />{fields.url && <span className="field-error">{fields.url}</span>}</label>
      )}
      {kind === 'note' && (
        <label className="wide">Note<textarea id="evidence-note" required rows={3} value={note} onChange={(e) => setNote(e.target.value)} /></label>
      )}
      <label className="wide">
        Title
        <input id="evidence-title" required value={meta.title ?? ''} onChange={(e) => setMeta({ ...meta, title: e.target.value })} />
        {fields.title && <span className="field-error">{fields.title}</span>}
      </label>
      {date('covers_from', 'Covers from')}
      {date('covers_to', 'Covers to')}
      {date('as_of', 'Or as of')}
      {date('collected_on', 'Collected on')}
      {date('expires_on', 'Expires on')}
      {progress !== null && (
        <label className="wide">
          Uploading
          <progress id="upload-progress" max={1} value={progress}>{Math.round(progress * 100)}%</progress>
        </label>
      )}
      {error && <p className="error wide" role="alert">{[error, ...Object.values(fields)].join(': ')}</p>}
      <div className="actions"><button type="submit" className="primary" id="evidence-submit" disabled={progress !== null}>Add evidence</button></div>
    </form>
  )
}
