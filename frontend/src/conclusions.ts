/** A criterion's or objective's conclusion in an engagement, in words. */
export const conclusionLabels: Record<string, string> = {
  met: 'met',
  deviations_evaluation_needed: 'deviations — evaluation needed',
  met_after_evaluation: 'met after evaluation',
  not_met: 'not met',
  scope_limitation: 'scope limitation',
  carved_out: 'addressed by a subservice organisation (carve-out)',
  in_progress: 'in progress',
  not_covered: 'not covered',
  not_applicable: 'not applicable (to this engagement)',
}

/** The words of a conclusion, or of any other state code. */
export const conclusionWords = (s: string) => conclusionLabels[s] ?? s.replaceAll('_', ' ')
