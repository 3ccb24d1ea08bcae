import { z } from 'zod';

/**
 * The configuration of the ingestion rules, under `catalog.curation` in
 * app-config. Every field has a default.
 *
 * @public
 */
export const curationRulesConfigSchema = z
  .object({
    /** When false the rules are evaluated for the curation page only. */
    enforce: z.boolean().default(true),
    /** Kinds whose `spec.owner` must resolve to a Group. */
    ownerKinds: z
      .array(z.string().min(1))
      .default(['Component', 'API', 'Resource', 'System', 'Domain']),
    /** Kinds that must name a `spec.system`. */
    systemKinds: z.array(z.string().min(1)).default(['Component', 'API']),
    /** Kinds whose `spec.lifecycle` must be one of `lifecycles`. */
    lifecycleKinds: z.array(z.string().min(1)).default(['Component', 'API']),
    lifecycles: z
      .array(z.string().min(1))
      .min(1)
      .default(['experimental', 'production', 'deprecated']),
    nameClash: z
      .object({
        /** Same kind and name in two namespaces is a clash. */
        acrossNamespaces: z.boolean().default(true),
        /**
         * Kinds that share one name space: a Component and a Resource both
         * called `payments` clash. A kind in no group only clashes with
         * itself, so a Component and the API it provides may share a name.
         */
        kindGroups: z
          .array(z.array(z.string().min(1)).min(1))
          .default([['Component', 'Resource']]),
      })
      .default({}),
  })
  .default({});

/**
 * The ingestion rules' configuration with defaults applied.
 *
 * @public
 */
export type CurationRulesConfig = z.infer<typeof curationRulesConfigSchema>;

/**
 * Reads the rules' configuration, applying defaults. Throws a readable
 * error naming the field when the configuration is wrong.
 *
 * @public
 */
export function parseCurationRulesConfig(value: unknown): CurationRulesConfig {
  const parsed = curationRulesConfigSchema.safeParse(value ?? undefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid catalog.curation.${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}
