import { toValue, type MaybeRefOrGetter } from 'vue'

import { api, unwrap, type Replication, type ReplicationIn } from '@/api'

import { useAsync } from './useAsync'

export interface ReplicationForm {
  adopter: string
  name: string
  started_on: string
  changes: string
}

export function emptyReplicationForm(): ReplicationForm {
  return { adopter: '', name: '', started_on: '', changes: '' }
}

/** The body the API takes: empty optional fields left out (the server fills the adopter). */
export function replicationBody(form: ReplicationForm): ReplicationIn {
  const body: ReplicationIn = { changes: form.changes }
  if (form.adopter.trim()) body.adopter = form.adopter.trim()
  if (form.name.trim()) body.name = form.name.trim()
  if (form.started_on) body.started_on = form.started_on
  return body
}

/** Who replicated an innovation, and what it replicates itself; record and remove. */
export function useReplications(innovationId: MaybeRefOrGetter<number>) {
  const path = () => ({ innovation_id: toValue(innovationId) })
  const list = useAsync(() =>
    unwrap(api.GET('/api/v1/innovations/{innovation_id}/replications', { params: { path: path() } })),
  )

  async function record(form: ReplicationForm): Promise<Replication> {
    const created = await unwrap(
      api.POST('/api/v1/innovations/{innovation_id}/replications', {
        params: { path: path() },
        body: replicationBody(form),
      }),
    )
    await list.reload()
    return created
  }

  async function remove(replication: Replication): Promise<void> {
    await unwrap(
      api.DELETE('/api/v1/innovations/{innovation_id}/replications/{replication_id}', {
        params: { path: { ...path(), replication_id: replication.id } },
      }),
    )
    await list.reload()
  }

  return { ...list, record, remove }
}
