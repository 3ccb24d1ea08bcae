// The steps idle reclaim takes on a lease, each audited and written to the
// request's history: nudge the owners, withdraw the notice, reclaim (end the
// lease through the release path), and the notifications that go with them.
import { formatReason } from '@internal/plugin-gpu-pool-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { RequestRow } from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import {
  DEFAULT_NOTIFICATION_LOCALE,
  NotificationLocale,
} from '../GpuPool/notificationMessages';
import { IdlePolicy } from './decideIdle';
import { idleNotice, reclaimedNotice } from './idleNotice';
import { IdleReleasePath } from './idleReleasePath';
import { ReclaimRow, ReclaimStore } from './ReclaimStore';

/** The actor of the steps idle reclaim takes on its own. */
export const RECLAIM_ACTOR = 'system:gpu-pool-reclaim';

/** Every reason of a lease ended as idle starts with this. */
export const RECLAIMED_IDLE = 'reclaimed-idle';

function pct(ratio: number | undefined) {
  return ratio === undefined ? '?' : `${Math.round(ratio * 1000) / 10}%`;
}

/** Idle reclaim's audited steps on one lease. */
export class IdleReclaimSteps {
  private constructor(
    private readonly options: {
      reclaimStore: ReclaimStore;
      release: IdleReleasePath;
      audit: GpuPoolAudit;
      logger: LoggerService;
      notifications?: NotificationService;
      locale: NotificationLocale;
    },
  ) {}

  static create(options: {
    reclaimStore: ReclaimStore;
    release: IdleReleasePath;
    audit: GpuPoolAudit;
    logger: LoggerService;
    notifications?: NotificationService;
    /** The language and time zone of the notices (default Korean, Seoul). */
    locale?: NotificationLocale;
  }): IdleReclaimSteps {
    return new IdleReclaimSteps({
      ...options,
      locale: options.locale ?? DEFAULT_NOTIFICATION_LOCALE,
    });
  }

  /** Writes a step to the request's history, unless its status moved on. */
  async step(
    row: RequestRow,
    actor: string,
    reason: string,
    patch: Partial<Omit<ReclaimRow, 'requestId'>>,
    at: number,
  ): Promise<boolean> {
    return this.options.reclaimStore.transaction(async tx => {
      const ok = await tx.pool.changeStatus(row.id, row.status, row.status, {
        actor,
        reason,
        at,
        record: true,
      });
      if (ok) await tx.reclaim.upsert(row.id, patch);
      return ok;
    });
  }

  target(row: RequestRow) {
    return {
      requestId: row.id,
      team: row.team,
      cluster: row.cluster,
      namespace: row.namespace,
    };
  }

  async nudge(
    row: RequestRow,
    policy: IdlePolicy,
    reclaimAt: number,
    maxEngineActive: number,
    now: number,
  ) {
    const reason = formatReason('idleNudged', {
      threshold: policy.thresholdPercent,
      minutes: policy.idleMinutes,
      max: pct(maxEngineActive),
      at: new Date(reclaimAt).toISOString(),
    });
    const ok = await this.step(
      row,
      RECLAIM_ACTOR,
      reason,
      { nudgedAt: now, keptUntil: undefined, keptBy: undefined },
      now,
    );
    if (!ok) return false;
    await this.options.audit.succeeded(
      { eventId: 'idle-nudge', actor: RECLAIM_ACTOR, target: this.target(row) },
      { reason, reclaimAt: new Date(reclaimAt).toISOString(), maxEngineActive },
    );
    this.options.logger.info(`GPU request ${row.id} is idle: owners nudged`, {
      requestId: row.id,
      cluster: row.cluster,
      namespace: row.namespace,
    });
    await this.notify(
      row,
      idleNotice(row, policy, reclaimAt, this.options.locale),
    );
    return true;
  }

  async withdraw(row: RequestRow, maxEngineActive: number, now: number) {
    const reason = formatReason('idleNoticeWithdrawn', {
      max: pct(maxEngineActive),
    });
    const ok = await this.step(
      row,
      RECLAIM_ACTOR,
      reason,
      { nudgedAt: undefined },
      now,
    );
    if (ok) {
      await this.options.audit.succeeded(
        {
          eventId: 'idle-nudge-withdraw',
          actor: RECLAIM_ACTOR,
          target: this.target(row),
        },
        { reason, maxEngineActive },
      );
    }
    return ok;
  }

  /** GPUs times the lease time left: what reclaim gives back to the pool. */
  reclaimedGpuHours(row: RequestRow, at: number) {
    const gpus = row.gpus.reduce((s, g) => s + g.count, 0);
    const left =
      row.expiresAt === undefined ? 0 : Math.max(0, row.expiresAt - at);
    return (gpus * left) / 3_600_000;
  }

  async reclaim(
    row: RequestRow,
    policy: IdlePolicy,
    maxEngineActive: number,
    now: number,
  ) {
    const reason = formatReason('idleReclaimed', {
      grace: policy.graceMinutes,
      threshold: policy.thresholdPercent,
      max: pct(maxEngineActive),
    });
    const hours = this.reclaimedGpuHours(row, now);
    const ended = await this.options.audit.run(
      {
        eventId: 'idle-reclaim',
        actor: RECLAIM_ACTOR,
        target: this.target(row),
        meta: { reason, maxEngineActive },
      },
      () => this.options.release.releaseAsSystem(row.id, reason),
      done => ({ ended: done, reclaimedGpuHours: hours }),
    );
    if (!ended) return false;
    await this.options.reclaimStore.read.upsert(row.id, {
      reclaimedAt: now,
      reclaimedGpuHours: hours,
      lastOutcome: 'reclaimed',
    });
    this.options.logger.info(`GPU request ${row.id} reclaimed as idle`, {
      requestId: row.id,
      cluster: row.cluster,
      namespace: row.namespace,
    });
    await this.notify(row, reclaimedNotice(row, this.options.locale));
    return true;
  }

  async notify(row: RequestRow, payload: ReturnType<typeof idleNotice>) {
    const { notifications, logger } = this.options;
    if (!notifications) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: [row.team, row.requestedBy] },
        payload,
      });
    } catch (error) {
      logger.warn(`Could not send the idle notice: ${error}`, {
        requestId: row.id,
      });
    }
  }
}
