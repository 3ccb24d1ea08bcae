import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import Router from 'express-promise-router';
import { createOpenApiRouter, spec } from '../schema/openapi/generated/router';

/** Request bodies are small JSON documents. */
const BODY_LIMIT = '64kb';

/**
 * The plugin's one router generated from `schema/openapi.yaml`: it parses
 * JSON bodies, validates every request against the spec once (a request that
 * does not fit is a 400 naming the field), serves the spec at
 * `/openapi.json`, then hands the request to the route groups mounted on it.
 */
export async function createGpuPoolApiRouter(): Promise<GpuPoolApiRouter> {
  return createOpenApiRouter({
    middleware: [express.json({ limit: BODY_LIMIT })],
  });
}

/**
 * A group of routes (requests, workloads, reclaim, showback) with handlers
 * typed by the spec. It does not validate: the plugin mounts every group on
 * the one router of {@link createGpuPoolApiRouter}, which has validated the
 * request before a group sees it.
 */
export function createGpuPoolRoutes(): GpuPoolApiRouter {
  return Router() as unknown as GpuPoolApiRouter;
}

/** The typed router of the GPU pool API. */
export type GpuPoolApiRouter = ApiRouter<typeof spec>;
