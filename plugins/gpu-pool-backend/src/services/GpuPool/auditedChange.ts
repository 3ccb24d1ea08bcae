import { ServiceUnavailableError } from '@backstage/errors';
import { GpuRequest } from '@internal/plugin-gpu-pool-common';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { GpuPoolUser } from './types';

/** Runs a user's change of an existing request as an audited event. */
export async function auditedChange(
  deps: { store: GpuPoolStore; audit: GpuPoolAudit },
  eventId: string,
  id: string,
  user: GpuPoolUser,
  fn: () => Promise<GpuRequest>,
): Promise<GpuRequest> {
  const row = await deps.store.read.getRequest(id);
  return deps.audit.run(
    {
      eventId,
      actor: user.userEntityRef,
      target: {
        requestId: id,
        team: row?.team,
        cluster: row?.cluster,
        namespace: row?.namespace,
      },
      request: user.httpRequest,
    },
    fn,
    r => ({ status: r.status }),
  );
}

/** Whether an error means the cluster could not be reached. */
export function isUnavailable(error: unknown) {
  return (
    error instanceof ServiceUnavailableError ||
    (error as Error)?.name === 'ServiceUnavailableError'
  );
}
