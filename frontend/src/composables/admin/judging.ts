// The organising team's view of judging: who holds which scoresheet of an innovation, and
// conflicts of interest. Pure functions over the API's answers (shapes from the schema).
import type { Conflict, ConflictSource, PanelJudge, Scoresheet } from '@/api'

export const CONFLICT_SOURCES: readonly ConflictSource[] = ['agency', 'declared', 'admin']

/** Where one judge stands on one innovation. */
export type SheetState = 'final' | 'draft' | 'not_started' | 'conflict'

export interface JudgeSheet {
  judgeId: number
  name: string
  agencyCode: string | null
  state: SheetState
  sheet: Scoresheet | null
  conflict: Conflict | null
}

const ORDER: Record<SheetState, number> = { final: 0, draft: 1, not_started: 2, conflict: 3 }

/**
 * Every panel judge against one innovation: their scoresheet, or the conflict that keeps them
 * from scoring it, or nothing yet. A scoresheet of a judge no longer on the panel is listed too
 * (it still counts on the server). Final first, then drafts, not started, conflicts; by name within.
 */
export function judgeSheets(
  panel: readonly Pick<PanelJudge, 'id' | 'full_name' | 'agency_code'>[],
  sheets: readonly Scoresheet[],
  conflicts: readonly Conflict[],
  innovationId: number,
): JudgeSheet[] {
  const byJudge = new Map(sheets.filter((s) => s.innovation_id === innovationId).map((s) => [s.judge_id, s]))
  const conflictOf = new Map<number, Conflict>()
  for (const c of conflicts) {
    if (c.innovation_id === innovationId && !conflictOf.has(c.judge_id)) conflictOf.set(c.judge_id, c)
  }
  const rows: JudgeSheet[] = panel.map((judge) => {
    const sheet = byJudge.get(judge.id) ?? null
    const conflict = conflictOf.get(judge.id) ?? null
    const state: SheetState = sheet ? sheet.status : conflict ? 'conflict' : 'not_started'
    return { judgeId: judge.id, name: judge.full_name, agencyCode: judge.agency_code ?? null, state, sheet, conflict }
  })
  const onPanel = new Set(panel.map((j) => j.id))
  for (const sheet of byJudge.values()) {
    if (!onPanel.has(sheet.judge_id)) {
      rows.push({
        judgeId: sheet.judge_id,
        name: sheet.judge_name,
        agencyCode: null,
        state: sheet.status,
        sheet,
        conflict: null,
      })
    }
  }
  return rows.sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name))
}

/** How many judges stand where; `assigned` leaves out those with a conflict of interest. */
export function sheetCounts(rows: readonly JudgeSheet[]) {
  const counts: Record<SheetState, number> = { final: 0, draft: 0, not_started: 0, conflict: 0 }
  for (const row of rows) counts[row.state] += 1
  return { ...counts, assigned: counts.final + counts.draft + counts.not_started }
}

/** Conflicts per source, for the filter's counts. */
export function conflictCounts(conflicts: readonly Pick<Conflict, 'source'>[]): Record<ConflictSource, number> {
  const counts: Record<ConflictSource, number> = { agency: 0, declared: 0, admin: 0 }
  for (const c of conflicts) counts[c.source] += 1
  return counts
}

/** The judges that appear in a list of conflicts (for a filter), by name. */
export function conflictJudges(
  conflicts: readonly Pick<Conflict, 'judge_id' | 'judge_name'>[],
): { id: number; name: string }[] {
  const seen = new Map<number, string>()
  for (const c of conflicts) if (!seen.has(c.judge_id)) seen.set(c.judge_id, c.judge_name)
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name))
}
