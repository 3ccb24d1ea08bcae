import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/** What an audited state change acts on. */
export interface AuditTarget {
  requestId?: string;
  team?: string;
  cluster?: string;
  namespace?: string;
}

/** One state change to audit. */
export interface AuditEvent {
  /** kebab-case, e.g. `request-create`, `namespace-delete`. */
  eventId: string;
  /** User entity ref, or `system:gpu-pool` for the reconciler and lease clock. */
  actor: string;
  target: AuditTarget;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The HTTP request, so the auditor records the caller's identity and address. */
  request?: Request;
  meta?: JsonObject;
}

/**
 * Sends every state change of the GPU pool through Backstage's auditor
 * service with actor, target and outcome: `initiated`, then `succeeded`
 * with the outcome or `failed` with the error.
 */
export class GpuPoolAudit {
  private constructor(
    private readonly auditor: AuditorService | undefined,
    private readonly logger: LoggerService,
  ) {}

  static create(options: {
    auditor?: AuditorService;
    logger: LoggerService;
  }): GpuPoolAudit {
    return new GpuPoolAudit(options.auditor, options.logger);
  }

  /**
   * Runs `fn` as the audited action. `outcome` turns its result into the
   * meta recorded on success (e.g. the new status).
   */
  async run<T>(
    event: AuditEvent,
    fn: () => Promise<T>,
    outcome?: (result: T) => JsonObject,
  ): Promise<T> {
    const handle = await this.start(event);
    try {
      const result = await fn();
      await handle?.success({
        meta: { outcome: 'succeeded', ...(outcome?.(result) ?? {}) },
      });
      return result;
    } catch (error) {
      await handle?.fail({
        error: error as Error,
        meta: { outcome: 'failed' },
      });
      throw error;
    }
  }

  /** Records a refusal that did not come from a thrown call (e.g. the reconciler skipping). */
  async refused(event: AuditEvent, error: Error): Promise<void> {
    const handle = await this.start(event);
    await handle?.fail({ error, meta: { outcome: 'refused' } });
  }

  /** Records a change that already happened (e.g. the lease clock's). */
  async succeeded(event: AuditEvent, meta?: JsonObject): Promise<void> {
    const handle = await this.start(event);
    await handle?.success({ meta: { outcome: 'succeeded', ...(meta ?? {}) } });
  }

  private async start(event: AuditEvent) {
    if (!this.auditor) return undefined;
    try {
      return await this.auditor.createEvent({
        eventId: event.eventId,
        severityLevel: event.severityLevel ?? 'medium',
        request: event.request,
        meta: {
          actor: event.actor,
          target: { ...event.target } as JsonObject,
          ...(event.meta ?? {}),
        },
      });
    } catch (error) {
      // The auditor answers for itself; the change must not hide its failure.
      this.logger.error(`GPU pool audit event ${event.eventId} failed: ${error}`, {
        eventId: event.eventId,
      });
      return undefined;
    }
  }
}
