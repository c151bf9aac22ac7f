import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'

import enAdmin from '@/i18n/locales/en/admin'
import en from '@/i18n/locales/en/common'
import enInnovator from '@/i18n/locales/en/innovator'
import idAdmin from '@/i18n/locales/id/admin'
import id from '@/i18n/locales/id/common'
import idInnovator from '@/i18n/locales/id/innovator'

import { formatDateTime } from './useDateFormat'
import { nowText, stageNow, type NowCompetition } from './stageNow'

const competition: NowCompetition = {
  current_stage: 'presentation',
  timezone: 'Asia/Makassar',
  stages: [
    { key: 'administrative', starts_at: '2026-11-01T00:00:00+08:00', ends_at: '2026-11-10T00:00:00+08:00' },
    { key: 'presentation', starts_at: '2026-11-10T00:00:00+08:00', ends_at: '2026-11-20T17:00:00+08:00' },
  ],
}

function line(
  locale: 'id' | 'en',
  role: Parameters<typeof nowText>[1],
  now: string,
  pending?: number,
  c = competition,
) {
  // The common lines, and each area's own part (merged when its screens load).
  const i18n = createI18n({ legacy: false, locale, messages: { id, en } })
  i18n.global.mergeLocaleMessage('id', { ...idAdmin, ...idInnovator })
  i18n.global.mergeLocaleMessage('en', { ...enAdmin, ...enInnovator })
  return nowText(c, role, {
    now: new Date(now),
    t: (key, params) => i18n.global.t(key, params ?? {}),
    formatTime: (iso, zone) => formatDateTime(iso, locale, zone),
    pending,
  })
}

describe('what each role can do now, and until when', () => {
  it('tells a judge scoring is open until the window ends, in the competition’s zone', () => {
    expect(line('id', 'judge', '2026-11-15T00:00:00Z', 5)).toBe(
      'Presentasi dan penilaian dibuka sampai 20 Nov 2026, 17.00 WITA: Anda dapat menilai — 5 lembar nilai belum final',
    )
    expect(line('en', 'judge', '2026-11-15T00:00:00Z', 1)).toBe(
      'Presentation and scoring open until 20 Nov 2026, 17:00 GMT+8: you can score — 1 scoresheet(s) not final yet',
    )
  })

  it('tells an innovator that proposals are closed outside the submission stage', () => {
    expect(line('id', 'proposer', '2026-11-15T00:00:00Z', 2)).toBe(
      'Presentasi dan penilaian dibuka sampai 20 Nov 2026, 17.00 WITA: proposal tidak dapat diubah lagi — 2 proposal masih draf',
    )
  })

  it('tells the admin a window has ended and what to do, others that they wait', () => {
    expect(line('id', 'admin', '2026-11-21T00:00:00Z')).toBe(
      'Jadwal Presentasi dan penilaian berakhir 20 Nov 2026, 17.00 WITA: pindahkan tahap atau perpanjang jadwalnya',
    )
    expect(line('en', 'public', '2026-11-21T00:00:00Z')).toBe(
      'The Presentation and scoring window ended 20 Nov 2026, 17:00 GMT+8: waiting for the organising team',
    )
  })

  it('says when a window not yet open opens, and when the results are final', () => {
    expect(stageNow(competition, new Date('2026-11-05T00:00:00Z')).state).toBe('notOpen')
    expect(line('id', 'judge', '2026-11-05T00:00:00Z', 5)).toBe(
      'Presentasi dan penilaian baru dibuka 10 Nov 2026, 00.00 WITA: Anda dapat menilai',
    )
    const final = { ...competition, finalised_at: '2026-12-01T00:00:00Z' }
    expect(line('en', 'public', '2026-12-02T00:00:00Z', 0, final)).toBe('The results are final.')
  })
})
