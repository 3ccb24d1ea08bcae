import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi/generated/router';

/** Request bodies are small JSON documents. */
const BODY_LIMIT = '64kb';

/**
 * A router generated from `schema/openapi.yaml`: it validates every request
 * against the whole spec (a request that does not fit is a 400 naming the
 * field), serves the spec at `/openapi.json` and types the handlers.
 *
 * Each route group (requests, workloads, reclaim, showback) is one such
 * router, so a group validates its requests wherever it is mounted; they all
 * parse JSON with the same limit, since the first one mounted parses the
 * body for all.
 */
export async function createGpuPoolApiRouter(): Promise<GpuPoolApiRouter> {
  return createOpenApiRouter({
    middleware: [express.json({ limit: BODY_LIMIT })],
  });
}

/** The typed router of the GPU pool API. */
export type GpuPoolApiRouter = ApiRouter<typeof spec>;
