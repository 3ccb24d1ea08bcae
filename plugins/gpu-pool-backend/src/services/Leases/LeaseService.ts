import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  describeZodError,
  extendGpuRequestSchema,
  finalStatuses,
  formatDuration,
  formatReason,
  GpuRequest,
  holdingStatuses,
  parseDuration,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolConfig, PoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore, RequestRow } from '../../database/GpuPoolStore';
import { AdmissionService } from '../Admission/AdmissionService';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { CapacityService } from '../Capacity/CapacityService';
import { PoolSummaries } from '../Capacity/PoolSummaries';
import { auditedChange } from '../GpuPool/auditedChange';
import { GpuPoolChange, GpuPoolChanges } from '../GpuPool/changes';
import { computeAbove, computeAllowance } from '../GpuPool/compute';
import {
  assertMayManage,
  mustGetRequest,
  RequestReads,
} from '../GpuPool/RequestReads';
import { Clock, GpuPoolUser, SYSTEM_ACTOR } from '../GpuPool/types';

/**
 * Leases: extension, release, expiry and failure end grants; the lease
 * clock warns owners before expiry and lets the queue advance. Every end
 * releases the grants and admits what now fits in the same transaction.
 */
export class LeaseService {
  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      config: GpuPoolConfig;
      capacity: CapacityService;
      admission: AdmissionService;
      summaries: PoolSummaries;
      reads: RequestReads;
      changes: GpuPoolChanges;
      audit: GpuPoolAudit;
      clock: Clock;
    },
  ) {}

  static create(options: {
    store: GpuPoolStore;
    config: GpuPoolConfig;
    capacity: CapacityService;
    admission: AdmissionService;
    summaries: PoolSummaries;
    reads: RequestReads;
    changes: GpuPoolChanges;
    audit: GpuPoolAudit;
    clock: Clock;
  }) {
    return new LeaseService(options);
  }

  private get now() {
    return this.options.clock.now();
  }

  async extend(
    id: string,
    user: GpuPoolUser,
    body: unknown,
  ): Promise<GpuRequest> {
    return auditedChange(this.options, 'request-extend', id, user, () =>
      this.extendAudited(id, user, body),
    );
  }

  private async extendAudited(
    id: string,
    user: GpuPoolUser,
    body: unknown,
  ): Promise<GpuRequest> {
    const { config, admission } = this.options;
    const parsed = extendGpuRequestSchema.safeParse(body ?? {});
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    const addMs = parseDuration(parsed.data.duration)!;
    const at = this.now;
    const changes = await this.options.store.transaction(async tx => {
      await tx.lockPools();
      const row = await mustGetRequest(tx, id);
      assertMayManage(row, user);
      if (
        !['provisioning', 'active', 'expiring'].includes(row.status) ||
        !row.expiresAt
      ) {
        throw new ConflictError(
          `GPU request ${id} is ${row.status} and cannot be extended`,
        );
      }
      const pools = row.gpus
        .map(g => config.pools.find(p => p.id === g.pool))
        .filter(Boolean) as PoolConfig[];
      const expiresAt = row.expiresAt + addMs;
      const maxMs = pools.length
        ? Math.min(...pools.map(p => p.maxDurationMs))
        : config.namespaceMaxDurationMs;
      if (expiresAt - (row.grantedAt ?? at) > maxMs) {
        throw new InputError(
          `duration: the lease would last longer than the maximum ${formatDuration(
            maxMs,
          )}`,
        );
      }
      // Policy again: above the allowance only the platform team extends.
      const over = admission.overAllowance(
        await admission.usage(tx, row.team),
        row.team,
        row.gpus.map(g => g.pool),
      );
      if (over && !user.isPlatformTeam) {
        throw new NotAllowedError(
          `${row.team} holds more than its allowance in pool ${over}: ask the platform team to extend`,
        );
      }
      const computeOver = computeAbove(
        await admission.computeUsage(tx, row.team),
        { cpu: 0, memory: 0 },
        computeAllowance(config, row.team),
      );
      if (computeOver && !user.isPlatformTeam) {
        throw new NotAllowedError(
          `${row.team} holds more than its allowance in ${computeOver}: ask the platform team to extend`,
        );
      }
      const reason = parsed.data.justification
        ? formatReason('extendedWithNote', {
            duration: parsed.data.duration,
            note: parsed.data.justification,
          })
        : formatReason('extended', { duration: parsed.data.duration });
      const to = row.status === 'expiring' ? 'active' : row.status;
      await tx.changeStatus(id, row.status, to, {
        actor: user.userEntityRef,
        reason,
        at,
        record: true,
        patch: { expiresAt, notifiedAt: undefined },
      });
      return [
        {
          request: { ...row, status: to, expiresAt },
          from: row.status,
          to,
        } as GpuPoolChange,
      ];
    });
    this.options.changes.emit(changes);
    return this.options.reads.getRequest(id);
  }

  async release(
    id: string,
    user: GpuPoolUser,
    reason?: string,
  ): Promise<GpuRequest> {
    return auditedChange(this.options, 'request-release', id, user, () =>
      this.releaseAudited(id, user, reason),
    );
  }

  private async releaseAudited(
    id: string,
    user: GpuPoolUser,
    reason?: string,
  ): Promise<GpuRequest> {
    const row = await this.options.store.read.getRequest(id);
    if (!row) throw new NotFoundError(`GPU request ${id} not found`);
    assertMayManage(row, user);
    const changes = await this.end(
      id,
      'released',
      user.userEntityRef,
      reason ?? formatReason('releasedByOwner', {}),
    );
    if (changes === undefined) {
      throw new ConflictError(
        `GPU request ${id} is ${row.status} and cannot be released`,
      );
    }
    this.options.changes.emit(changes);
    return this.options.reads.getRequest(id);
  }

  /**
   * Releases a lease on the portal's own decision (e.g. idle reclaim), with
   * the reason recorded on the request's timeline and in the audit. Returns
   * the request, or undefined when it had already ended.
   */
  async releaseBySystem(
    id: string,
    reason: string,
  ): Promise<GpuRequest | undefined> {
    const changes = await this.end(id, 'released', SYSTEM_ACTOR, reason);
    if (!changes) return undefined;
    await this.auditSystem('request-release', changes[0].request, { reason });
    this.options.changes.emit(changes);
    return this.options.reads.getRequest(id);
  }

  /**
   * Ends a request (released, expired, failed): releases its grants, marks
   * the quota for withdrawal and lets the queue advance. Returns undefined
   * when the request had already ended.
   */
  async end(
    id: string,
    to: 'released' | 'expired' | 'failed',
    actor: string,
    reason: string,
  ): Promise<GpuPoolChange[] | undefined> {
    const capacities = await this.options.capacity.getCapacities();
    const at = this.now;
    return this.options.store.transaction(async tx => {
      await tx.lockPools();
      // The reconciler and the lease clock move requests between holding
      // states without the pool lock (active, expiring): retry on the status
      // they left, so that grants are never released under a stale status.
      let row = await mustGetRequest(tx, id);
      let holding = false;
      for (let attempt = 0; ; attempt++) {
        if (finalStatuses.includes(row.status)) return undefined;
        holding = holdingStatuses.includes(row.status);
        const changed = await tx.changeStatus(id, row.status, to, {
          actor,
          reason,
          at,
          patch: { cleanupPending: holding },
        });
        if (changed) break;
        if (attempt === 4) {
          throw new ConflictError(
            `GPU request ${id} changed status while it was being ${to}`,
          );
        }
        row = await mustGetRequest(tx, id);
      }
      await tx.releaseGrants(id, at);
      await tx.releaseClaimIfUnused(row.cluster, row.namespace);
      const out: GpuPoolChange[] = [
        {
          request: { ...row, status: to, cleanupPending: holding },
          from: row.status,
          to,
        },
      ];
      if (row.gpus.length) {
        out.push(...(await this.options.admission.admit(tx, capacities, at)));
      }
      return out;
    });
  }

  // ---- used by the reconciler and the lease clock ----------------------------

  /** provisioning → active once the cluster objects exist. */
  async markActive(id: string, reason: string) {
    const at = this.now;
    const row = await this.options.store.read.getRequest(id);
    if (!row) return;
    const ok = await this.options.store.transaction(tx =>
      tx.changeStatus(id, 'provisioning', 'active', {
        actor: SYSTEM_ACTOR,
        reason,
        at,
        patch: { lastError: undefined },
      }),
    );
    if (ok)
      this.options.changes.emit([
        {
          request: { ...row, status: 'active' },
          from: 'provisioning',
          to: 'active',
        },
      ]);
  }

  /** Records why provisioning is not done yet (the request stays provisioning). */
  async recordError(id: string, message: string) {
    await this.options.store.read.patchRequest(
      id,
      { lastError: message },
      this.now,
    );
  }

  async markFailed(id: string, message: string) {
    const changes = await this.end(id, 'failed', SYSTEM_ACTOR, message);
    if (changes) {
      await this.auditSystem('request-fail', changes[0].request, {
        reason: message,
      });
      this.options.changes.emit(changes);
    }
  }

  /** Audits a change the service made on its own (no user). */
  async auditSystem(
    eventId: string,
    row: RequestRow,
    meta: { reason: string },
  ) {
    await this.options.audit.succeeded(
      {
        eventId,
        actor: SYSTEM_ACTOR,
        target: {
          requestId: row.id,
          team: row.team,
          cluster: row.cluster,
          namespace: row.namespace,
        },
      },
      { status: row.status, reason: meta.reason },
    );
  }

  /** The quota of an ended request has been withdrawn. */
  async markCleanedUp(id: string) {
    await this.options.store.read.patchRequest(
      id,
      { cleanupPending: false },
      this.now,
    );
  }

  /**
   * The lease clock: expires leases, warns owners before expiry, lets the
   * queue advance when capacity grew, and samples allocation.
   */
  async processLeases(): Promise<void> {
    const now = this.now;
    const read = this.options.store.read;
    const holding = await read.listRequests({ statuses: [...holdingStatuses] });
    for (const row of holding) {
      if (row.expiresAt !== undefined && row.expiresAt <= now) {
        const reason = formatReason('leaseEnded', {});
        const changes = await this.end(row.id, 'expired', SYSTEM_ACTOR, reason);
        if (changes) {
          await this.auditSystem('lease-expire', changes[0].request, {
            reason,
          });
          this.options.changes.emit(changes);
        }
      } else if (
        row.status === 'active' &&
        row.expiresAt !== undefined &&
        row.notifiedAt === undefined &&
        row.expiresAt - this.options.config.notifyBeforeExpiryMs <= now
      ) {
        const ok = await this.options.store.transaction(tx =>
          tx.changeStatus(row.id, 'active', 'expiring', {
            actor: SYSTEM_ACTOR,
            reason: formatReason('leaseEndsAt', {
              at: new Date(row.expiresAt!).toISOString(),
            }),
            at: now,
            patch: { notifiedAt: now },
          }),
        );
        if (ok) {
          await this.auditSystem(
            'lease-expiring',
            { ...row, status: 'expiring' },
            { reason: 'owners notified before expiry' },
          );
          this.options.changes.emit([
            {
              request: { ...row, status: 'expiring' },
              from: 'active',
              to: 'expiring',
            },
          ]);
        }
      }
    }
    const capacities = await this.options.capacity.getCapacities({
      maxAgeMs: 0,
    });
    const admitted = await this.options.store.transaction(tx =>
      this.options.admission.admit(tx, capacities, now),
    );
    this.options.changes.emit(admitted);
    await this.options.summaries.sample(capacities, now);
  }
}
