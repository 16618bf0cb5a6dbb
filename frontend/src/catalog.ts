import type { Category, Requirement } from './api'

export interface SeriesGroup {
  series: string
  name: string
  requirements: Requirement[]
}

export interface CategoryGroup {
  code: string
  name: string
  series: SeriesGroup[]
}

/**
 * Groups requirements by category, then by series, keeping the catalog's
 * order inside each group and the framework's category order between them.
 */
export function groupRequirements(requirements: Requirement[], categories: Category[]): CategoryGroup[] {
  const byCategory = new Map<string, CategoryGroup>()
  for (const c of categories) byCategory.set(c.code, { code: c.code, name: c.name, series: [] })
  for (const r of requirements) {
    let cat = byCategory.get(r.category)
    if (!cat) {
      cat = { code: r.category, name: r.category, series: [] }
      byCategory.set(r.category, cat)
    }
    let series = cat.series.find((s) => s.series === r.series)
    if (!series) {
      series = { series: r.series, name: r.series_name, requirements: [] }
      cat.series.push(series)
    }
    series.requirements.push(r)
  }
  return [...byCategory.values()].filter((c) => c.series.length > 0)
}

/**
 * "61 requirements", "3 requirements match "access"", and with a category
 * "8 requirements in Availability" or "2 requirements match "backup" in Availability".
 */
export function countLabel(total: number, query: string, categoryName = ''): string {
  const noun = total === 1 ? 'requirement' : 'requirements'
  let label = `${total} ${noun}`
  if (query) label += ` ${total === 1 ? 'matches' : 'match'} "${query}"`
  if (categoryName) label += ` in ${categoryName}`
  return label
}

/** What the empty state says for a search and/or category filter. */
export function emptyLabel(query: string, categoryName = ''): string {
  if (query && categoryName) return `No requirements in ${categoryName} match "${query}".`
  if (query) return `No requirements match "${query}".`
  if (categoryName) return `No requirements in ${categoryName}.`
  return 'This framework has no requirements.'
}
