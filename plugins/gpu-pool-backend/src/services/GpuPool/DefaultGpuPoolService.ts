import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import {
  GpuHolderOutsideGrants,
  GpuPoolAuditVerification,
  GpuPoolSummary,
  GpuRequest,
  GpuRequestStatus,
} from '@internal/plugin-gpu-pool-common';
import { NotAllowedError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { AdmissionService } from '../Admission/AdmissionService';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { CapacityService } from '../Capacity/CapacityService';
import { PoolSummaries } from '../Capacity/PoolSummaries';
import { LeaseService } from '../Leases/LeaseService';
import { RequestValidation } from '../Validation/RequestValidation';
import { GpuPoolChangeListener, GpuPoolChanges } from './changes';
import { RequestReads } from './RequestReads';
import { Clock, GpuPoolService, GpuPoolUser, systemClock } from './types';

export { OWNER_LABEL } from '../Namespaces/namespaceOwnership';
export type { GpuPoolChange } from './changes';
export { isUnavailable } from './auditedChange';

/**
 * The GPU pool, composed of one service per concern: validation
 * (`Validation/`), admission and the queue (`Admission/`), leases
 * (`Leases/`), pool numbers (`Capacity/`) and reads of requests.
 */
export class DefaultGpuPoolService implements GpuPoolService {
  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      audit: GpuPoolAudit;
      changes: GpuPoolChanges;
      validation: RequestValidation;
      admission: AdmissionService;
      leases: LeaseService;
      summaries: PoolSummaries;
      reads: RequestReads;
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
    const { store, config, capacity, kubernetes, logger } = options;
    await store.transaction(tx => tx.ensurePools(config.pools.map(p => p.id)));
    const clock = options.clock ?? systemClock;
    const audit = options.audit ?? GpuPoolAudit.create({ logger });
    const changes = new GpuPoolChanges(logger);
    const reads = RequestReads.create({ store });
    const validation = RequestValidation.create({
      store,
      config,
      capacity,
      kubernetes,
      audit,
    });
    const admission = AdmissionService.create({
      store,
      config,
      capacity,
      validation,
      reads,
      changes,
      logger,
      audit,
      clock,
    });
    const summaries = PoolSummaries.create({ store, config, capacity, clock });
    const leases = LeaseService.create({
      store,
      config,
      capacity,
      admission,
      summaries,
      reads,
      changes,
      audit,
      clock,
    });
    return new DefaultGpuPoolService({
      store,
      audit,
      changes,
      validation,
      admission,
      leases,
      summaries,
      reads,
    });
  }

  /** The audit of state changes, shared with the reconciler. */
  get audit() {
    return this.options.audit;
  }

  /** Leases: ending them, the lease clock; for the reconciler and reclaim. */
  get leases() {
    return this.options.leases;
  }

  /** Called after every committed change. */
  onChange(listener: GpuPoolChangeListener) {
    this.options.changes.onChange(listener);
  }

  listPools(options?: { historyMs?: number }): Promise<GpuPoolSummary[]> {
    return this.options.summaries.listPools(options);
  }

  validateCreate(body: unknown, user: GpuPoolUser): Promise<void> {
    return this.options.validation.validateCreate(body, user);
  }

  createRequest(body: unknown, user: GpuPoolUser): Promise<GpuRequest> {
    return this.options.admission.createRequest(randomUUID(), body, user);
  }

  listRequests(options: {
    scope: 'mine' | 'team' | 'all';
    statuses?: GpuRequestStatus[];
    user: GpuPoolUser;
  }): Promise<GpuRequest[]> {
    return this.options.reads.listRequests(options);
  }

  getRequest(id: string): Promise<GpuRequest> {
    return this.options.reads.getRequest(id);
  }

  approve(id: string, user: GpuPoolUser, reason?: string) {
    return this.options.admission.approve(id, user, reason);
  }

  reject(id: string, user: GpuPoolUser, reason?: string) {
    return this.options.admission.reject(id, user, reason);
  }

  extend(id: string, user: GpuPoolUser, body: unknown): Promise<GpuRequest> {
    return this.options.leases.extend(id, user, body);
  }

  release(id: string, user: GpuPoolUser, reason?: string): Promise<GpuRequest> {
    return this.options.leases.release(id, user, reason);
  }

  /**
   * Releases a lease on the portal's own decision (e.g. idle reclaim with
   * reason `reclaimed-idle`); undefined when it had already ended.
   */
  releaseBySystem(id: string, reason: string) {
    return this.options.leases.releaseBySystem(id, reason);
  }

  markActive(id: string, reason: string) {
    return this.options.leases.markActive(id, reason);
  }

  recordError(id: string, message: string) {
    return this.options.leases.recordError(id, message);
  }

  markFailed(id: string, message: string) {
    return this.options.leases.markFailed(id, message);
  }

  markCleanedUp(id: string) {
    return this.options.leases.markCleanedUp(id);
  }

  processLeases(): Promise<void> {
    return this.options.leases.processLeases();
  }

  async listOutsideGrants(
    user: GpuPoolUser,
  ): Promise<GpuHolderOutsideGrants[]> {
    if (!user.isPlatformTeam) {
      throw new NotAllowedError(
        'Only the platform team sees who holds GPUs outside grants',
      );
    }
    return this.options.summaries.listOutsideGrants();
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
