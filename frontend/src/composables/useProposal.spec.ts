import { beforeEach, describe, expect, it } from 'vitest'

import {
  applyChanges,
  changesOf,
  cleanLinks,
  clearLocalCopy,
  cloneForm,
  formOf,
  formatBytes,
  invalidLinks,
  readLocalCopy,
  readFinding,
  readinessOf,
  sectionsFor,
  submissionWindow,
  timelineSteps,
  writeLocalCopy,
} from './useProposal'
import { PROPOSAL, TEMPLATE } from './useProposal.fixtures'

function stage(key: string, state: 'past' | 'current' | 'upcoming', open: boolean) {
  return {
    key,
    name: key,
    position: 0,
    starts_at: '2026-11-22T00:00:00+08:00',
    ends_at: '2026-12-21T00:00:00+08:00',
    state,
    open,
  }
}

describe('sectionsFor', () => {
  it('picks the sections of a group in template order', () => {
    expect(sectionsFor(TEMPLATE, 'umum').map((s) => s.key)).toEqual(['ringkasan', 'ide_inovatif'])
    expect(sectionsFor(TEMPLATE, 'replikasi').map((s) => s.key)).toEqual(['ringkasan', 'inspirasi'])
  })

  it('has no sections without a template, and none for a group no section names', () => {
    expect(sectionsFor(null, 'umum')).toEqual([])
    expect(sectionsFor(TEMPLATE, 'unknown')).toEqual([])
  })
})

describe('submissionWindow', () => {
  it('is open only while submission is the current stage and its window is open', () => {
    const stages = [stage('submission', 'current', true), stage('administrative', 'upcoming', false)]
    expect(submissionWindow({ current_stage: 'submission', stages }).open).toBe(true)
    expect(
      submissionWindow({ current_stage: 'submission', stages: [stage('submission', 'current', false)] }).open,
    ).toBe(false)
    expect(submissionWindow({ current_stage: 'administrative', stages }).open).toBe(false)
    expect(submissionWindow({ current_stage: 'submission', stages }).endsAt).toBe('2026-12-21T00:00:00+08:00')
  })
})

describe('changesOf', () => {
  it('is empty for an untouched form', () => {
    expect(changesOf(formOf(PROPOSAL), PROPOSAL)).toEqual({})
  })

  it('carries only the changed fields and sections', () => {
    const form = formOf(PROPOSAL)
    form.sections.ide_inovatif = 'Timbangan di setiap kelurahan.'
    form.category = 'Lingkungan hidup'
    form.started_on = '2019-02-01'
    expect(changesOf(form, PROPOSAL)).toEqual({
      category: 'Lingkungan hidup',
      started_on: '2019-02-01',
      sections: { ide_inovatif: 'Timbangan di setiap kelurahan.' },
    })
  })

  it('sends null to clear an optional value and an empty string to empty a section', () => {
    const server = { ...PROPOSAL, video_url: 'https://youtu.be/x', started_on: '2019-02-01' }
    const form = formOf(server)
    form.video_url = '  '
    form.started_on = ''
    form.sections.ringkasan = ''
    expect(changesOf(form, server)).toEqual({ video_url: null, started_on: null, sections: { ringkasan: '' } })
  })

  it('leaves out what the server would refuse so the rest still saves', () => {
    const form = formOf(PROPOSAL)
    form.title = '   '
    form.video_url = 'youtube.com/watch'
    form.summary = 'Singkat.'
    expect(changesOf(form, PROPOSAL)).toEqual({ summary: 'Singkat.' })
    form.video_url = ' https://youtu.be/abc '
    expect(changesOf(form, PROPOSAL).video_url).toBe('https://youtu.be/abc')
  })
})

describe('links', () => {
  it('sends the list trimmed, without blanks, only when it changed', () => {
    const form = formOf(PROPOSAL)
    form.links = [' https://a.go.id/sk.pdf ', '', 'https://b.go.id']
    expect(changesOf(form, PROPOSAL)).toEqual({ links: ['https://a.go.id/sk.pdf', 'https://b.go.id'] })
    const server = { ...PROPOSAL, links: ['https://a.go.id/sk.pdf', 'https://b.go.id'] }
    expect(changesOf(form, server)).toEqual({})
  })

  it('sends an empty list to remove the last link', () => {
    const server = { ...PROPOSAL, links: ['https://a.go.id'] }
    const form = formOf(server)
    form.links = ['']
    expect(changesOf(form, server)).toEqual({ links: [] })
  })

  it('holds the list back while one entry is not a link, so the rest still saves', () => {
    const form = formOf(PROPOSAL)
    form.links = ['https://a.go.id', 'www.b.go.id']
    form.category = 'Kesehatan'
    expect(invalidLinks(form.links)).toEqual([1])
    expect(changesOf(form, PROPOSAL)).toEqual({ category: 'Kesehatan' })
    expect(cleanLinks(['  ', 'https://x.id '])).toEqual(['https://x.id'])
  })

  it('comes back from a local copy and is copied, not shared', () => {
    const form = applyChanges(formOf(PROPOSAL), { links: ['https://a.go.id'] })
    expect(form.links).toEqual(['https://a.go.id'])
    const copy = cloneForm(form)
    copy.links.push('https://b.go.id')
    expect(form.links).toHaveLength(1)
  })
})

describe('the team', () => {
  const server = {
    ...PROPOSAL,
    team: [
      { id: 11, full_name: 'Inovator DLH' },
      { id: 12, full_name: 'Wati' },
    ],
  }

  it('sends the whole list only when it is another set of people', () => {
    const form = formOf(server)
    expect(form.team).toEqual([11, 12])
    form.team = [12, 11] // the order does not matter
    expect(changesOf(form, server)).toEqual({})
    form.team = [12, 15]
    expect(changesOf(form, server)).toEqual({ team_user_ids: [12, 15] })
    form.team = []
    expect(changesOf(form, server)).toEqual({ team_user_ids: [] })
  })

  it('comes back from a local copy or after a stale version, copied, not shared', () => {
    const form = applyChanges(formOf(server), { team_user_ids: [15] })
    expect(form.team).toEqual([15])
    expect(changesOf(form, server)).toEqual({ team_user_ids: [15] })
    const copy = cloneForm(form)
    copy.team.push(16)
    expect(form.team).toEqual([15])
  })
})

describe('applyChanges', () => {
  it('puts my edits on top of a newer server copy, keeping the fields I did not touch', () => {
    const mine = { sections: { ringkasan: 'Versi saya.' }, category: 'Lingkungan' }
    const theirs = { ...PROPOSAL, version: 4, sections: { ringkasan: 'Lama.', signifikansi: 'Versi mereka.' } }
    const merged = applyChanges(formOf(theirs), mine)
    expect(merged.sections).toEqual({ ringkasan: 'Versi saya.', signifikansi: 'Versi mereka.' })
    expect(merged.category).toBe('Lingkungan')
    expect(changesOf(merged, theirs)).toEqual(mine)
  })

  it('turns a null from a cleared field back into an empty form value', () => {
    const server = { ...PROPOSAL, video_url: 'https://youtu.be/x' }
    expect(applyChanges(formOf(server), { video_url: null }).video_url).toBe('')
  })
})

describe('the local copy of unsaved edits', () => {
  beforeEach(() => localStorage.clear())

  it('is written while there are changes and removed when there are none', () => {
    writeLocalCopy(7, 3, { sections: { ringkasan: 'Belum tersimpan.' } }, new Date('2026-11-29T02:00:00Z'))
    expect(readLocalCopy(7)).toEqual({
      version: 3,
      changes: { sections: { ringkasan: 'Belum tersimpan.' } },
      savedAt: '2026-11-29T02:00:00.000Z',
    })
    writeLocalCopy(7, 4, {})
    expect(readLocalCopy(7)).toBeNull()
  })

  it('ignores what it cannot read', () => {
    localStorage.setItem('kipp.proposal.8', '{not json')
    expect(readLocalCopy(8)).toBeNull()
    localStorage.setItem('kipp.proposal.9', JSON.stringify({ changes: {} }))
    expect(readLocalCopy(9)).toBeNull()
    writeLocalCopy(10, 1, { title: 'x' })
    clearLocalCopy(10)
    expect(readLocalCopy(10)).toBeNull()
  })
})

describe('timelineSteps', () => {
  const states = (status: string, submitted = false) => timelineSteps(status, submitted).map((s) => s.state)

  it('follows a proposal from draft to winner', () => {
    expect(states('draft')).toEqual(['current', 'upcoming', 'upcoming', 'upcoming', 'upcoming'])
    expect(states('submitted')).toEqual(['done', 'done', 'current', 'upcoming', 'upcoming'])
    expect(states('eligible')).toEqual(['done', 'done', 'done', 'current', 'upcoming'])
    expect(states('nominated')).toEqual(['done', 'done', 'done', 'done', 'current'])
    expect(states('winner')).toEqual(['done', 'done', 'done', 'done', 'done'])
  })

  it('ends the line at a failed step and names the outcome', () => {
    expect(states('ineligible')).toEqual(['done', 'done', 'failed', 'skipped', 'skipped'])
    expect(timelineSteps('ineligible')[2]).toEqual({ key: 'administrative', state: 'failed', outcome: 'ineligible' })
    expect(states('not_nominated')).toEqual(['done', 'done', 'done', 'failed', 'skipped'])
    expect(timelineSteps('eligible')[2]!.outcome).toBe('eligible')
  })

  it('shows a withdrawn proposal up to where it got', () => {
    expect(states('withdrawn')).toEqual(['done', 'skipped', 'skipped', 'skipped', 'skipped'])
    expect(states('withdrawn', true)).toEqual(['done', 'done', 'skipped', 'skipped', 'skipped'])
  })
})

describe('readFinding', () => {
  it('types the params of each code', () => {
    expect(readFinding({ message: 'required; it is empty', code: 'empty', params: {} })).toEqual({ code: 'empty' })
    expect(
      readFinding({
        message: '205 words; the limit is 200',
        code: 'too_many_words',
        params: { words: 205, limit: 200 },
      }),
    ).toEqual({
      code: 'too_many_words',
      words: 205,
      limit: 200,
    })
    expect(readFinding({ message: '', code: 'too_few_attachments', params: { count: 0, required: 2 } })).toEqual({
      code: 'too_few_attachments',
      count: 0,
      required: 2,
    })
    expect(readFinding({ message: '', code: 'in_future', params: { started_on: '2030-01-01' } })).toEqual({
      code: 'in_future',
      startedOn: '2030-01-01',
    })
    expect(
      readFinding({
        message: 'the innovation must have run at least 2 year(s) …',
        code: 'too_young',
        params: { min_years: 2, group: 'umum', started_on: '2025-06-01', old_enough_on: '2027-06-01' },
      }),
    ).toEqual({ code: 'too_young', minYears: 2, group: 'umum', startedOn: '2025-06-01', oldEnoughOn: '2027-06-01' })
  })

  it('keeps the server’s message for a code it does not know or params it cannot read', () => {
    expect(readFinding({ message: 'something new', code: 'brand_new', params: {} })).toEqual({
      code: 'other',
      message: 'something new',
    })
    expect(readFinding({ message: '205 words', code: 'too_many_words', params: { words: '205' } })).toEqual({
      code: 'other',
      message: '205 words',
    })
    expect(readFinding({ message: 'in the future', code: 'in_future', params: { started_on: 'soon' } })).toEqual({
      code: 'other',
      message: 'in the future',
    })
    expect(readFinding({ message: 'no params', code: 'too_young' })).toEqual({ code: 'other', message: 'no params' })
  })
})

describe('readinessOf', () => {
  it('turns the errors of a refused submit (422) into the readiness the panel shows', () => {
    const errors = [
      { field: 'sections.ringkasan', message: 'required; it is empty', code: 'empty', params: {} },
      {
        field: 'attachments',
        message: '0 uploaded; at least 1 required',
        code: 'too_few_attachments',
        params: { count: 0, required: 1 },
      },
      { field: 'title', message: 'older server', row: null },
    ]
    expect(readinessOf(errors)).toEqual({
      ready: false,
      problems: [errors[0], errors[1], { field: 'title', message: 'older server', code: '', params: {} }],
    })
    expect(readinessOf([])).toEqual({ ready: true, problems: [] })
  })
})

describe('formatBytes', () => {
  it('uses the UI language', () => {
    expect(formatBytes(91, 'id')).toBe('91 B')
    expect(formatBytes(12_345, 'id')).toBe('12,3 kB')
    expect(formatBytes(12_345, 'en')).toBe('12.3 kB')
    expect(formatBytes(10_485_760, 'en')).toBe('10.5 MB')
  })
})
