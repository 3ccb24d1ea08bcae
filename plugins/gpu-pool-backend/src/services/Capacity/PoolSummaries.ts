import {
  GpuHolderOutsideGrants,
  GpuPoolSummary,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { Clock } from '../GpuPool/types';
import { CapacityService, PoolCapacity } from './CapacityService';

/**
 * The pools' numbers: capacity from the clusters, allocation and queue from
 * the store, per-team usage and allowances; and their history samples.
 */
export class PoolSummaries {
  private readonly lastSample = new Map<string, { at: number; key: string }>();

  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      config: GpuPoolConfig;
      capacity: CapacityService;
      clock: Clock;
    },
  ) {}

  static create(options: {
    store: GpuPoolStore;
    config: GpuPoolConfig;
    capacity: CapacityService;
    clock: Clock;
  }) {
    return new PoolSummaries(options);
  }

  async listPools(options?: { historyMs?: number }): Promise<GpuPoolSummary[]> {
    const { config } = this.options;
    const capacities = await this.options.capacity.getCapacities();
    const read = this.options.store.read;
    const [holdings, queued] = await Promise.all([
      read.holdings(),
      read.listRequests({ statuses: ['queued'] }),
    ]);
    const samples =
      options?.historyMs !== undefined
        ? await read.samples(this.options.clock.now() - options.historyMs)
        : undefined;
    return config.pools.map(pool => {
      const cap = capacities.get(pool.id) ?? { capacity: 0, live: false };
      const outsideGrants = cap.outsideGrants ?? 0;
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
      for (const [team, perPool] of config.allowances) {
        if (perPool.has(pool.id)) allowances[team] = perPool.get(pool.id)!;
      }
      return {
        id: pool.id,
        cluster: pool.cluster,
        title: pool.title,
        resource: pool.resource,
        model: pool.product ?? pool.resource.replace(/^nvidia\.com\//, ''),
        ...(pool.product ? { product: pool.product } : {}),
        capacity: cap.capacity,
        allocated,
        available: Math.max(0, cap.capacity - outsideGrants - allocated),
        outsideGrants,
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

  /**
   * Pods holding GPUs that no active grant covers, for the platform team:
   * who holds what outside the portal's grants.
   */
  async listOutsideGrants(): Promise<GpuHolderOutsideGrants[]> {
    const capacities = await this.options.capacity.getCapacities({
      maxAgeMs: 0,
    });
    return this.options.config.pools.flatMap(
      p => capacities.get(p.id)?.holders ?? [],
    );
  }

  /** Records allocation per pool when it changed, at most every few minutes otherwise. */
  async sample(capacities: Map<string, PoolCapacity>, at: number) {
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
}
