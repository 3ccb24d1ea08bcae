import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import {
  GpuHolderOutsideGrants,
  GpuPoolAuditVerification,
  GpuPoolSummary,
  GpuRequest,
  GpuRequestStatus,
} from '@internal/plugin-gpu-pool-common';

/** The caller, resolved from the request's credentials. */
export interface GpuPoolUser {
  credentials: BackstageCredentials;
  userEntityRef: string;
  /** Lower-cased ownership refs: the user and their groups. */
  ownershipEntityRefs: string[];
  isPlatformTeam: boolean;
  /** The HTTP request, for the auditor (caller identity and address). */
  httpRequest?: Request;
}

/** Everything the GPU pool does; the router speaks HTTP on top of it. */
export interface GpuPoolService {
  listPools(options?: { historyMs?: number }): Promise<GpuPoolSummary[]>;
  /** Checks a request body fully without storing anything; throws InputError naming the field. */
  validateCreate(body: unknown, user: GpuPoolUser): Promise<void>;
  createRequest(body: unknown, user: GpuPoolUser): Promise<GpuRequest>;
  listRequests(options: {
    scope: 'mine' | 'team' | 'all';
    statuses?: GpuRequestStatus[];
    user: GpuPoolUser;
  }): Promise<GpuRequest[]>;
  getRequest(id: string): Promise<GpuRequest>;
  approve(id: string, user: GpuPoolUser, reason?: string): Promise<GpuRequest>;
  reject(id: string, user: GpuPoolUser, reason?: string): Promise<GpuRequest>;
  extend(id: string, user: GpuPoolUser, body: unknown): Promise<GpuRequest>;
  release(id: string, user: GpuPoolUser, reason?: string): Promise<GpuRequest>;
  /** Pods holding GPUs that no active grant covers; the platform team's. */
  listOutsideGrants(user: GpuPoolUser): Promise<GpuHolderOutsideGrants[]>;
  /** Checks the hash chain of the history; the platform team's. */
  verifyAudit(user: GpuPoolUser): Promise<GpuPoolAuditVerification>;
}

/** A clock, replaceable by a virtual one in benchmarks and tests. */
export interface Clock {
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** The actor of transitions the service makes on its own. */
export const SYSTEM_ACTOR = 'system:gpu-pool';
