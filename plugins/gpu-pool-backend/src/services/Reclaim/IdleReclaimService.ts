import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  formatReason,
  GpuRequestStatus,
  IdleCheckOutcome,
  IdleReclaimStatus,
} from '@internal/plugin-gpu-pool-common';
import type { GpuMetrics } from '@internal/plugin-kubernetes-access-node';
import { GpuPoolStore, RequestRow } from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { NotificationLocale } from '../GpuPool/notificationMessages';
import { Clock, GpuPoolUser, systemClock } from '../GpuPool/types';
import {
  decideIdle,
  IdleDecision,
  IdleEvidence,
  IdlePolicy,
} from './decideIdle';
import { IdleReclaimSteps } from './IdleReclaimSteps';
import { IdleReleasePath } from './idleReleasePath';
import { leasePolicy } from './readIdleReclaimPolicies';
import { ReclaimRow, ReclaimStore } from './ReclaimStore';

export { RECLAIM_ACTOR, RECLAIMED_IDLE } from './IdleReclaimSteps';
export { gpuPoolReleasePath } from './idleReleasePath';
export type { IdleReleasePath } from './idleReleasePath';

/** Leases idle reclaim watches: granted and running. */
const WATCHED: GpuRequestStatus[] = ['active', 'expiring'];

/** What one run of the check did, for logs and tests. */
export interface IdleReclaimRun {
  checked: number;
  nudged: string[];
  reclaimed: string[];
  withdrawn: string[];
  /** Request ids per outcome that did not act, e.g. `no-metrics`. */
  untouched: Partial<Record<IdleCheckOutcome, string[]>>;
}

/**
 * Idle reclaim: checks every running lease of a pool with an `idleReclaim`
 * policy against its GPUs' activity, nudges the owners of an idle one, and
 * ends it through the GPU pool's release path after the grace. Owners keep
 * or release it; the platform team exempts it. Every step is audited and
 * written to the request's history (its timeline).
 */
export class IdleReclaimService {
  /** The last error of each cluster's metrics, for the log. */
  private readonly lastError = new Map<string, string>();
  private readonly steps: IdleReclaimSteps;

  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      reclaimStore: ReclaimStore;
      policies: Map<string, IdlePolicy>;
      metrics: GpuMetrics;
      release: IdleReleasePath;
      audit: GpuPoolAudit;
      logger: LoggerService;
      notifications?: NotificationService;
      locale?: NotificationLocale;
      clock: Clock;
    },
  ) {
    this.steps = IdleReclaimSteps.create(options);
  }

  static create(options: {
    store: GpuPoolStore;
    reclaimStore: ReclaimStore;
    /** Pool id → policy, from `readIdleReclaimPolicies`. */
    policies: Map<string, IdlePolicy>;
    metrics: GpuMetrics;
    release: IdleReleasePath;
    audit: GpuPoolAudit;
    logger: LoggerService;
    notifications?: NotificationService;
    /** The language and time zone of the notices (default Korean, Seoul). */
    locale?: NotificationLocale;
    clock?: Clock;
  }): IdleReclaimService {
    return new IdleReclaimService({ clock: systemClock, ...options });
  }

  private get now() {
    return this.options.clock.now();
  }

  private policyOf(row: RequestRow) {
    return leasePolicy(
      row.gpus.map(g => g.pool),
      this.options.policies,
    );
  }

  /** Reads the evidence for one lease. Never throws: failures are evidence missing. */
  private async evidence(
    row: RequestRow,
    policy: IdlePolicy,
  ): Promise<IdleEvidence> {
    const { metrics } = this.options;
    if (!metrics.isConfigured(row.cluster)) {
      return { kind: 'missing', reason: 'no-metrics' };
    }
    try {
      const gpus = await metrics.gpuActivity(row.cluster, {
        windowSeconds: Math.max(1, Math.round(policy.idleMinutes * 60)),
        namespace: row.namespace,
      });
      return { kind: 'activity', gpus };
    } catch (error) {
      this.lastError.set(row.cluster, String(error));
      return { kind: 'missing', reason: 'metrics-unavailable' };
    }
  }

  /** One pass over the running leases; the scheduler runs it on one replica at a time. */
  async runOnce(): Promise<IdleReclaimRun> {
    const run: IdleReclaimRun = {
      checked: 0,
      nudged: [],
      reclaimed: [],
      withdrawn: [],
      untouched: {},
    };
    const rows = await this.options.store.read.listRequests({
      statuses: WATCHED,
    });
    const states = new Map(
      (await this.options.reclaimStore.read.list(rows.map(r => r.id))).map(
        s => [s.requestId, s],
      ),
    );
    for (const row of rows) {
      const policy = this.policyOf(row);
      if (!policy || row.grantedAt === undefined) continue;
      run.checked += 1;
      try {
        await this.check(row, policy, states.get(row.id), run);
      } catch (error) {
        this.options.logger.error(
          `Idle reclaim of GPU request ${row.id} failed: ${error}`,
          { requestId: row.id, cluster: row.cluster, namespace: row.namespace },
        );
      }
    }
    return run;
  }

  private async check(
    row: RequestRow,
    policy: IdlePolicy,
    state: ReclaimRow | undefined,
    run: IdleReclaimRun,
  ) {
    const now = this.now;
    const evidence: IdleEvidence = state?.exemptAt
      ? { kind: 'activity', gpus: [] }
      : await this.evidence(row, policy);
    const decision = decideIdle(evidence, policy, now, {
      grantedAt: row.grantedAt!,
      nudgedAt: state?.nudgedAt,
      keptUntil: state?.keptUntil,
      exempt: state?.exemptAt !== undefined,
    });
    const outcome: IdleCheckOutcome =
      decision.action === 'none' ? decision.reason : outcomeOf(decision);
    if (
      decision.action === 'none' &&
      ['no-metrics', 'metrics-unavailable', 'no-samples'].includes(outcome) &&
      state?.lastOutcome !== outcome
    ) {
      // Visible in the logs once per change: the lease is not judged.
      const why =
        outcome === 'metrics-unavailable'
          ? `: ${this.lastError.get(row.cluster) ?? 'no answer'}`
          : '';
      this.options.logger.warn(
        `Idle reclaim does not judge GPU request ${row.id}: ${outcome} on ${row.cluster}${why}`,
        { requestId: row.id, cluster: row.cluster, namespace: row.namespace },
      );
    }
    await this.options.reclaimStore.read.upsert(row.id, {
      lastCheckAt: now,
      lastOutcome: outcome,
      lastMaxActive:
        'maxEngineActive' in decision ? decision.maxEngineActive : undefined,
    });
    if (decision.action === 'nudge') {
      if (
        await this.steps.nudge(
          row,
          policy,
          decision.reclaimAt,
          decision.maxEngineActive,
          now,
        )
      ) {
        run.nudged.push(row.id);
      }
    } else if (decision.action === 'clear') {
      if (await this.steps.withdraw(row, decision.maxEngineActive, now)) {
        run.withdrawn.push(row.id);
      }
    } else if (decision.action === 'reclaim') {
      if (
        await this.steps.reclaim(row, policy, decision.maxEngineActive, now)
      ) {
        run.reclaimed.push(row.id);
      }
    } else {
      (run.untouched[outcome] ??= []).push(row.id);
    }
  }

  private async mustGetWatched(id: string) {
    const row = await this.options.store.read.getRequest(id);
    if (!row) throw new NotFoundError(`GPU request ${id} not found`);
    const policy = this.policyOf(row);
    if (!policy) {
      throw new ConflictError(
        `GPU request ${id} holds no GPUs of a pool with idle reclaim`,
      );
    }
    if (!WATCHED.includes(row.status)) {
      throw new ConflictError(
        `GPU request ${id} is ${row.status}, not a running lease`,
      );
    }
    return { row, policy };
  }

  /** The idle-reclaim state of a request. */
  async status(id: string): Promise<IdleReclaimStatus> {
    const row = await this.options.store.read.getRequest(id);
    if (!row) throw new NotFoundError(`GPU request ${id} not found`);
    const policy = this.policyOf(row);
    const s = await this.options.reclaimStore.read.get(id);
    const iso = (ms?: number) =>
      ms === undefined ? undefined : new Date(ms).toISOString();
    let phase: IdleReclaimStatus['phase'] = 'off';
    if (s?.reclaimedAt !== undefined) phase = 'reclaimed';
    else if (policy && s?.exemptAt !== undefined) phase = 'exempt';
    else if (policy && s?.nudgedAt !== undefined) phase = 'nudged';
    else if (policy && s?.keptUntil !== undefined && s.keptUntil > this.now)
      phase = 'kept';
    else if (policy && WATCHED.includes(row.status)) phase = 'watching';
    return {
      requestId: id,
      phase,
      policy,
      nudgedAt: iso(s?.nudgedAt),
      reclaimAt:
        policy && s?.nudgedAt !== undefined
          ? iso(s.nudgedAt + policy.graceMinutes * 60_000)
          : undefined,
      keptUntil: iso(s?.keptUntil),
      keptBy: s?.keptBy,
      exemptBy: s?.exemptBy,
      exemptReason: s?.exemptReason,
      reclaimedAt: iso(s?.reclaimedAt),
      lastCheckAt: iso(s?.lastCheckAt),
      lastOutcome: s?.lastOutcome as IdleCheckOutcome | undefined,
      lastMaxEngineActive: s?.lastMaxActive,
    };
  }

  /** The owners keep the lease: no reclaim before `keepMinutes` have passed. */
  async keep(
    id: string,
    user: GpuPoolUser,
    note?: string,
  ): Promise<IdleReclaimStatus> {
    const { row, policy } = await this.mustGetWatched(id);
    const now = this.now;
    const keptUntil = now + policy.keepMinutes * 60_000;
    const until = new Date(keptUntil).toISOString();
    const reason = note
      ? formatReason('idleKeptWithNote', { until, note })
      : formatReason('idleKept', { until });
    await this.options.audit.run(
      {
        eventId: 'idle-keep',
        actor: user.userEntityRef,
        target: this.steps.target(row),
        request: user.httpRequest,
      },
      async () => {
        const ok = await this.steps.step(
          row,
          user.userEntityRef,
          reason,
          { keptUntil, keptBy: user.userEntityRef, nudgedAt: undefined },
          now,
        );
        if (!ok)
          throw new ConflictError(
            `GPU request ${id} changed status; try again`,
          );
      },
      () => ({ keptUntil: new Date(keptUntil).toISOString() }),
    );
    return this.status(id);
  }

  /** The owners release the idle lease at once (the GPU pool's release path). */
  async release(
    id: string,
    user: GpuPoolUser,
    note?: string,
  ): Promise<IdleReclaimStatus> {
    const { row } = await this.mustGetWatched(id);
    const now = this.now;
    const hours = this.steps.reclaimedGpuHours(row, now);
    await this.options.release.releaseAsUser(
      id,
      user,
      note
        ? formatReason('idleReleasedByOwnerWithNote', { note })
        : formatReason('idleReleasedByOwner', {}),
    );
    await this.options.reclaimStore.read.upsert(id, {
      reclaimedAt: now,
      reclaimedGpuHours: hours,
      lastOutcome: 'reclaimed',
    });
    return this.status(id);
  }

  /** The platform team exempts a granted lease from idle reclaim. */
  async exempt(
    id: string,
    user: GpuPoolUser,
    reason: string,
  ): Promise<IdleReclaimStatus> {
    const { row } = await this.mustGetWatched(id);
    const now = this.now;
    await this.options.audit.run(
      {
        eventId: 'idle-exempt',
        actor: user.userEntityRef,
        target: this.steps.target(row),
        request: user.httpRequest,
        meta: { reason },
      },
      async () => {
        const ok = await this.steps.step(
          row,
          user.userEntityRef,
          formatReason('idleExempted', { note: reason }),
          {
            exemptAt: now,
            exemptBy: user.userEntityRef,
            exemptReason: reason,
            nudgedAt: undefined,
          },
          now,
        );
        if (!ok)
          throw new ConflictError(
            `GPU request ${id} changed status; try again`,
          );
      },
    );
    return this.status(id);
  }
}

function outcomeOf(
  decision: Exclude<IdleDecision, { action: 'none' }>,
): IdleCheckOutcome {
  if (decision.action === 'nudge') return 'nudged';
  if (decision.action === 'reclaim') return 'reclaimed';
  return 'busy';
}
