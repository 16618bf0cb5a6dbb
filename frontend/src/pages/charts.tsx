/**
 * Small SVG charts for the dashboard. Each is drawn for the eye only
 * (aria-hidden); the page puts a table with the same numbers beside it for
 * screen readers. Shapes carry text labels and outlines, so they read on a
 * black-and-white printout too.
 */

/** A ring filled to percent, with the number in the middle. */
export function ProgressRing({ percent, size = 120 }: { percent: number; size?: number }) {
  const r = size / 2 - 10
  const c = 2 * Math.PI * r
  const filled = (Math.max(0, Math.min(100, percent)) / 100) * c
  return (
    <svg className="chart ring" width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
      <circle cx={size / 2} cy={size / 2} r={r} className="ring-track" />
      <circle
        cx={size / 2}
        cy={size / 2}
        r={r}
        className="ring-fill"
        strokeDasharray={`${filled} ${c - filled}`}
        transform={`rotate(-90 ${size / 2} ${size / 2})`}
      />
      <text x="50%" y="50%" dominantBaseline="central" textAnchor="middle" className="ring-label">{percent}%</text>
    </svg>
  )
}

/** A horizontal bar of segments (e.g. done, or overdue then due) out of max. */
export function StackedBar({ segments, max, width = 160 }: { segments: { value: number; className: string }[]; max: number; width?: number }) {
  const widths = segments.map((s) => (max > 0 ? (s.value / max) * width : 0))
  const starts = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0))
  return (
    // Drawn in a viewBox so the bar shrinks with a narrow cell (a phone) instead of pushing the table past the screen.
    <svg className="chart bar" viewBox={`0 0 ${width} 12`} preserveAspectRatio="none" style={{ maxWidth: width }} height={12} aria-hidden="true">
      <rect width={width} height={12} className="bar-track" />
      {segments.map((s, i) => <rect key={s.className} x={starts[i]} width={widths[i]} height={12} className={s.className} />)}
    </svg>
  )
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
export const monthLabel = (m: string) => `${monthNames[Number(m.slice(5, 7)) - 1]} ${m.slice(2, 4)}`

/**
 * The Type II period as a band of months with today marked, and above each
 * month a bar of its occurrence windows, the covered part filled.
 */
export function PeriodChart({ start, end, today, months }: { start: string; end: string; today: string; months: { month: string; windows: number; covered: number }[] }) {
  const col = 48
  const width = Math.max(months.length * col, col)
  const barHeight = 90
  const max = Math.max(1, ...months.map((m) => m.windows))
  const t0 = Date.parse(start)
  const t1 = Date.parse(end) + 86_400_000
  const now = Date.parse(today)
  const todayX = now >= t0 && now <= t1 ? ((now - t0) / (t1 - t0)) * width : null
  return (
    <svg className="chart period" width={width + 2} height={barHeight + 48} viewBox={`-1 0 ${width + 2} ${barHeight + 48}`} aria-hidden="true">
      {months.map((m, i) => {
        const h = (m.windows / max) * (barHeight - 14)
        const hc = (m.covered / max) * (barHeight - 14)
        const x = i * col + 8
        return (
          <g key={m.month}>
            <rect x={x} y={barHeight - h} width={col - 16} height={h} className="bar-track outlined" />
            <rect x={x} y={barHeight - hc} width={col - 16} height={hc} className="bar-fill" />
            <text x={x + (col - 16) / 2} y={barHeight - h - 3} textAnchor="middle" className="small-label">{m.windows ? `${m.covered}/${m.windows}` : ''}</text>
            <rect x={i * col} y={barHeight + 6} width={col} height={16} className={`month ${m.month <= today.slice(0, 7) ? 'past' : ''}`} />
            <text x={i * col + col / 2} y={barHeight + 18} textAnchor="middle" className="small-label">{monthLabel(m.month)}</text>
          </g>
        )
      })}
      {todayX !== null && (
        <g className="today">
          <line x1={todayX} x2={todayX} y1={0} y2={barHeight + 26} />
          <text x={Math.min(Math.max(todayX, 20), width - 20)} y={barHeight + 40} textAnchor="middle" className="small-label">today</text>
        </g>
      )}
    </svg>
  )
}
