import {
  everyOne,
  oneOf,
  type Competition,
  type Innovation,
  type InnovationCreate,
  type InnovationGroup,
  type InnovationListItem,
  type InnovationOrigin,
  type InnovationPatch,
  type InnovationStatus,
  type ProposalTemplate,
  type Readiness,
  type TemplateSection,
} from '@/api'

// The innovator's screens call an innovation a proposal (as the competition's rules do).
export type Proposal = Innovation
export type ProposalListItem = InnovationListItem
export type ProposalPatch = InnovationPatch
export type ProposalCreate = InnovationCreate
export type ProposalStatus = InnovationStatus
export type Group = InnovationGroup
export type Origin = InnovationOrigin

export const GROUPS = everyOne<Group>({ umum: true, replikasi: true, khusus: true })
export const ORIGINS = everyOne<Origin>({ latpim: true, latsar: true, other: true })
export const STATUSES = everyOne<ProposalStatus>({
  draft: true,
  submitted: true,
  eligible: true,
  ineligible: true,
  nominated: true,
  not_nominated: true,
  winner: true,
  withdrawn: true,
})

/** The same rule as the API's `video_url` pattern: checked here so one bad link never blocks saving the rest. */
export const URL_PATTERN = /^https?:\/\/\S+$/

/** The template's sections that apply to `group`, in template order (as the server's readiness check). */
export function sectionsFor(template: ProposalTemplate | null | undefined, group: string): TemplateSection[] {
  return (template?.sections ?? []).filter((section) =>
    section.groups.length ? section.groups.some((g) => g === group) : true,
  )
}

/** The submission stage of a competition and whether proposals may be created and edited now. */
export function submissionWindow(competition: Pick<Competition, 'stages' | 'current_stage'>) {
  const stage = competition.stages.find((s) => s.key === 'submission') ?? null
  const open = !!stage && competition.current_stage === 'submission' && stage.open
  return { stage, open, endsAt: stage?.ends_at ?? null, startsAt: stage?.starts_at ?? null }
}

/** What the editor edits: the API's fields as form values ('' for an absent optional value). */
export interface ProposalForm {
  title: string
  group: Group
  category: string
  origin: Origin
  started_on: string
  replicated_from: string
  summary: string
  video_url: string
  /** Extra links (documents, news, a second video): one entry per input, blanks allowed while typing. */
  links: string[]
  sections: Record<string, string>
  /**
   * The team's user ids. Only an agency admin or the admin may change it (`team_user_ids`); for
   * everyone else it stays as the server has it, so it is never sent.
   */
  team: number[]
}

/** The API takes at most this many links. */
export const MAX_LINKS = 20

/** The links a PATCH would carry: trimmed, blanks dropped. */
export function cleanLinks(links: readonly string[]): string[] {
  return links.map((link) => link.trim()).filter((link) => link !== '')
}

/** Indexes (in the form) of links the server would refuse. */
export function invalidLinks(links: readonly string[]): number[] {
  return links.flatMap((link, index) => (link.trim() !== '' && !URL_PATTERN.test(link.trim()) ? [index] : []))
}

const TEXT_FIELDS = ['title', 'category', 'summary'] as const
const NULLABLE_FIELDS = ['started_on', 'replicated_from', 'video_url'] as const

export function formOf(proposal: Proposal): ProposalForm {
  return {
    title: proposal.title,
    group: oneOf(GROUPS, proposal.group, 'umum'),
    category: proposal.category,
    origin: oneOf(ORIGINS, proposal.origin, 'other'),
    started_on: proposal.started_on ?? '',
    replicated_from: proposal.replicated_from ?? '',
    summary: proposal.summary,
    video_url: proposal.video_url ?? '',
    links: [...(proposal.links ?? [])],
    sections: { ...proposal.sections },
    team: proposal.team.map((member) => member.id),
  }
}

export function cloneForm(form: ProposalForm): ProposalForm {
  return { ...form, links: [...form.links], sections: { ...form.sections }, team: [...form.team] }
}

/** The changes a PATCH would carry (without `version`); an empty object when there are none. */
export type ProposalChanges = Omit<ProposalPatch, 'version'>

/**
 * The fields of `form` that differ from what the server holds. Values the server would refuse
 * outright (an empty title, a malformed video link) are left out, so the rest still saves; the
 * editor shows those fields' errors itself.
 */
export function changesOf(form: ProposalForm, server: Proposal): ProposalChanges {
  const changes: ProposalChanges = {}
  for (const key of TEXT_FIELDS) {
    if (form[key] !== server[key]) changes[key] = form[key]
  }
  if (typeof changes.title === 'string' && changes.title.trim() === '') delete changes.title
  if (form.group !== server.group) changes.group = form.group
  if (form.origin !== server.origin) changes.origin = form.origin
  for (const key of NULLABLE_FIELDS) {
    const value = form[key].trim() === '' ? null : form[key].trim()
    if (value !== (server[key] ?? null)) changes[key] = value
  }
  if (changes.video_url && !URL_PATTERN.test(changes.video_url)) delete changes.video_url
  // The links go as one list: only once every one of them is a link the server takes.
  const links = cleanLinks(form.links)
  const serverLinks = server.links ?? []
  const sameLinks = links.length === serverLinks.length && links.every((link, i) => link === serverLinks[i])
  if (!sameLinks && invalidLinks(form.links).length === 0 && links.length <= MAX_LINKS) changes.links = links
  const sections: Record<string, string> = {}
  for (const [key, text] of Object.entries(form.sections)) {
    if (text !== (server.sections[key] ?? '')) sections[key] = text
  }
  if (Object.keys(sections).length) changes.sections = sections
  // The team goes as the whole list, when it is another set of people than the server's.
  if (
    !sameMembers(
      form.team,
      server.team.map((member) => member.id),
    )
  )
    changes.team_user_ids = [...form.team]
  return changes
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  const set = new Set(a)
  return set.size === new Set(b).size && b.every((id) => set.has(id))
}

export function hasChanges(changes: ProposalChanges): boolean {
  return Object.keys(changes).length > 0
}

/** Apply saved-elsewhere `changes` (a local copy, or my edits after a reload) on top of a form. */
export function applyChanges(form: ProposalForm, changes: ProposalChanges): ProposalForm {
  const next = cloneForm(form)
  for (const key of TEXT_FIELDS) if (typeof changes[key] === 'string') next[key] = changes[key]
  for (const key of NULLABLE_FIELDS) if (changes[key] !== undefined) next[key] = changes[key] ?? ''
  if (Array.isArray(changes.links)) next.links = [...changes.links]
  if (changes.group) next.group = changes.group
  if (changes.origin) next.origin = changes.origin
  if (changes.sections) Object.assign(next.sections, changes.sections)
  if (Array.isArray(changes.team_user_ids)) next.team = [...changes.team_user_ids]
  return next
}

// A copy of unsaved edits on this device, so a closed tab or a crash loses nothing.
const LOCAL_PREFIX = 'kipp.proposal.'

export interface LocalCopy {
  /** The server version the edits were made on. */
  version: number
  changes: ProposalChanges
  savedAt: string
}

export function readLocalCopy(id: number): LocalCopy | null {
  try {
    const raw = localStorage.getItem(LOCAL_PREFIX + id)
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<LocalCopy>
    if (typeof parsed.version !== 'number' || typeof parsed.changes !== 'object' || parsed.changes === null) return null
    return { version: parsed.version, changes: parsed.changes, savedAt: String(parsed.savedAt ?? '') }
  } catch {
    return null
  }
}

export function writeLocalCopy(id: number, version: number, changes: ProposalChanges, now = new Date()): void {
  try {
    if (hasChanges(changes)) {
      const copy: LocalCopy = { version, changes, savedAt: now.toISOString() }
      localStorage.setItem(LOCAL_PREFIX + id, JSON.stringify(copy))
    } else {
      localStorage.removeItem(LOCAL_PREFIX + id)
    }
  } catch {
    // storage full or private mode: the autosave still runs
  }
}

export function clearLocalCopy(id: number): void {
  try {
    localStorage.removeItem(LOCAL_PREFIX + id)
  } catch {
    // nothing to clear
  }
}

// Status timeline: draft → submitted → eligible | ineligible → nominated | not_nominated → winner.
export type StepState = 'done' | 'current' | 'failed' | 'upcoming' | 'skipped'
export type StepKey = 'draft' | 'submitted' | 'administrative' | 'nomination' | 'winner'
export interface TimelineStep {
  key: StepKey
  state: StepState
  /** The status that decided this step, when one did (e.g. `ineligible` for `administrative`). */
  outcome: ProposalStatus | null
}

const REACHED: Record<ProposalStatus, number> = {
  draft: 0,
  submitted: 1,
  eligible: 2,
  ineligible: 2,
  nominated: 3,
  not_nominated: 3,
  winner: 4,
  withdrawn: -1,
}
const STEP_KEYS: StepKey[] = ['draft', 'submitted', 'administrative', 'nomination', 'winner']

/**
 * The steps of a proposal's life and where it stands. A withdrawn proposal shows the steps it
 * passed (`wasSubmitted`) and the rest as skipped; a failed step ends the line.
 */
export function timelineSteps(status: string, wasSubmitted = false): TimelineStep[] {
  const s = oneOf(STATUSES, status, 'draft')
  if (s === 'withdrawn') {
    const reached = wasSubmitted ? 1 : 0
    return STEP_KEYS.map((key, index) => ({
      key,
      state: index <= reached ? 'done' : 'skipped',
      outcome: null,
    }))
  }
  const reached = REACHED[s]
  const failed = s === 'ineligible' || s === 'not_nominated'
  return STEP_KEYS.map((key, index) => {
    let state: StepState
    if (index < reached) state = 'done'
    else if (index === reached) state = failed ? 'failed' : s === 'draft' ? 'current' : 'done'
    else if (failed) state = 'skipped'
    // The step after the one reached is in the organisers' hands now (a draft waits for its team).
    else state = index === reached + 1 && s !== 'draft' ? 'current' : 'upcoming'
    return { key, state, outcome: index === reached && index >= 2 ? s : null }
  })
}

/** A readiness problem's field as shown to people: `sections.ringkasan` → its template title. */
export function problemTarget(field: string): { kind: 'section'; key: string } | { kind: 'field'; key: string } {
  return field.startsWith('sections.')
    ? { kind: 'section', key: field.slice('sections.'.length) }
    : { kind: 'field', key: field }
}

/**
 * One readiness finding with its `params` typed, so the UI words it in its own language. The
 * spec types `code` as a string and `params` as a free object; a code this client does not know,
 * or params it cannot read, fall back to the server's (English) `message`.
 */
export type Finding =
  | { code: 'empty' }
  | { code: 'too_many_words'; words: number; limit: number }
  | { code: 'too_few_attachments'; count: number; required: number }
  | { code: 'in_future'; startedOn: string }
  | { code: 'too_young'; minYears: number; group: string; startedOn: string; oldEnoughOn: string }
  | { code: 'other'; message: string }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Read one finding: `{field, message, code, params}` (extra keys, as on a 422's `errors`, are ignored). */
export function readFinding(problem: { message: string; code?: unknown; params?: unknown }): Finding {
  const params = (typeof problem.params === 'object' && problem.params !== null ? problem.params : {}) as Record<
    string,
    unknown
  >
  const int = (key: string): number | null => {
    const value = params[key]
    return typeof value === 'number' && Number.isInteger(value) ? value : null
  }
  const date = (key: string): string | null => {
    const value = params[key]
    return typeof value === 'string' && ISO_DATE.test(value) ? value : null
  }
  const other: Finding = { code: 'other', message: problem.message }
  switch (problem.code) {
    case 'empty':
      return { code: 'empty' }
    case 'too_many_words': {
      const words = int('words')
      const limit = int('limit')
      return words !== null && limit !== null ? { code: 'too_many_words', words, limit } : other
    }
    case 'too_few_attachments': {
      const count = int('count')
      const required = int('required')
      return count !== null && required !== null ? { code: 'too_few_attachments', count, required } : other
    }
    case 'in_future': {
      const startedOn = date('started_on')
      return startedOn ? { code: 'in_future', startedOn } : other
    }
    case 'too_young': {
      const minYears = int('min_years')
      const startedOn = date('started_on')
      const oldEnoughOn = date('old_enough_on')
      const group = typeof params.group === 'string' ? params.group : ''
      return minYears !== null && startedOn && oldEnoughOn
        ? { code: 'too_young', minYears, group, startedOn, oldEnoughOn }
        : other
    }
    default:
      return other
  }
}

/**
 * The readiness a refused submit (422) reports: its `errors` are the readiness problems, with
 * the same `code` and `params` as GET …/readiness.
 */
export function readinessOf(errors: readonly { field: string; message: string; [key: string]: unknown }[]): Readiness {
  return {
    ready: errors.length === 0,
    problems: errors.map((e) => ({
      field: e.field,
      message: e.message,
      code: typeof e.code === 'string' ? e.code : '',
      params: typeof e.params === 'object' && e.params !== null ? (e.params as Record<string, unknown>) : {},
    })),
  }
}

/** "12,3 kB" style sizes for attachment lists. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toLocaleString(locale === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: digits })} ${units[unit]}`
}
