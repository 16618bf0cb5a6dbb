// The API's types as generated from its description (src/gen, by make
// openapi): what a route answers and what it reads, by path and method, so
// a field or allowed value the server changes fails the typecheck here.
import type { paths } from './gen/api-types'

type JSONOf<T> = T extends { content: { 'application/json': infer B } } ? B : never

/** What a route answers on success. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { responses: { '2XX': infer R } } ? JSONOf<R> : never

/** The JSON body a route reads. */
export type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: infer R } ? JSONOf<NonNullable<R>> : never

/** What a route reads, as a form holds it: every field optional, none null. */
export type Input<P extends keyof paths, M extends keyof paths[P]> = { [K in keyof Body<P, M>]?: Exclude<Body<P, M>[K], null> }

/** Whether v is one of an allowed-value list, narrowing it to the list's type. */
export const oneOf = <T extends string>(values: readonly T[], v: string): v is T => (values as readonly string[]).includes(v)

export type {
  Calendar, Category, ControlStatus, ControlType, DesignResult, EngagementStatus, EvidenceStatus, Frequency,
  Implementation, LockedStatus, Nature, Report, ReportType, TaskKind, TaskState, TestMethod, TestResult, Tester,
} from './gen/api-types'
