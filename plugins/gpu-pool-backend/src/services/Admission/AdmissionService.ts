import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  GpuRequest,
  GpuRequestStatus,
  holdingStatuses,
  ParsedCreateGpuRequest,
  formatReason,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import {
  GpuPoolStore,
  GpuPoolTx,
  RequestRow,
} from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import {
  CapacityService,
  grantable,
  PoolCapacity,
} from '../Capacity/CapacityService';
import { auditedChange } from '../GpuPool/auditedChange';
import { GpuPoolChange, GpuPoolChanges } from '../GpuPool/changes';
import {
  computeAbove,
  computeAllowance,
  computeOf,
  sumCompute,
} from '../GpuPool/compute';
import { queueOrder } from '../GpuPool/queueOrder';
import { mustGetRequest, RequestReads } from '../GpuPool/RequestReads';
import { Clock, GpuPoolUser, SYSTEM_ACTOR } from '../GpuPool/types';
import { RequestValidation, targetOf } from '../Validation/RequestValidation';

/**
 * Admission and the queue: policy (allowances) on create, the platform
 * team's decisions, and admission of queued requests in queue order inside
 * the transaction that holds the pool locks.
 */
export class AdmissionService {
  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      config: GpuPoolConfig;
      capacity: CapacityService;
      validation: RequestValidation;
      reads: RequestReads;
      changes: GpuPoolChanges;
      logger: LoggerService;
      audit: GpuPoolAudit;
      clock: Clock;
    },
  ) {}

  static create(options: {
    store: GpuPoolStore;
    config: GpuPoolConfig;
    capacity: CapacityService;
    validation: RequestValidation;
    reads: RequestReads;
    changes: GpuPoolChanges;
    logger: LoggerService;
    audit: GpuPoolAudit;
    clock: Clock;
  }) {
    return new AdmissionService(options);
  }

  private allowance(team: string, pool: string) {
    return this.options.config.allowances.get(team)?.get(pool) ?? 0;
  }

  async createRequest(
    id: string,
    body: unknown,
    user: GpuPoolUser,
  ): Promise<GpuRequest> {
    const target = targetOf(body);
    return this.options.audit.run(
      {
        eventId: 'request-create',
        actor: user.userEntityRef,
        target: { requestId: id, ...target },
        request: user.httpRequest,
      },
      () => this.createRequestAudited(id, body, user),
      r => ({ status: r.status, adoptsNamespace: r.adoptsNamespace }),
    );
  }

  private async createRequestAudited(
    id: string,
    body: unknown,
    user: GpuPoolUser,
  ): Promise<GpuRequest> {
    const {
      body: req,
      durationMs,
      priority,
      ownership,
    } = await this.options.validation.validate(body, user);
    const capacities = req.gpus.length
      ? await this.options.capacity.getCapacities()
      : new Map();
    const at = this.options.clock.now();
    const adopts = ownership.kind === 'adopt';
    const changes = await this.options.store.transaction(async tx => {
      await tx.lockPools();
      // The claim is taken here, under the same lock as allocation.
      await tx.claimNamespace({
        cluster: req.cluster,
        namespace: req.namespace,
        team: req.team,
        requestId: id,
        at,
      });
      if (req.gpus.length === 0) {
        const open = await tx.countOpenNamespaceOnly(req.team);
        if (open >= this.options.config.namespaceMaxPerTeam) {
          throw new ConflictError(
            `${req.team} already has ${open} open namespace-only requests, the most a team may have (${this.options.config.namespaceMaxPerTeam}); release one first`,
          );
        }
      }
      const usage = await this.usage(tx, req.team);
      const over = req.gpus.filter(
        g =>
          (usage.get(g.pool) ?? 0) + g.count > this.allowance(req.team, g.pool),
      );
      const computeOver = computeAbove(
        await this.computeUsage(tx, req.team),
        computeOf(req),
        computeAllowance(this.options.config, req.team),
      );
      if ((over.length > 0 || computeOver) && !req.justification.trim()) {
        throw new InputError(
          `justification: required, because the request is above the allowance of ${
            req.team
          } in ${over.length ? `pool ${over[0].pool}` : computeOver}`,
        );
      }
      const status: GpuRequestStatus =
        over.length || computeOver || adopts ? 'pending-approval' : 'queued';
      const row: RequestRow = {
        id,
        team: req.team,
        cluster: req.cluster,
        namespace: req.namespace,
        gpus: req.gpus,
        cpu: req.cpu,
        memory: req.memory,
        duration: req.duration,
        durationMs,
        justification: req.justification,
        ephemeral: req.ephemeral,
        priority,
        adoptsNamespace: adopts,
        createdNamespace: false,
        status,
        requestedBy: user.userEntityRef,
        createdAt: at,
        updatedAt: at,
        cleanupPending: false,
      };
      await tx.insertRequest(row, {
        to: status,
        actor: user.userEntityRef,
        reason: this.creationReason(req, over, computeOver, adopts),
        at: new Date(at).toISOString(),
      });
      const out: GpuPoolChange[] = [{ request: row, to: status }];
      if (status === 'queued') {
        out.push(...(await this.admit(tx, capacities, at)));
      }
      return out;
    });
    this.options.logger.info(`GPU request ${id} created: ${changes[0].to}`, {
      requestId: id,
      team: req.team,
      cluster: req.cluster,
      namespace: req.namespace,
    });
    this.options.changes.emit(changes);
    return this.options.reads.getRequest(id);
  }

  private creationReason(
    req: ParsedCreateGpuRequest,
    over: Array<{ pool: string }>,
    computeOver: string | undefined,
    adopts: boolean,
  ) {
    if (over.length) {
      const pools = over.map(
        g => `${g.pool} (${this.allowance(req.team, g.pool)})`,
      );
      return formatReason('createdAboveAllowancePools', {
        team: req.team,
        pools: pools.join(', '),
      });
    }
    if (computeOver) {
      return formatReason('createdAboveAllowanceCompute', {
        team: req.team,
        resource: computeOver,
      });
    }
    if (adopts) {
      return formatReason('createdAdoptsNamespace', {
        namespace: req.namespace,
      });
    }
    return formatReason(
      req.gpus.length ? 'createdWithinAllowance' : 'createdWithoutGpus',
      {},
    );
  }

  /** GPUs a team holds or has approved in the queue, per pool. */
  async usage(tx: GpuPoolTx, team: string) {
    const usage = new Map<string, number>();
    for (const h of await tx.holdings()) {
      if (h.team === team)
        usage.set(h.pool, (usage.get(h.pool) ?? 0) + h.count);
    }
    for (const r of await tx.listRequests({
      statuses: ['queued'],
      teams: [team],
    })) {
      for (const g of r.gpus)
        usage.set(g.pool, (usage.get(g.pool) ?? 0) + g.count);
    }
    return usage;
  }

  /** Whether the team's usage in any of these pools is above its allowance. */
  overAllowance(usage: Map<string, number>, team: string, pools: string[]) {
    return pools.find(p => (usage.get(p) ?? 0) > this.allowance(team, p));
  }

  /** CPU and memory a team holds or has approved in the queue. */
  async computeUsage(tx: GpuPoolTx, team: string) {
    return sumCompute(
      await tx.listRequests({
        statuses: ['queued', ...holdingStatuses],
        teams: [team],
      }),
    );
  }

  /**
   * Admits queued requests in queue order while they fit. Must run in a
   * transaction that holds the pool locks. A request that does not fit
   * blocks its pools for those behind it, so nobody overtakes.
   */
  async admit(
    tx: GpuPoolTx,
    capacities: Map<string, PoolCapacity>,
    at: number,
  ): Promise<GpuPoolChange[]> {
    const stored = await tx.lockPools();
    for (const [pool, cap] of capacities) {
      if (cap.live && stored.get(pool) !== cap.capacity) {
        await tx.setCapacity(pool, cap.capacity, at);
      }
    }
    // Never grant GPUs that pods outside any grant physically hold.
    const capacity = (pool: string) =>
      grantable(capacities.get(pool)) ?? stored.get(pool) ?? 0;
    const allocated = new Map<string, number>();
    for (const h of await tx.holdings()) {
      allocated.set(h.pool, (allocated.get(h.pool) ?? 0) + h.count);
    }
    const blocked = new Map<string, string>();
    const changes: GpuPoolChange[] = [];
    for (const row of queueOrder(
      await tx.listRequests({ statuses: ['queued'] }),
    )) {
      const pools = row.gpus.map(g => g.pool);
      const behind = pools.find(p => blocked.has(p));
      const short = row.gpus.find(
        g => (allocated.get(g.pool) ?? 0) + g.count > capacity(g.pool),
      );
      if (behind || short) {
        // A queued request never waits silently: its reason says for what.
        const why = behind
          ? formatReason('waitsBehind', {
              request: String(blocked.get(behind)),
              pool: behind,
            })
          : waitReason(
              short!,
              capacities.get(short!.pool),
              allocated.get(short!.pool) ?? 0,
              capacity(short!.pool),
            );
        if (row.lastError !== why) {
          await tx.patchRequest(row.id, { lastError: why }, at);
        }
        for (const p of pools) if (!blocked.has(p)) blocked.set(p, row.id);
        continue;
      }
      const expiresAt = row.durationMs ? at + row.durationMs : undefined;
      const ok = await tx.changeStatus(row.id, 'queued', 'provisioning', {
        actor: SYSTEM_ACTOR,
        reason: row.gpus.length
          ? formatReason('gpusAllocated', {
              gpus: row.gpus.map(g => `${g.count} × ${g.pool}`).join(', '),
            })
          : formatReason('namespaceApproved', {}),
        at,
        patch: { grantedAt: at, expiresAt, lastError: undefined },
      });
      if (!ok) continue;
      await tx.insertGrants(row, at);
      for (const g of row.gpus) {
        allocated.set(g.pool, (allocated.get(g.pool) ?? 0) + g.count);
      }
      changes.push({
        request: { ...row, status: 'provisioning', grantedAt: at, expiresAt },
        from: 'queued',
        to: 'provisioning',
      });
    }
    return changes;
  }

  // ---- the platform team's decisions -------------------------------------

  async approve(id: string, user: GpuPoolUser, reason?: string) {
    return auditedChange(this.options, 'request-approve', id, user, () =>
      this.decide(id, user, 'queued', reason),
    );
  }

  async reject(id: string, user: GpuPoolUser, reason?: string) {
    return auditedChange(this.options, 'request-reject', id, user, () =>
      this.decide(id, user, 'rejected', reason),
    );
  }

  private async decide(
    id: string,
    user: GpuPoolUser,
    to: 'queued' | 'rejected',
    reason?: string,
  ): Promise<GpuRequest> {
    if (!user.isPlatformTeam) {
      throw new NotAllowedError(
        'Only the platform team approves or rejects GPU requests',
      );
    }
    const current = await this.options.store.read.getRequest(id);
    if (!current) throw new NotFoundError(`GPU request ${id} not found`);
    if (current.requestedBy === user.userEntityRef) {
      throw new NotAllowedError('Nobody approves or rejects their own request');
    }
    const capacities = current.gpus.length
      ? await this.options.capacity.getCapacities()
      : new Map();
    const at = this.options.clock.now();
    const changes = await this.options.store.transaction(async tx => {
      await tx.lockPools();
      const row = await mustGetRequest(tx, id);
      const ok = await tx.changeStatus(id, 'pending-approval', to, {
        actor: user.userEntityRef,
        reason:
          reason ??
          formatReason(
            to === 'queued'
              ? 'approvedByPlatformTeam'
              : 'rejectedByPlatformTeam',
            {},
          ),
        at,
        patch: { decidedBy: user.userEntityRef },
      });
      if (!ok) {
        throw new ConflictError(
          `GPU request ${id} is ${row.status}, not pending-approval`,
        );
      }
      const out: GpuPoolChange[] = [
        { request: { ...row, status: to }, from: 'pending-approval', to },
      ];
      if (to === 'queued') out.push(...(await this.admit(tx, capacities, at)));
      else await tx.releaseClaimIfUnused(row.cluster, row.namespace);
      return out;
    });
    this.options.changes.emit(changes);
    return this.options.reads.getRequest(id);
  }
}

/** Why a queued request's GPUs do not fit its pool now. */
function waitReason(
  need: { pool: string; count: number },
  cap: PoolCapacity | undefined,
  allocated: number,
  grantableNow: number,
) {
  const params = {
    pool: need.pool,
    free: Math.max(0, grantableNow - allocated),
    capacity: cap?.capacity ?? grantableNow,
    granted: allocated,
    needed: need.count,
  };
  const stale = cap !== undefined && !cap.live;
  if (cap?.outsideGrants) {
    return formatReason(
      stale ? 'waitsForGpusOutsideStale' : 'waitsForGpusOutside',
      { ...params, outside: cap.outsideGrants },
    );
  }
  return formatReason(stale ? 'waitsForGpusStale' : 'waitsForGpus', params);
}
