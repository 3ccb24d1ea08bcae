import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import {
  createGpuRequestSchema,
  describeZodError,
  extendGpuRequestSchema,
  finalStatuses,
  formatDuration,
  GpuPoolAuditVerification,
  GpuPoolSummary,
  GpuRequest,
  GpuRequestStatus,
  holdingStatuses,
  parseDuration,
  ParsedCreateGpuRequest,
} from '@internal/plugin-gpu-pool-common';
import { randomUUID } from 'node:crypto';
import { GpuPoolConfig, PoolConfig } from '../../config/readGpuPoolConfig';
import {
  GpuPoolStore,
  GpuPoolTx,
  RequestRow,
} from '../../database/GpuPoolStore';
import {
  CapacityService,
  GPU_POOL_FIELD_MANAGER,
  PoolCapacity,
} from '../Capacity/CapacityService';
import { queueOrder, queuePositions } from './queueOrder';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import {
  assertNotProtected,
  ownershipForRequest,
  readNamespaceFacts,
  RequestOwnership,
} from '../Namespaces/namespaceOwnership';
import {
  assertComputePerRequest,
  computeAbove,
  computeAllowance,
  computeOf,
  sumCompute,
} from './compute';
import {
  Clock,
  GpuPoolService,
  GpuPoolUser,
  SYSTEM_ACTOR,
  systemClock,
} from './types';

export { OWNER_LABEL } from '../Namespaces/namespaceOwnership';

/** What changed, for signals, notifications and the reconciler. */
export interface GpuPoolChange {
  request: RequestRow;
  from?: GpuRequestStatus;
  to: GpuRequestStatus;
}

type ChangeListener = (changes: GpuPoolChange[]) => void;

interface Validated {
  body: ParsedCreateGpuRequest;
  pools: PoolConfig[];
  durationMs: number;
  priority: number;
  ownership: RequestOwnership;
}

const MAX_LIST = 500;

/**
 * The GPU pool: validation against config and cluster, policy (allowances),
 * allocation in a database transaction, the queue, and leases.
 */
export class DefaultGpuPoolService implements GpuPoolService {
  private readonly listeners: ChangeListener[] = [];
  private readonly lastSample = new Map<string, { at: number; key: string }>();

  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      config: GpuPoolConfig;
      capacity: CapacityService;
      kubernetes: KubernetesAccess;
      logger: LoggerService;
      audit: GpuPoolAudit;
      clock: Clock;
    },
  ) {}

  static async create(options: {
    store: GpuPoolStore;
    config: GpuPoolConfig;
    capacity: CapacityService;
    /**
     * Namespace ownership is read from the cluster before a request is
     * stored; when it cannot be read the request is refused.
     */
    kubernetes: KubernetesAccess;
    logger: LoggerService;
    /** Audits every state change; without it nothing is sent to an auditor. */
    audit?: GpuPoolAudit;
    clock?: Clock;
  }): Promise<DefaultGpuPoolService> {
    await options.store.transaction(tx =>
      tx.ensurePools(options.config.pools.map(p => p.id)),
    );
    return new DefaultGpuPoolService({
      clock: systemClock,
      ...options,
      audit: options.audit ?? GpuPoolAudit.create({ logger: options.logger }),
    });
  }

  /** The audit of state changes, shared with the reconciler. */
  get audit() {
    return this.options.audit;
  }

  /** Called after every committed change. */
  onChange(listener: ChangeListener) {
    this.listeners.push(listener);
  }

  private emit(changes: GpuPoolChange[]) {
    if (changes.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        this.options.logger.warn(`GPU pool change listener failed: ${error}`);
      }
    }
  }

  private get now() {
    return this.options.clock.now();
  }

  private pool(id: string) {
    return this.options.config.pools.find(p => p.id === id);
  }

  private allowance(team: string, pool: string) {
    return this.options.config.allowances.get(team)?.get(pool) ?? 0;
  }

  // ---- pools ------------------------------------------------------------

  async listPools(options?: { historyMs?: number }): Promise<GpuPoolSummary[]> {
    const capacities = await this.capacities();
    const read = this.options.store.read;
    const [holdings, queued] = await Promise.all([
      read.holdings(),
      read.listRequests({ statuses: ['queued'] }),
    ]);
    const samples =
      options?.historyMs !== undefined
        ? await read.samples(this.now - options.historyMs)
        : undefined;
    return this.options.config.pools.map(pool => {
      const cap = capacities.get(pool.id) ?? { capacity: 0, live: false };
      const allocated = holdings
        .filter(h => h.pool === pool.id)
        .reduce((sum, h) => sum + h.count, 0);
      const usage: Record<string, number> = {};
      for (const h of holdings.filter(x => x.pool === pool.id)) {
        usage[h.team] = (usage[h.team] ?? 0) + h.count;
      }
      let queuedCount = 0;
      for (const r of queued) {
        for (const g of r.gpus.filter(x => x.pool === pool.id)) {
          queuedCount += g.count;
          usage[r.team] = (usage[r.team] ?? 0) + g.count;
        }
      }
      const allowances: Record<string, number> = {};
      for (const [team, perPool] of this.options.config.allowances) {
        if (perPool.has(pool.id)) allowances[team] = perPool.get(pool.id)!;
      }
      return {
        id: pool.id,
        cluster: pool.cluster,
        title: pool.title,
        resource: pool.resource,
        model: pool.product ?? pool.resource.replace(/^nvidia\.com\//, ''),
        capacity: cap.capacity,
        allocated,
        available: Math.max(0, cap.capacity - allocated),
        queued: queuedCount,
        reserve: pool.reserve,
        maxPerRequest: pool.maxPerRequest ?? cap.capacity,
        maxDuration: pool.maxDuration,
        defaultDuration: pool.defaultDuration,
        allowances,
        usage,
        live: cap.live,
        history: samples
          ?.filter(s => s.pool === pool.id)
          .map(s => ({
            at: new Date(s.at).toISOString(),
            allocated: s.allocated,
            capacity: s.capacity,
            queued: s.queued,
          })),
      };
    });
  }

  private async capacities(): Promise<Map<string, PoolCapacity>> {
    return this.options.capacity.getCapacities();
  }

  // ---- create -----------------------------------------------------------

  async validateCreate(body: unknown, user: GpuPoolUser): Promise<void> {
    try {
      await this.validate(body, user);
    } catch (error) {
      // A refused request is an attempted change: audited with its reason.
      await this.options.audit.refused(
        {
          eventId: 'request-create',
          actor: user.userEntityRef,
          target: targetOf(body),
          request: user.httpRequest,
        },
        error as Error,
      );
      throw error;
    }
  }

  private async validate(body: unknown, user: GpuPoolUser): Promise<Validated> {
    const parsed = createGpuRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new InputError(describeZodError(parsed.error));
    }
    const req = parsed.data;
    req.team = req.team.toLocaleLowerCase('en-US');
    if (req.priority !== undefined && !user.isPlatformTeam) {
      throw new InputError(
        'priority: only the platform team sets the queue priority',
      );
    }
    if (!user.ownershipEntityRefs.includes(req.team) && !user.isPlatformTeam) {
      throw new InputError(`team: you are not a member of ${req.team}`);
    }
    const clusters = this.options.kubernetes.listClusters().map(c => c.name);
    if (!clusters.includes(req.cluster)) {
      throw new InputError(`cluster: "${req.cluster}" is not a known cluster`);
    }
    assertNotProtected(req.namespace, this.options.config.protectedNamespaces);
    assertComputePerRequest(req, this.options.config);
    const capacities = req.gpus.length ? await this.capacities() : new Map();
    const pools: PoolConfig[] = [];
    for (const [i, g] of req.gpus.entries()) {
      const pool = this.pool(g.pool);
      if (!pool || pool.cluster !== req.cluster) {
        throw new InputError(
          `gpus[${i}].pool: "${g.pool}" is not a pool of cluster ${req.cluster}`,
        );
      }
      const max = pool.maxPerRequest ?? capacities.get(pool.id)?.capacity ?? 0;
      if (g.count > max) {
        throw new InputError(
          `gpus[${i}].count: ${g.count} is more than the most one request may have in pool ${pool.id} (${max})`,
        );
      }
      pools.push(pool);
    }
    // Namespace-only requests expire too, within their own maximum.
    const maxMs = pools.length
      ? Math.min(...pools.map(p => p.maxDurationMs))
      : this.options.config.namespaceMaxDurationMs;
    let durationMs = this.options.config.namespaceDefaultDurationMs;
    if (req.duration) durationMs = parseDuration(req.duration)!;
    else if (pools.length) {
      durationMs = Math.min(...pools.map(p => p.defaultDurationMs));
    }
    if (durationMs > maxMs) {
      throw new InputError(
        `duration: ${req.duration} is longer than the maximum ${formatDuration(
          maxMs,
        )}`,
      );
    }
    req.duration = formatDuration(durationMs);
    const ownership = await this.checkNamespaceOwner(req);
    return {
      body: req,
      pools,
      durationMs,
      priority: req.priority ?? 0,
      ownership,
    };
  }

  /**
   * Reads the namespace in the cluster. Verified or refused: when the
   * cluster cannot answer, the request is refused with a 503 naming it.
   */
  private async checkNamespaceOwner(
    req: ParsedCreateGpuRequest,
  ): Promise<RequestOwnership> {
    // Early answer from the claims; the transaction decides races.
    const claim = await this.options.store.read.getClaim(
      req.cluster,
      req.namespace,
    );
    if (claim && claim.team !== req.team) {
      throw new ConflictError(
        `namespace: "${req.namespace}" on ${req.cluster} is claimed by ${claim.team}`,
      );
    }
    const facts = await readNamespaceFacts(
      this.options.kubernetes.forCluster(req.cluster, {
        fieldManager: GPU_POOL_FIELD_MANAGER,
        // The request waits for this answer (no answer: 503), so give a busy
        // API server time; still bounded.
        timeoutMs: 10_000,
      }),
      req.cluster,
      req.namespace,
    );
    return ownershipForRequest(facts, req.team, req.namespace);
  }

  async createRequest(body: unknown, user: GpuPoolUser): Promise<GpuRequest> {
    const id = randomUUID();
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
    } = await this.validate(body, user);
    const capacities = req.gpus.length ? await this.capacities() : new Map();
    const at = this.now;
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
    this.emit(changes);
    return this.getRequest(id);
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
      return `above the allowance of ${req.team} in pool ${pools.join(
        ', ',
      )}: waits for the platform team`;
    }
    if (computeOver) {
      return `above the allowance of ${req.team} in ${computeOver}: waits for the platform team`;
    }
    if (adopts) {
      return `namespace ${req.namespace} exists and was not created by the portal: adopting it waits for the platform team`;
    }
    return req.gpus.length
      ? 'within the allowance: approved automatically'
      : 'namespace without GPUs: approved automatically';
  }

  /** GPUs a team holds or has approved in the queue, per pool. */
  private async usage(tx: GpuPoolTx, team: string) {
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

  /** CPU and memory a team holds or has approved in the queue. */
  private async computeUsage(tx: GpuPoolTx, team: string) {
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
  private async admit(
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
    const capacity = (pool: string) =>
      capacities.get(pool)?.capacity ?? stored.get(pool) ?? 0;
    const allocated = new Map<string, number>();
    for (const h of await tx.holdings()) {
      allocated.set(h.pool, (allocated.get(h.pool) ?? 0) + h.count);
    }
    const blocked = new Set<string>();
    const changes: GpuPoolChange[] = [];
    for (const row of queueOrder(
      await tx.listRequests({ statuses: ['queued'] }),
    )) {
      const pools = row.gpus.map(g => g.pool);
      const fits =
        !pools.some(p => blocked.has(p)) &&
        row.gpus.every(
          g => (allocated.get(g.pool) ?? 0) + g.count <= capacity(g.pool),
        );
      if (!fits) {
        pools.forEach(p => blocked.add(p));
        continue;
      }
      const expiresAt = row.durationMs ? at + row.durationMs : undefined;
      const ok = await tx.changeStatus(row.id, 'queued', 'provisioning', {
        actor: SYSTEM_ACTOR,
        reason: row.gpus.length
          ? `GPUs allocated: ${row.gpus
              .map(g => `${g.count} × ${g.pool}`)
              .join(', ')}`
          : 'namespace approved',
        at,
        patch: { grantedAt: at, expiresAt },
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

  // ---- reads ------------------------------------------------------------

  async listRequests(options: {
    scope: 'mine' | 'team' | 'all';
    statuses?: GpuRequestStatus[];
    user: GpuPoolUser;
  }): Promise<GpuRequest[]> {
    const read = this.options.store.read;
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
    return rows.map(r => this.toApi(r, positions));
  }

  async getRequest(id: string): Promise<GpuRequest> {
    const read = this.options.store.read;
    const row = await read.getRequest(id);
    if (!row) {
      throw new NotFoundError(`GPU request ${id} not found`);
    }
    const positions =
      row.status === 'queued'
        ? queuePositions(await read.listRequests({ statuses: ['queued'] }))
        : new Map();
    return { ...this.toApi(row, positions), history: await read.history(id) };
  }

  private toApi(row: RequestRow, positions: Map<string, number>): GpuRequest {
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

  private async mustGet(tx: GpuPoolTx, id: string) {
    const row = await tx.getRequest(id);
    if (!row) throw new NotFoundError(`GPU request ${id} not found`);
    return row;
  }

  private assertMayManage(row: RequestRow, user: GpuPoolUser) {
    if (!user.isPlatformTeam && !user.ownershipEntityRefs.includes(row.team)) {
      throw new NotAllowedError(
        `Only members of ${row.team} or the platform team may change this request`,
      );
    }
  }

  // ---- decisions ----------------------------------------------------------

  async approve(id: string, user: GpuPoolUser, reason?: string) {
    return this.audited('request-approve', id, user, () =>
      this.decide(id, user, 'queued', reason),
    );
  }

  async reject(id: string, user: GpuPoolUser, reason?: string) {
    return this.audited('request-reject', id, user, () =>
      this.decide(id, user, 'rejected', reason),
    );
  }

  /** Runs a user's change of an existing request as an audited event. */
  private async audited(
    eventId: string,
    id: string,
    user: GpuPoolUser,
    fn: () => Promise<GpuRequest>,
  ): Promise<GpuRequest> {
    const row = await this.options.store.read.getRequest(id);
    return this.options.audit.run(
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
      ? await this.capacities()
      : new Map();
    const at = this.now;
    const changes = await this.options.store.transaction(async tx => {
      await tx.lockPools();
      const row = await this.mustGet(tx, id);
      const ok = await tx.changeStatus(id, 'pending-approval', to, {
        actor: user.userEntityRef,
        reason:
          reason ??
          (to === 'queued'
            ? 'approved by the platform team'
            : 'rejected by the platform team'),
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
    this.emit(changes);
    return this.getRequest(id);
  }

  async extend(
    id: string,
    user: GpuPoolUser,
    body: unknown,
  ): Promise<GpuRequest> {
    return this.audited('request-extend', id, user, () =>
      this.extendAudited(id, user, body),
    );
  }

  private async extendAudited(
    id: string,
    user: GpuPoolUser,
    body: unknown,
  ): Promise<GpuRequest> {
    const parsed = extendGpuRequestSchema.safeParse(body ?? {});
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    const addMs = parseDuration(parsed.data.duration)!;
    const at = this.now;
    const changes = await this.options.store.transaction(async tx => {
      await tx.lockPools();
      const row = await this.mustGet(tx, id);
      this.assertMayManage(row, user);
      if (
        !['provisioning', 'active', 'expiring'].includes(row.status) ||
        !row.expiresAt
      ) {
        throw new ConflictError(
          `GPU request ${id} is ${row.status} and cannot be extended`,
        );
      }
      const pools = row.gpus
        .map(g => this.pool(g.pool))
        .filter(Boolean) as PoolConfig[];
      const expiresAt = row.expiresAt + addMs;
      const maxMs = pools.length
        ? Math.min(...pools.map(p => p.maxDurationMs))
        : this.options.config.namespaceMaxDurationMs;
      if (expiresAt - (row.grantedAt ?? at) > maxMs) {
        throw new InputError(
          `duration: the lease would last longer than the maximum ${formatDuration(
            maxMs,
          )}`,
        );
      }
      // Policy again: above the allowance only the platform team extends.
      const usage = await this.usage(tx, row.team);
      const over = row.gpus.find(
        g => (usage.get(g.pool) ?? 0) > this.allowance(row.team, g.pool),
      );
      if (over && !user.isPlatformTeam) {
        throw new NotAllowedError(
          `${row.team} holds more than its allowance in pool ${over.pool}: ask the platform team to extend`,
        );
      }
      const computeOver = computeAbove(
        await this.computeUsage(tx, row.team),
        { cpu: 0, memory: 0 },
        computeAllowance(this.options.config, row.team),
      );
      if (computeOver && !user.isPlatformTeam) {
        throw new NotAllowedError(
          `${row.team} holds more than its allowance in ${computeOver}: ask the platform team to extend`,
        );
      }
      const reason = `extended by ${parsed.data.duration}${
        parsed.data.justification ? `: ${parsed.data.justification}` : ''
      }`;
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
    this.emit(changes);
    return this.getRequest(id);
  }

  async release(
    id: string,
    user: GpuPoolUser,
    reason?: string,
  ): Promise<GpuRequest> {
    return this.audited('request-release', id, user, () =>
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
    this.assertMayManage(row, user);
    const changes = await this.end(
      id,
      'released',
      user.userEntityRef,
      reason ?? 'released by the owner',
    );
    if (changes === undefined) {
      throw new ConflictError(
        `GPU request ${id} is ${row.status} and cannot be released`,
      );
    }
    this.emit(changes);
    return this.getRequest(id);
  }

  /**
   * Ends a request (released, expired, failed): releases its grants, marks
   * the quota for withdrawal and lets the queue advance. Returns undefined
   * when the request had already ended.
   */
  private async end(
    id: string,
    to: 'released' | 'expired' | 'failed',
    actor: string,
    reason: string,
  ): Promise<GpuPoolChange[] | undefined> {
    const capacities = await this.capacities();
    const at = this.now;
    return this.options.store.transaction(async tx => {
      await tx.lockPools();
      // The reconciler and the lease clock move requests between holding
      // states without the pool lock (active, expiring): retry on the status
      // they left, so that grants are never released under a stale status.
      let row = await this.mustGet(tx, id);
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
        row = await this.mustGet(tx, id);
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
      if (row.gpus.length) out.push(...(await this.admit(tx, capacities, at)));
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
      this.emit([
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
      this.emit(changes);
    }
  }

  private async auditSystem(
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
        const changes = await this.end(
          row.id,
          'expired',
          SYSTEM_ACTOR,
          'the lease ended',
        );
        if (changes) {
          await this.auditSystem('lease-expire', changes[0].request, {
            reason: 'the lease ended',
          });
          this.emit(changes);
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
            reason: `the lease ends at ${new Date(
              row.expiresAt!,
            ).toISOString()}`,
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
        }
        if (ok)
          this.emit([
            {
              request: { ...row, status: 'expiring' },
              from: 'active',
              to: 'expiring',
            },
          ]);
      }
    }
    const capacities = await this.options.capacity.getCapacities({
      maxAgeMs: 0,
    });
    const admitted = await this.options.store.transaction(tx =>
      this.admit(tx, capacities, now),
    );
    this.emit(admitted);
    await this.sample(capacities, now);
  }

  /** Records allocation per pool when it changed, at most every few minutes otherwise. */
  private async sample(capacities: Map<string, PoolCapacity>, at: number) {
    const read = this.options.store.read;
    const [holdings, queued] = await Promise.all([
      read.holdings(),
      read.listRequests({ statuses: ['queued'] }),
    ]);
    for (const pool of this.options.config.pools) {
      const capacity = capacities.get(pool.id)?.capacity ?? 0;
      const allocated = holdings
        .filter(h => h.pool === pool.id)
        .reduce((s, h) => s + h.count, 0);
      const q = queued
        .flatMap(r => r.gpus)
        .filter(g => g.pool === pool.id)
        .reduce((s, g) => s + g.count, 0);
      const key = `${capacity}/${allocated}/${q}`;
      const last = this.lastSample.get(pool.id);
      if (last && last.key === key && at - last.at < 5 * 60_000) continue;
      this.lastSample.set(pool.id, { at, key });
      await read.addSample({
        pool: pool.id,
        at,
        capacity,
        allocated,
        queued: q,
      });
    }
  }

  /** Checks the hash chain of the history (the platform team's). */
  async verifyAudit(user: GpuPoolUser): Promise<GpuPoolAuditVerification> {
    if (!user.isPlatformTeam) {
      throw new NotAllowedError('Only the platform team reads the audit trail');
    }
    return this.options.audit.run(
      {
        eventId: 'audit-verify',
        actor: user.userEntityRef,
        target: {},
        severityLevel: 'low',
        request: user.httpRequest,
      },
      () => this.options.store.verifyAuditChain(),
      r => ({
        ok: r.ok,
        checked: r.checked,
        ...(r.firstBrokenId !== undefined
          ? { firstBrokenId: r.firstBrokenId }
          : {}),
      }),
    );
  }

  /** For tests and benchmarks: the store. */
  get store() {
    return this.options.store;
  }
}

/** Whether an error means the cluster could not be reached. */
export function isUnavailable(error: unknown) {
  return (
    error instanceof ServiceUnavailableError ||
    (error as Error)?.name === 'ServiceUnavailableError'
  );
}

/** The target fields of a request body, for the audit of a create that may fail validation. */
function targetOf(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) =>
    typeof v === 'string' ? v.slice(0, 253) : undefined;
  return {
    team: str(b.team),
    cluster: str(b.cluster),
    namespace: str(b.namespace),
  };
}
