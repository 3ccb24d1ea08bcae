import { CatalogService } from '@backstage/plugin-catalog-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './waitForCatalog.examples';

/**
 * `portal:catalog:wait`: waits until the catalog serves an entity that
 * `catalog:register` just registered, so the task's "Open in the catalog"
 * link never leads to "Entity not found". The catalog processes a new
 * location asynchronously (the location, then the entities it emits, then
 * stitching: a few polling rounds of about a second each).
 *
 * Not finding it in time is not a failure: the location is registered and
 * the entity will appear; the step says so and outputs `visible: false`.
 *
 * @public
 */
export function createWaitForCatalogAction(options: {
  catalog: CatalogService;
  /** Poll interval (default 250 ms). */
  pollIntervalMs?: number;
}) {
  const { catalog } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  return createTemplateAction({
    id: 'portal:catalog:wait',
    description:
      'Waits until a just-registered entity is served by the catalog, up to a timeout.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Entity to wait for: the output of catalog:register, which it leaves unset when the location holds no entity; then there is nothing to wait for',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(300)
            .optional()
            .describe('How long to wait; default 30'),
      },
      output: {
        visible: z =>
          z.boolean().describe('Whether the catalog serves the entity'),
        waitedMs: z => z.number().describe('How long the step waited'),
      },
    },
    async handler(ctx) {
      if (!ctx.input.entityRef) {
        ctx.logger.info('No entity to wait for');
        ctx.output('visible', false);
        ctx.output('waitedMs', 0);
        return;
      }
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(parseEntityRef(ctx.input.entityRef));
      } catch (error) {
        throw new InputError(
          `entityRef ${ctx.input.entityRef} is not an entity reference: ${
            (error as Error).message
          }`,
        );
      }
      if (ctx.isDryRun) {
        ctx.output('visible', true);
        ctx.output('waitedMs', 0);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const started = Date.now();
      const deadline = started + (ctx.input.timeoutSeconds ?? 30) * 1000;
      let visible = false;
      for (;;) {
        if (await catalog.getEntityByRef(entityRef, { credentials })) {
          visible = true;
          break;
        }
        if (Date.now() >= deadline || ctx.signal?.aborted) {
          break;
        }
        await new Promise(r => setTimeout(r, pollIntervalMs));
      }
      const waitedMs = Date.now() - started;
      if (visible) {
        ctx.logger.info(`${entityRef} is in the catalog after ${waitedMs} ms`);
      } else {
        ctx.logger.warn(
          `${entityRef} is registered but not yet in the catalog after ${waitedMs} ms; it will appear once the catalog has processed its location`,
        );
      }
      ctx.output('visible', visible);
      ctx.output('waitedMs', waitedMs);
    },
  });
}
