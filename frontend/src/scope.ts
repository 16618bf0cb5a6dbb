/** SOC 2 categories a scope may add to Security, which is always in. */
export const optionalCategories = [
  { code: 'availability', name: 'Availability' },
  { code: 'confidentiality', name: 'Confidentiality' },
  { code: 'processing_integrity', name: 'Processing Integrity' },
  { code: 'privacy', name: 'Privacy' },
]

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
