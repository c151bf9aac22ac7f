import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'

import { ApiProblem, api, unwrap, type Competition, type Readiness } from '@/api'

import { useAsync } from './useAsync'
import { useAutosaveQueue, type AutosaveOptions } from './useAutosaveQueue'
import {
  applyChanges,
  changesOf,
  clearLocalCopy,
  cloneForm,
  formOf,
  hasChanges,
  readLocalCopy,
  submissionWindow,
  writeLocalCopy,
  type Proposal,
  type ProposalForm,
} from './useProposal'

/** A 409 `stale-version` from PATCH: someone else saved first. */
export function isStaleVersion(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 409 && error.type.endsWith('/stale-version')
}

/**
 * One proposal being edited. The form is local; every edit is saved by the autosave queue as a
 * PATCH of the fields that differ from the server's copy, at the version last read (the answer's
 * version is kept for the next save). Unsaved edits are also kept in localStorage until the
 * server has them, and restored on the next visit. A stale version stops autosaving until the
 * user chooses: reload and apply my edits again, or drop them.
 */
export function useProposalEditor(id: MaybeRefOrGetter<number>, options: { autosave?: AutosaveOptions } = {}) {
  const proposal = shallowRef<Proposal | null>(null)
  const competition = shallowRef<Competition | null>(null)
  const form = ref<ProposalForm | null>(null)
  const loadError = shallowRef<unknown>(null)
  const loading = ref(true)
  /** Edits restored from this device's copy on load (the notice is shown once). */
  const restored = ref(false)
  /** Someone else saved first: autosave waits until the user picks how to go on. */
  const stale = ref(false)
  let applyingServer = false

  const innovationId = () => toValue(id)

  const readiness = useAsync<Readiness | null>(
    async () => {
      if (!proposal.value || proposal.value.status !== 'draft') return null
      return unwrap(
        api.GET('/api/v1/innovations/{innovation_id}/readiness', {
          params: { path: { innovation_id: innovationId() } },
        }),
      )
    },
    { immediate: false },
  )

  function setForm(next: ProposalForm): void {
    applyingServer = true // the form watcher is synchronous: it sees the flag
    form.value = next
    applyingServer = false
  }

  async function fetchProposal(): Promise<Proposal> {
    return unwrap(
      api.GET('/api/v1/innovations/{innovation_id}', { params: { path: { innovation_id: innovationId() } } }),
    )
  }

  async function load(): Promise<void> {
    loading.value = true
    loadError.value = null
    try {
      const loaded = await fetchProposal()
      const comp = await unwrap(
        api.GET('/api/v1/competitions/{competition_id}', {
          params: { path: { competition_id: loaded.competition_id } },
        }),
      )
      proposal.value = loaded
      competition.value = comp
      let next = formOf(loaded)
      const local = readLocalCopy(loaded.id)
      if (local && loaded.status === 'draft') {
        next = applyChanges(next, local.changes)
        restored.value = hasChanges(changesOf(next, loaded))
      } else if (local) {
        clearLocalCopy(loaded.id) // no longer a draft: nothing to apply it to
      }
      setForm(next)
      if (restored.value) queue.push(cloneForm(next))
      void readiness.reload()
    } catch (error) {
      loadError.value = error
    } finally {
      loading.value = false
    }
  }

  const queue = useAutosaveQueue<ProposalForm>(async (snapshot) => {
    const server = proposal.value
    if (!server) return
    const changes = changesOf(snapshot, server)
    if (!hasChanges(changes)) return
    const saved = await unwrap(
      api.PATCH('/api/v1/innovations/{innovation_id}', {
        params: { path: { innovation_id: server.id } },
        body: { version: server.version, ...changes },
      }),
    )
    proposal.value = saved
    // What is still unsaved is measured against the new server copy (newer typing stays).
    if (form.value) writeLocalCopy(saved.id, saved.version, changesOf(form.value, saved))
    void readiness.reload()
  }, options.autosave)

  watch(
    form,
    (value) => {
      if (!value || applyingServer || !proposal.value) return
      writeLocalCopy(proposal.value.id, proposal.value.version, changesOf(value, proposal.value))
      if (!stale.value) queue.push(cloneForm(value))
    },
    { deep: true, flush: 'sync' },
  )
  watch(queue.lastError, (error) => {
    if (isStaleVersion(error)) stale.value = true
  })
  const submission = computed(() => (competition.value ? submissionWindow(competition.value) : null))
  const editable = computed(() => proposal.value?.status === 'draft' && !!submission.value?.open)
  const canWithdraw = computed(
    () => !!proposal.value && ['draft', 'submitted'].includes(proposal.value.status) && !!submission.value?.open,
  )

  /** After a stale version: read the server's copy, put my unsaved edits on top, save them. */
  async function reloadKeepingMine(): Promise<void> {
    const server = proposal.value
    const mine = form.value && server ? changesOf(form.value, server) : {}
    const latest = await fetchProposal()
    proposal.value = latest
    stale.value = false
    const next = applyChanges(formOf(latest), latest.status === 'draft' ? mine : {})
    setForm(next)
    if (latest.status === 'draft' && hasChanges(changesOf(next, latest))) {
      writeLocalCopy(latest.id, latest.version, changesOf(next, latest))
      queue.push(cloneForm(next))
      await queue.flush()
    } else {
      clearLocalCopy(latest.id)
    }
    void readiness.reload()
  }

  /** After a stale version: take the server's copy and drop my unsaved edits. */
  async function reloadDiscardingMine(): Promise<void> {
    const latest = await fetchProposal()
    proposal.value = latest
    stale.value = false
    clearLocalCopy(latest.id)
    setForm(formOf(latest))
    queue.push(formOf(latest)) // clears the error state: nothing differs, nothing is sent
    await queue.flush()
    void readiness.reload()
  }

  /** Save now; true when everything typed is on the server. */
  async function saveNow(): Promise<boolean> {
    await queue.flush()
    return !!form.value && !!proposal.value && !hasChanges(changesOf(form.value, proposal.value))
  }

  async function submit(): Promise<Proposal> {
    const saved = await unwrap(
      api.POST('/api/v1/innovations/{innovation_id}/submit', { params: { path: { innovation_id: innovationId() } } }),
    )
    proposal.value = saved
    clearLocalCopy(saved.id)
    readiness.data.value = null
    return saved
  }

  async function withdraw(): Promise<Proposal> {
    await queue.flush()
    const saved = await unwrap(
      api.POST('/api/v1/innovations/{innovation_id}/withdraw', { params: { path: { innovation_id: innovationId() } } }),
    )
    proposal.value = saved
    clearLocalCopy(saved.id)
    readiness.data.value = null
    return saved
  }

  /** Attachments changed: the readiness (required attachments) may have too. */
  function attachmentsChanged(): void {
    void readiness.reload()
  }

  void load()

  return {
    proposal,
    competition,
    form,
    loading,
    loadError,
    restored,
    readiness,
    autosave: queue,
    stale,
    editable,
    canWithdraw,
    submissionWindow: submission,
    load,
    reloadKeepingMine,
    reloadDiscardingMine,
    saveNow,
    submit,
    withdraw,
    attachmentsChanged,
  }
}
