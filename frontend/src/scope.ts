import { categoryValues } from './gen/api-types'
import type { Category } from './schema'

type OptionalCategory = Exclude<Category, 'security'>

/** The words for each category a scope may add; a category the API adds fails the typecheck here until it has a name. */
export const categoryNames: Record<OptionalCategory, string> = {
  availability: 'Availability',
  confidentiality: 'Confidentiality',
  processing_integrity: 'Processing Integrity',
  privacy: 'Privacy',
}

/** SOC 2 categories a scope may add to Security, which is always in, in the API's order. */
export const optionalCategories = categoryValues
  .filter((c): c is OptionalCategory => c !== 'security')
  .map((code) => ({ code, name: categoryNames[code] }))

/** Human words for coverage states. */
export const stateLabels: Record<string, string> = {
  covered: 'Covered',
  expiring: 'Evidence expiring',
  expired: 'Evidence expired',
  no_dated_evidence: 'No dated evidence',
  no_evidence: 'No evidence',
  no_control: 'No control',
  not_applicable: 'Not applicable',
}

export const stateOrder = ['no_control', 'no_evidence', 'no_dated_evidence', 'expired', 'expiring', 'covered', 'not_applicable']
