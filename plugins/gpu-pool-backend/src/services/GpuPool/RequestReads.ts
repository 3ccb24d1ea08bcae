import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  GpuRequest,
  GpuRequestStatus,
} from '@internal/plugin-gpu-pool-common';
import {
  GpuPoolStore,
  GpuPoolTx,
  RequestRow,
} from '../../database/GpuPoolStore';
import { queuePositions } from './queueOrder';
import { GpuPoolUser } from './types';

const MAX_LIST = 500;

/** Requests as the API shows them, with queue positions and history. */
export class RequestReads {
  private constructor(private readonly store: GpuPoolStore) {}

  static create(options: { store: GpuPoolStore }) {
    return new RequestReads(options.store);
  }

  async listRequests(options: {
    scope: 'mine' | 'team' | 'all';
    statuses?: GpuRequestStatus[];
    user: GpuPoolUser;
  }): Promise<GpuRequest[]> {
    const read = this.store.read;
    const rows = await read.listRequests({
      statuses: options.statuses,
      requestedBy:
        options.scope === 'mine' ? options.user.userEntityRef : undefined,
      teams:
        options.scope === 'team'
          ? options.user.ownershipEntityRefs.filter(r => r.startsWith('group:'))
          : undefined,
      limit: MAX_LIST,
    });
    const positions = queuePositions(
      await read.listRequests({ statuses: ['queued'] }),
    );
    return rows.map(r => toApi(r, positions));
  }

  async getRequest(id: string): Promise<GpuRequest> {
    const read = this.store.read;
    const row = await read.getRequest(id);
    if (!row) {
      throw new NotFoundError(`GPU request ${id} not found`);
    }
    const positions =
      row.status === 'queued'
        ? queuePositions(await read.listRequests({ statuses: ['queued'] }))
        : new Map();
    return { ...toApi(row, positions), history: await read.history(id) };
  }
}

function toApi(row: RequestRow, positions: Map<string, number>): GpuRequest {
  const iso = (ms?: number) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  return {
    id: row.id,
    team: row.team,
    cluster: row.cluster,
    namespace: row.namespace,
    gpus: row.gpus,
    cpu: row.cpu,
    memory: row.memory,
    duration: row.duration,
    justification: row.justification,
    ephemeral: row.ephemeral,
    priority: row.priority,
    adoptsNamespace: row.adoptsNamespace,
    createdNamespace: row.createdNamespace,
    status: row.status,
    requestedBy: row.requestedBy,
    decidedBy: row.decidedBy,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    grantedAt: iso(row.grantedAt),
    expiresAt: iso(row.expiresAt),
    lastError: row.lastError,
    queuePosition: positions.get(row.id),
  };
}

/** The request, in a transaction; 404 when it does not exist. */
export async function mustGetRequest(tx: GpuPoolTx, id: string) {
  const row = await tx.getRequest(id);
  if (!row) throw new NotFoundError(`GPU request ${id} not found`);
  return row;
}

/** Only the request's team and the platform team change a request. */
export function assertMayManage(row: RequestRow, user: GpuPoolUser) {
  if (!user.isPlatformTeam && !user.ownershipEntityRefs.includes(row.team)) {
    throw new NotAllowedError(
      `Only members of ${row.team} or the platform team may change this request`,
    );
  }
}
