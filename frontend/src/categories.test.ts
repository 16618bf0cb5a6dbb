import { describe, expect, it } from 'vitest'
import { categoryNames } from './pages/EngagementPage'

describe('categoryNames', () => {
  it('names the categories as the report does, never by their codes', () => {
    expect(categoryNames(['security', 'availability', 'processing_integrity'])).toBe('Security, Availability, Processing Integrity')
    expect(categoryNames([])).toBe('')
  })
})
