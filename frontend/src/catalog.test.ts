import { describe, expect, it } from 'vitest'
import { countLabel, emptyLabel, groupRequirements } from './catalog'
import type { Category, Requirement } from './api'

const cats: Category[] = [
  { code: 'security', name: 'Security', description: '', requirement_count: 3 },
  { code: 'availability', name: 'Availability', description: '', requirement_count: 1 },
  { code: 'privacy', name: 'Privacy', description: '', requirement_count: 0 },
]

function req(ref: string, category: string, series: string, series_name = ''): Requirement {
  return { framework_id: 'f', ref, category, series, series_name, coso_principle: null, title: ref, description: '', industry: '', optional: false, replaces: [], activities: [] }
}

describe('groupRequirements', () => {
  it('groups by category then series, keeping catalog order and dropping empty categories', () => {
    const groups = groupRequirements(
      [req('A1.1', 'availability', 'A1'), req('CC1.1', 'security', 'CC1', 'Control environment'), req('CC1.2', 'security', 'CC1'), req('CC6.1', 'security', 'CC6')],
      cats,
    )
    expect(groups.map((g) => g.code)).toEqual(['security', 'availability'])
    expect(groups[0]?.series.map((s) => [s.series, s.requirements.map((r) => r.ref)])).toEqual([
      ['CC1', ['CC1.1', 'CC1.2']],
      ['CC6', ['CC6.1']],
    ])
    expect(groups[0]?.series[0]?.name).toBe('Control environment')
  })

  it('gathers a series that comes back later into its first group', () => {
    const groups = groupRequirements([req('CC1.1', 'security', 'CC1'), req('CC2.1', 'security', 'CC2'), req('CC1.2', 'security', 'CC1')], cats)
    expect(groups[0]?.series.map((s) => [s.series, s.requirements.map((r) => r.ref)])).toEqual([
      ['CC1', ['CC1.1', 'CC1.2']],
      ['CC2', ['CC2.1']],
    ])
  })

  it('returns nothing for no requirements', () => {
    expect(groupRequirements([], cats)).toEqual([])
  })

  it('keeps requirements of a category the framework does not list', () => {
    const groups = groupRequirements([req('X1', 'other', 'X')], cats)
    expect(groups).toHaveLength(1)
    expect(groups[0]?.code).toBe('other')
  })
})

describe('countLabel', () => {
  it('says how many and what was searched', () => {
    expect(countLabel(61, '')).toBe('61 requirements')
    expect(countLabel(1, 'CC6.1')).toBe('1 requirement matches "CC6.1"')
    expect(countLabel(0, 'zzz')).toBe('0 requirements match "zzz"')
    expect(countLabel(8, '', 'Availability')).toBe('8 requirements in Availability')
    expect(countLabel(2, 'backup', 'Availability')).toBe('2 requirements match "backup" in Availability')
  })
})

describe('emptyLabel', () => {
  it('names what was searched and where', () => {
    expect(emptyLabel('zzz')).toBe('No requirements match "zzz".')
    expect(emptyLabel('zzz', 'Privacy')).toBe('No requirements in Privacy match "zzz".')
    expect(emptyLabel('', 'Privacy')).toBe('No requirements in Privacy.')
  })
})
