import { ConflictError, InputError } from '@backstage/errors';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import {
  createGpuRequestSchema,
  describeZodError,
  formatDuration,
  parseDuration,
  ParsedCreateGpuRequest,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolConfig, PoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import {
  CapacityService,
  GPU_POOL_FIELD_MANAGER,
} from '../Capacity/CapacityService';
import { assertComputePerRequest } from '../GpuPool/compute';
import { GpuPoolUser } from '../GpuPool/types';
import {
  assertNotProtected,
  ownershipForRequest,
  readNamespaceFacts,
  RequestOwnership,
} from '../Namespaces/namespaceOwnership';

/** A request body that passed every check, with what the checks found. */
export interface ValidatedRequest {
  body: ParsedCreateGpuRequest;
  pools: PoolConfig[];
  durationMs: number;
  priority: number;
  ownership: RequestOwnership;
}

/**
 * Checks a request body against the schema, the configuration (clusters,
 * pools, per-request maxima, durations) and the cluster (namespace owner).
 * Stores nothing; throws InputError naming the field, ConflictError for a
 * namespace claimed by another team, 503 when the cluster cannot answer.
 */
export class RequestValidation {
  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      config: GpuPoolConfig;
      capacity: CapacityService;
      kubernetes: KubernetesAccess;
      audit: GpuPoolAudit;
    },
  ) {}

  static create(options: {
    store: GpuPoolStore;
    config: GpuPoolConfig;
    capacity: CapacityService;
    kubernetes: KubernetesAccess;
    audit: GpuPoolAudit;
  }) {
    return new RequestValidation(options);
  }

  /** Validates without storing; a refusal is audited as an attempted create. */
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

  async validate(body: unknown, user: GpuPoolUser): Promise<ValidatedRequest> {
    const { config } = this.options;
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
    assertNotProtected(req.namespace, config.protectedNamespaces);
    assertComputePerRequest(req, config);
    const capacities = req.gpus.length
      ? await this.options.capacity.getCapacities()
      : new Map();
    const pools: PoolConfig[] = [];
    for (const [i, g] of req.gpus.entries()) {
      const pool = config.pools.find(p => p.id === g.pool);
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
      : config.namespaceMaxDurationMs;
    let durationMs = config.namespaceDefaultDurationMs;
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
}

/** The target fields of a request body, for the audit of a create that may fail validation. */
export function targetOf(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) =>
    typeof v === 'string' ? v.slice(0, 253) : undefined;
  return {
    team: str(b.team),
    cluster: str(b.cluster),
    namespace: str(b.namespace),
  };
}
