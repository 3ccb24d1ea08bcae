import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolChange } from './DefaultGpuPoolService';
import {
  DEFAULT_NOTIFICATION_LOCALE,
  NotificationLocale,
  notificationMessages,
} from './notificationMessages';

/** Signal channel of the GPU pool; messages carry `{ requestId, status }`. */
export const GPU_POOL_SIGNAL_CHANNEL = 'gpu-pool';

/**
 * Tells browsers (signals) and people (notifications) about changes. Never
 * throws: a missing notifications backend must not break allocation.
 */
export async function publishChanges(
  changes: GpuPoolChange[],
  deps: {
    signals?: SignalsService;
    notifications?: NotificationService;
    config: GpuPoolConfig;
    logger: LoggerService;
    /** The language and time zone of the notifications' text (default Korean, Seoul). */
    locale?: NotificationLocale;
  },
) {
  const { signals, notifications, logger } = deps;
  const messages = notificationMessages(
    deps.locale ?? DEFAULT_NOTIFICATION_LOCALE,
  );
  for (const change of changes) {
    const { request, to } = change;
    try {
      await signals?.publish({
        recipients: { type: 'broadcast' },
        channel: GPU_POOL_SIGNAL_CHANNEL,
        message: { requestId: request.id, status: to },
      });
    } catch (error) {
      logger.warn(`Could not publish GPU pool signal: ${error}`, {
        requestId: request.id,
      });
    }
    const link = `/gpu-pool/requests/${request.id}`;
    const facts = {
      namespace: request.namespace,
      cluster: request.cluster,
      team: request.team,
      gpus: request.gpus.map(g => `${g.count} × ${g.pool}`).join(', '),
    };
    let send: Parameters<NotificationService['send']>[0] | undefined;
    if (to === 'expiring') {
      send = {
        recipients: {
          type: 'entity',
          entityRef: [request.team, request.requestedBy],
        },
        payload: {
          ...messages.expiring(facts, request.expiresAt!),
          link,
          severity: 'high',
          topic: `gpu-pool:${request.id}`,
        },
      };
    } else if (to === 'active') {
      send = {
        recipients: { type: 'entity', entityRef: request.requestedBy },
        payload: {
          ...messages.active(facts, request.expiresAt || undefined),
          link,
          severity: 'normal',
          topic: `gpu-pool:${request.id}`,
        },
      };
    } else if (
      (to === 'released' || to === 'expired' || to === 'failed') &&
      request.cleanupPending &&
      request.gpus.length > 0
    ) {
      // The owners' notice before the stop of what exceeds the remaining grant.
      const stopAt = Date.now() + deps.config.stopGracePeriodMs;
      send = {
        recipients: {
          type: 'entity',
          entityRef: [request.team, request.requestedBy],
        },
        payload: {
          ...messages.ended(facts, to, stopAt),
          link,
          severity: 'high',
          topic: `gpu-pool:${request.id}`,
        },
      };
    } else if (to === 'pending-approval') {
      send = {
        recipients: {
          type: 'entity',
          entityRef: deps.config.platformTeam,
          excludeEntityRef: request.requestedBy,
        },
        payload: {
          ...messages.approval(facts, request.justification),
          link,
          severity: 'normal',
          topic: 'gpu-pool:approvals',
        },
      };
    }
    if (send && notifications) {
      try {
        await notifications.send(send);
      } catch (error) {
        logger.warn(`Could not send GPU pool notification: ${error}`, {
          requestId: request.id,
        });
      }
    }
  }
}
