/**
 * The API's types, generated from openapi/openapi.json into `schema.d.ts` (`make openapi`).
 * This is the one place that gives the generated schemas short names; it never describes a DTO
 * by hand. `check:api` fails when schema.d.ts is stale.
 */
import type { components, paths } from './schema'

type Schemas = components['schemas']

export type { components, paths }

// ---- Session, accounts, agencies
export type Role = Schemas['Role']
export type TokenPair = Schemas['TokenOut']
export type InboxNotification = Schemas['NotificationOut']
export type OutboxEmail = Schemas['OutboxMessageOut']
export type FieldProblem = Schemas['FieldProblem']
export type Problem = Schemas['Problem']
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
export type Organisation = Schemas['OrganisationOut']
export type OrganisationCreate = Schemas['OrganisationIn']
export type OrganisationPatch = Schemas['OrganisationPatch']
export type PublicOrganisation = Schemas['PublicOrganisationOut']
export type OrganisationLevel = Schemas['Level']

// ---- Competitions and their stages
export type Competition = Schemas['CompetitionOut']
export type CompetitionIn = Schemas['CompetitionIn']
export type CompetitionPatch = Schemas['CompetitionPatch']
export type CompetitionLevel = NonNullable<CompetitionIn['level']>
export type CompetitionParent = Schemas['CompetitionParent']
export type Stage = Schemas['StageOut']
export type StageState = Stage['state']
export type ProposalTemplate = Schemas['ProposalTemplate']
export type TemplateSection = Schemas['TemplateSection']
export type InnovationGroup = TemplateSection['groups'][number]
export type ChecklistItem = Schemas['ChecklistItem']
export type AdvanceCheck = Schemas['AdvanceCheck']
export type WindowChange = Schemas['WindowChangeOut']
export type AuditChange = Schemas['ChangeOut']
/** A blocker of a stage move (`GET …/advance`); a refused move's 409 names the same, plus `judges`. */
export type Blocker = Schemas['BlockerOut']
export type ProblemBlocker = Schemas['ProblemBlocker']

// ---- Innovations (proposals)
export type Innovation = Schemas['InnovationOut']
export type InnovationListItem = Schemas['InnovationListItem']
export type PublicInnovationSummary = Schemas['PublicInnovationSummary']
export type InnovationStatus = Schemas['InnovationStatus']
export type Attachment = Schemas['AttachmentOut']
export type InnovationCreate = Schemas['InnovationCreate']
export type InnovationPatch = Schemas['InnovationPatch']
export type InnovationOrigin = NonNullable<InnovationPatch['origin']>
export type Readiness = Schemas['ReadinessOut']
export type ReadinessProblem = Schemas['ReadinessProblem']
export type AdministrativeReview = Schemas['AdministrativeReviewOut']

// ---- Judging
export type Criterion = Schemas['CriterionOut']
export type Rubric = Schemas['RubricOut']
export type Scoresheet = Schemas['ScoresheetOut']
export type PanelJudge = Schemas['PanelJudgeOut']
export type Conflict = Schemas['ConflictOut']
export type ConflictSource = Conflict['source']
export type ConflictRecord = Schemas['ConflictRecordIn']

// ---- Life after the award
export type SustainabilityReport = Schemas['ReportOut']
export type SustainabilityReports = Schemas['ReportsOut']
export type SustainabilityReportIn = Schemas['ReportIn']
export type SustainabilityReportFields = Schemas['ReportFields']
export type SustainabilityStatus = SustainabilityReport['status']
export type ReportEvidence = Schemas['EvidenceOut']
export type CompetitionSustainability = Schemas['CompetitionSustainabilityOut']
export type SustainabilityYearCell = Schemas['YearCell']
export type Replication = Schemas['ReplicationOut']
export type Replications = Schemas['ReplicationsOut']
export type ReplicationIn = Schemas['ReplicationIn']

// ---- The presentation schedule
export type Schedule = Schemas['ScheduleOut']
export type ScheduleSlot = Schemas['SlotOut']
export type ScheduleIn = Schemas['ScheduleIn']
export type ScheduleSlotIn = Schemas['SlotIn']
export type ScheduleFill = Schemas['FillIn']
export type ScheduleFillOrder = NonNullable<ScheduleFill['order']>

// ---- Ranking, nomination, results
export type Ranking = Schemas['RankingOut']
export type RankingEntry = Schemas['RankingEntryOut']
export type RankingMethod = Ranking['method']
export type JudgeStats = Schemas['JudgeStatsOut']
export type NominationPreview = Schemas['NominationPreviewOut']
export type Nomination = Schemas['NominationOut']
export type Manifest = Schemas['ManifestOut']
export type Results = Schemas['ResultsOut']
export type ResultLine = Schemas['ResultLine']
export type Objection = Schemas['ObjectionOut']
export type ObjectionCreate = Schemas['ObjectionIn']

// ---- Imports and audit
export type ImportReport = Schemas['ImportReport']
export type ImportRowError = Schemas['ImportRowError']
export type AuditEvent = Schemas['AuditEventOut']
export type AuditVerification = Schemas['AuditVerification']

/** The minimum age (years) of an innovation per group where a template leaves it out (the schema's defaults). */
export const DEFAULT_MIN_AGE: Required<ProposalTemplate>['min_age_years'] = { umum: 2, replikasi: 1, khusus: 2 }

export const ROLES: readonly Role[] = ['admin', 'organiser', 'agency_admin', 'judge', 'innovator']
/** The organising team: the platform admin (every organisation) and an organiser (its own). */
export const ORGANISING_ROLES: readonly Role[] = ['admin', 'organiser']
/** The levels of government an organisation is (and a competition is held at). */
export const ORGANISATION_LEVELS: readonly OrganisationLevel[] = [
  'kabupaten',
  'kota',
  'provinsi',
  'kementerian',
  'nasional',
]

/** Whether `role` is the organising team's (sees the admin screens). */
export function isOrganisingTeam(role: Role | null | undefined): boolean {
  return role != null && ORGANISING_ROLES.includes(role)
}

/**
 * `value` when it is one of `allowed`, else `fallback`. Several response fields are plain
 * strings in the spec although the request side is an enum (e.g. `CompetitionOut.level`): this
 * narrows them without a cast.
 */
export function oneOf<T extends string>(allowed: readonly T[], value: string | null | undefined, fallback: T): T {
  return allowed.find((item) => item === value) ?? fallback
}

/**
 * The members of a string enum from a record that names each one, in the record's order. The
 * record's type makes a member the API gains (and the list lacks) fail the type check.
 */
export function everyOne<T extends string>(members: Record<T, true>): T[] {
  return Object.keys(members).filter((key): key is T => key in members)
}

// ---- The public innovation catalogue
export type CataloguePage = Schemas['CataloguePage']
export type CatalogueItem = Schemas['CatalogueItem']
export type CatalogueInnovation = Schemas['CatalogueInnovation']
export type CatalogueReplication = Schemas['CatalogueReplicationOut']
export type CatalogueQuery = NonNullable<paths['/api/v1/public/catalogue']['get']['parameters']['query']>
// ---- Promotion to the next level
export type Provenance = Schemas['Provenance']
export type PromotionBoard = Schemas['PromotionBoard']
export type PromotionCandidate = Schemas['PromotionCandidate']
export type PromotedProposal = Schemas['PromotedProposal']
