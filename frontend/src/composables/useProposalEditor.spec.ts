import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick } from 'vue'

import { fakeServer, json, problem } from '@/test/fakeServer'

import { readLocalCopy, writeLocalCopy, type Proposal } from './useProposal'
import { COMPETITION, PROPOSAL } from './useProposal.fixtures'
import { useProposalEditor } from './useProposalEditor'

const FAST = { debounceMs: 5, initialBackoffMs: 5, jitter: 0, eventTarget: null }
const READINESS = {
  ready: false,
  problems: [{ field: 'sections.ide_inovatif', message: 'required; it is empty', code: 'empty', params: {} }],
}

function start() {
  const scope = effectScope()
  const editor = scope.run(() => useProposalEditor(7, { autosave: FAST }))!
  return { editor, stop: () => scope.stop() }
}

/** A server that keeps one proposal and applies PATCHes under the optimistic lock. */
function proposalServer(initial: Proposal) {
  let stored: Proposal = { ...initial, sections: { ...initial.sections } }
  const patches: Record<string, unknown>[] = []
  const fetch = fakeServer({
    'GET /api/v1/innovations/7': () => json(stored),
    'GET /api/v1/competitions/2': () => json(COMPETITION),
    'GET /api/v1/innovations/7/readiness': () => json(READINESS),
    'PATCH /api/v1/innovations/7': async (request) => {
      const body = (await request.json()) as Record<string, unknown> & {
        version: number
        sections?: Record<string, string>
      }
      patches.push(body)
      if (body.version !== stored.version) {
        return problem(409, 'Data sudah diubah orang lain', { type: 'https://kipp.example/problems/stale-version' })
      }
      const { version: _read, sections, ...fields } = body
      stored = {
        ...stored,
        ...fields,
        sections: { ...stored.sections, ...sections },
        version: stored.version + 1,
      }
      return json(stored)
    },
  })
  return {
    fetch,
    patches,
    get stored() {
      return stored
    },
    /** Someone else saves first. */
    changeElsewhere(sections: Record<string, string>) {
      stored = { ...stored, sections: { ...stored.sections, ...sections }, version: stored.version + 1 }
    },
  }
}

describe('useProposalEditor', () => {
  beforeEach(() => {
    localStorage.clear()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('loads the proposal, its competition and the readiness check', async () => {
    proposalServer(PROPOSAL)
    const { editor, stop } = start()
    await flushPromises()
    expect(editor.form.value?.sections.ringkasan).toBe('Warga menabung sampah.')
    expect(editor.competition.value?.name).toBe(COMPETITION.name)
    expect(editor.editable.value).toBe(true)
    expect(editor.readiness.data.value).toEqual(READINESS)
    expect(editor.autosave.state.value).toBe('saved')
    stop()
  })

  it('saves only what changed, at the version read, and keeps the version of each answer', async () => {
    const server = proposalServer(PROPOSAL)
    const { editor, stop } = start()
    await flushPromises()
    editor.form.value!.sections.ide_inovatif = 'Timbangan digital.'
    await vi.waitFor(() => expect(editor.autosave.state.value).toBe('saved'))
    await vi.waitFor(() => expect(server.patches).toHaveLength(1))
    expect(server.patches[0]).toEqual({ version: 3, sections: { ide_inovatif: 'Timbangan digital.' } })
    expect(editor.proposal.value?.version).toBe(4)

    editor.form.value!.category = 'Lingkungan hidup'
    await vi.waitFor(() => expect(server.patches).toHaveLength(2))
    expect(server.patches[1]).toEqual({ version: 4, category: 'Lingkungan hidup' })
    await vi.waitFor(() => expect(editor.autosave.state.value).toBe('saved'))
    expect(readLocalCopy(7)).toBeNull() // everything is on the server
    stop()
  })

  it('keeps a local copy until the server has the edit', async () => {
    proposalServer(PROPOSAL)
    const { editor, stop } = start()
    await flushPromises()
    editor.form.value!.sections.ringkasan = 'Belum tersimpan.'
    await nextTick()
    expect(readLocalCopy(7)?.changes).toEqual({ sections: { ringkasan: 'Belum tersimpan.' } })
    stop()
  })

  it('restores unsaved edits from this device on load and saves them', async () => {
    const server = proposalServer(PROPOSAL)
    writeLocalCopy(7, 3, { sections: { ringkasan: 'Ditulis sebelum tab tertutup.' } })
    const { editor, stop } = start()
    await flushPromises()
    expect(editor.restored.value).toBe(true)
    expect(editor.form.value?.sections.ringkasan).toBe('Ditulis sebelum tab tertutup.')
    await vi.waitFor(() => expect(server.stored.sections.ringkasan).toBe('Ditulis sebelum tab tertutup.'))
    await vi.waitFor(() => expect(readLocalCopy(7)).toBeNull())
    stop()
  })

  it('stops on a stale version and, on reload, applies my edits over theirs', async () => {
    const server = proposalServer(PROPOSAL)
    const { editor, stop } = start()
    await flushPromises()
    server.changeElsewhere({ signifikansi: 'Versi rekan.' })
    editor.form.value!.sections.ringkasan = 'Versi saya.'
    await vi.waitFor(() => expect(editor.stale.value).toBe(true))
    expect(server.patches).toHaveLength(1)

    // Typing on while stale: nothing is sent, everything is kept locally.
    editor.form.value!.sections.ringkasan = 'Versi saya, lebih panjang.'
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(server.patches).toHaveLength(1)
    expect(readLocalCopy(7)?.changes.sections).toEqual({ ringkasan: 'Versi saya, lebih panjang.' })

    await editor.reloadKeepingMine()
    expect(editor.stale.value).toBe(false)
    expect(server.patches.at(-1)).toEqual({ version: 4, sections: { ringkasan: 'Versi saya, lebih panjang.' } })
    expect(server.stored.sections).toEqual({ ringkasan: 'Versi saya, lebih panjang.', signifikansi: 'Versi rekan.' })
    expect(editor.form.value?.sections.signifikansi).toBe('Versi rekan.')
    expect(editor.autosave.state.value).toBe('saved')
    stop()
  })

  it('can drop my edits after a stale version instead', async () => {
    const server = proposalServer(PROPOSAL)
    const { editor, stop } = start()
    await flushPromises()
    server.changeElsewhere({ ringkasan: 'Versi rekan.' })
    editor.form.value!.sections.ringkasan = 'Versi saya.'
    await vi.waitFor(() => expect(editor.stale.value).toBe(true))
    await editor.reloadDiscardingMine()
    expect(editor.form.value?.sections.ringkasan).toBe('Versi rekan.')
    expect(editor.autosave.state.value).toBe('saved')
    expect(readLocalCopy(7)).toBeNull()
    expect(server.patches).toHaveLength(1)
    stop()
  })

  it('is read-only once submitted, and forgets a local copy it can no longer apply', async () => {
    writeLocalCopy(7, 3, { title: 'Judul lama' })
    proposalServer({ ...PROPOSAL, status: 'submitted', submitted_at: '2026-11-30T01:00:00Z' })
    const { editor, stop } = start()
    await flushPromises()
    expect(editor.editable.value).toBe(false)
    expect(editor.canWithdraw.value).toBe(true)
    expect(editor.readiness.data.value).toBeNull()
    expect(readLocalCopy(7)).toBeNull()
    stop()
  })
})
