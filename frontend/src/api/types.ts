/**
 * The API's types, generated from openapi/openapi.json into `schema.d.ts` (`npm run gen:api`).
 * This file only names the schemas the app uses; it must never describe a DTO by hand that the
 * schema already describes. `check:api` fails when schema.d.ts is stale.
 */
import type { components, paths } from './schema'

type Schemas = components['schemas']

export type { components, paths }

export type Role = Schemas['Role']
export type TokenPair = Schemas['TokenOut']
export type FieldProblem = Schemas['FieldProblem']
export type Problem = Schemas['Problem']

// `role` is the Role enum on these (the spec says so): no narrowing at run time.
export type Me = Schemas['MeOut']
export type DemoLogin = Schemas['DemoLoginOut']
export type User = Schemas['UserOut']
export type UserCreate = Schemas['UserIn']
export type UserPatch = Schemas['UserPatch']

export type Agency = Schemas['AgencyOut']
export type AgencyCreate = Schemas['AgencyIn']
export type AgencyPatch = Schemas['AgencyPatch']

export type ApiToken = Schemas['ApiTokenOut']
export type ApiTokenCreate = Schemas['ApiTokenIn']
export type ApiTokenCreated = Schemas['ApiTokenCreated']

export type Competition = Schemas['CompetitionOut']
export type Stage = Schemas['StageOut']
export type StageState = Stage['state']
export type Innovation = Schemas['InnovationOut']
export type Results = Schemas['ResultsOut']
export type ResultLine = Schemas['ResultLine']
export type ObjectionCreate = Schemas['ObjectionIn']

/** Every list endpoint answers `{items, total}`. */
export interface Page<T> {
  items: T[]
  total: number
}

export const ROLES: readonly Role[] = ['admin', 'agency_admin', 'judge', 'innovator']
