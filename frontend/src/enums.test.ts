// The allowed-value lists the UI offers come from the API description
// (src/gen), and every label the UI gives a value covers exactly the values
// the API has: a list copied by hand, or a value without words, fails here.
import * as generated from './gen/api-types'
import description from './gen/openapi.json'
import {
  controlTypes, designResults, engagementStatuses, frequencies, implementations, lockedStatuses, natures, statuses, taskStates,
  testerLabels, testMethods, testResults,
} from './api'
import { implementationWords } from './pages/ControlTestPage'
import { categoryNames, optionalCategories } from './scope'
import { stateLabels } from './pages/TaskList'

const schemas = description.components.schemas as Record<string, { enum?: string[] }>
const values = (name: string) => schemas[name]?.enum ?? []
const arrays = generated as unknown as Record<string, readonly string[] | undefined>

describe('allowed values', () => {
  it('has every list of the description as a generated array', () => {
    const lists = Object.entries(schemas).filter(([, s]) => s.enum)
    expect(lists.length).toBeGreaterThan(10)
    for (const [name, s] of lists) {
      const exported = name.charAt(0).toLowerCase() + name.slice(1) + 'Values'
      expect(arrays[exported], exported).toEqual(s.enum)
    }
  })

  it('offers in the forms exactly the values the API takes', () => {
    expect(frequencies).toEqual(values('Frequency'))
    expect(natures).toEqual(values('Nature'))
    expect(controlTypes).toEqual(values('ControlType'))
    expect(statuses).toEqual(values('ControlStatus'))
    expect(engagementStatuses).toEqual(values('EngagementStatus'))
    expect(designResults).toEqual(values('DesignResult'))
    expect(testMethods).toEqual(values('TestMethod'))
    expect(testResults).toEqual(values('TestResult'))
    expect(taskStates).toEqual(values('TaskState'))
    expect(implementations).toEqual(values('Implementation'))
    expect(lockedStatuses).toEqual(values('LockedStatus'))
  })

  it('has words for every value it labels, and for no other', () => {
    expect(Object.keys(testerLabels).sort()).toEqual([...values('Tester')].sort())
    expect(Object.keys(stateLabels).sort()).toEqual([...values('TaskState')].sort())
    expect(Object.keys(implementationWords).sort()).toEqual([...values('Implementation')].sort())
    const optional = values('Category').filter((c) => c !== 'security')
    expect(Object.keys(categoryNames).sort()).toEqual([...optional].sort())
    expect(optionalCategories.map((c) => c.code)).toEqual(optional)
  })
})
