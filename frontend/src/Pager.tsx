import { useState, type FormEvent } from 'react'

const count = new Intl.NumberFormat('en-GB')

/** "1–50 of 1,234": which rows of how many a page shows. */
export function rangeLabel(offset: number, shown: number, total: number): string {
  if (total === 0) return '0 of 0'
  const last = Math.min(offset + Math.max(shown, 1), total)
  return `${count.format(offset + 1)}–${count.format(last)} of ${count.format(total)}`
}

/**
 * The page numbers to offer, 1-based: the first and last page, the current
 * one and two either side, with 'gap' where pages are left out, so a long
 * list stays one line while every page is two clicks or one jump away.
 */
export function pageNumbers(current: number, pages: number): (number | 'gap')[] {
  const keep = new Set([1, pages])
  for (let p = current - 2; p <= current + 2; p++) if (p >= 1 && p <= pages) keep.add(p)
  const out: (number | 'gap')[] = []
  let prev = 0
  for (const p of [...keep].sort((a, b) => a - b)) {
    if (p - prev === 2) out.push(p - 1)
    else if (p - prev > 2) out.push('gap')
    out.push(p)
    prev = p
  }
  return out
}

interface PagerProps {
  offset: number
  pageSize: number
  total: number
  /** Rows on this page, when the last page is shorter than pageSize. */
  shown?: number
  onOffset: (offset: number) => void
  label?: string
  prev?: string
  next?: string
}

/**
 * The pager of every list: the range and total it shows, Previous and
 * Next, the page numbers and a jump to any page. A list is never cut
 * silently: the total is always in view, even on one page.
 */
export function Pager({ offset, pageSize, total, shown, onOffset, label = 'Pages', prev = 'Previous', next = 'Next' }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const current = Math.min(pages, Math.floor(offset / pageSize) + 1)
  const go = (page: number) => onOffset((Math.min(Math.max(page, 1), pages) - 1) * pageSize)
  return (
    <nav className="pager" aria-label={label}>
      <span className="pager-range">{rangeLabel(offset, shown ?? Math.min(pageSize, total - offset), total)}</span>
      {pages > 1 && (
        <>
          <button type="button" disabled={current === 1} onClick={() => go(current - 1)}>{prev}</button>
          <ol className="pager-pages">
            {pageNumbers(current, pages).map((p, i) =>
              p === 'gap' ? <li key={`gap${i}`} aria-hidden="true">…</li> : (
                <li key={p}>
                  <button type="button" className={p === current ? 'current' : ''} aria-current={p === current ? 'page' : undefined}
                    aria-label={`Page ${p}`} onClick={() => go(p)}>{p}</button>
                </li>
              ))}
          </ol>
          <button type="button" disabled={current === pages} onClick={() => go(current + 1)}>{next}</button>
          <PageJump pages={pages} current={current} onJump={go} />
        </>
      )}
    </nav>
  )
}

function PageJump({ pages, current, onJump }: { pages: number; current: number; onJump: (page: number) => void }) {
  const [value, setValue] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const n = Number(value)
    if (Number.isInteger(n) && n >= 1) onJump(n)
    setValue('')
  }
  return (
    <form className="pager-jump" onSubmit={submit}>
      <label>
        Page
        <input type="number" min={1} inputMode="numeric" placeholder={String(current)} value={value}
          onChange={(e) => setValue(e.target.value)} />
      </label>
      <span className="muted">of {count.format(pages)}</span>
      <button type="submit">Go</button>
    </form>
  )
}
