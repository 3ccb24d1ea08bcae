import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  ActionsRegistryActionExample,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { PortalApi } from '../PortalApi/PortalApi';

// Zod types are taken from the registry's own signature rather than imported:
// the registry hands its zod to the schema functions, and a second copy of
// zod in this package would not be type-compatible with it.
type RegisterOptions = Parameters<ActionsRegistryService['register']>[0];
/** The zod the registry passes to schema functions. */
export type Zod = Parameters<RegisterOptions['schema']['input']>[0];
/** Any zod object schema of the registry's zod. */
export type AnyZodObject = ReturnType<RegisterOptions['schema']['input']>;
type ZodError = InstanceType<Zod['ZodError']>;
/** What a schema parses to. */
export type Infer<T extends AnyZodObject> = T['_output'];

/** What every portal action needs besides its input. */
export interface PortalActionDeps {
  registry: ActionsRegistryService;
  auditor: AuditorService;
  api: PortalApi;
}

/** One action of the portal, as its group file declares it. */
export interface PortalActionOptions<
  TInput extends AnyZodObject,
  TOutput extends AnyZodObject,
> {
  name: string;
  title: string;
  /** Korean first, then English. */
  description: string;
  attributes: { readOnly: boolean; destructive: boolean; idempotent: boolean };
  input: (zod: Zod) => TInput;
  output: (zod: Zod) => TOutput;
  examples: ActionsRegistryActionExample<TInput, TOutput>[];
  /** What the call is about, for the audit log (a request id, a team, a cluster). */
  target: (input: Infer<TInput>) => string;
  handler: (options: {
    input: Infer<TInput>;
    credentials: BackstageCredentials<BackstageUserPrincipal>;
    api: PortalApi;
  }) => Promise<Infer<TOutput>>;
}

const INVALID = '__portalInvalidInput';

/** `gpus.0.count` → `gpus[0].count`. */
function fieldPath(path: (string | number)[]): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      return i === 0 ? p : `.${p}`;
    })
    .join('');
}

/** The first problem of a zod error, naming its field. */
export function describeInputError(error: ZodError): string {
  return error.issues
    .map(issue => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map(k => fieldPath([...issue.path, k]));
        return `${keys.join(', ')}: not a field of this action`;
      }
      const field = fieldPath(issue.path) || 'input';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * The registry answers a schema failure with only "Invalid input to action
 * X". Catching the failure in the schema hands it to the action, which then
 * refuses with a message naming the field. The JSON schema shown to clients
 * is the inner object's (a catch renders as its inner type).
 */
function namingFields<T extends AnyZodObject>(schema: T): T {
  return schema.catch((ctx: { error: ZodError }) => ({
    [INVALID]: describeInputError(ctx.error),
  })) as unknown as T;
}

function isUser(
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> {
  return (credentials.principal as { type: string }).type === 'user';
}

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * Registers one action: validates its input naming the field, refuses any
 * caller that is not a signed-in user (no action runs as a service), and
 * writes an audit event with actor, action, target and outcome per call.
 */
export function registerPortalAction<
  TInput extends AnyZodObject,
  TOutput extends AnyZodObject,
>(deps: PortalActionDeps, options: PortalActionOptions<TInput, TOutput>) {
  const { registry, auditor, api } = deps;
  registry.register({
    name: options.name,
    title: options.title,
    description: options.description,
    attributes: options.attributes,
    examples: options.examples,
    schema: {
      input: zod => namingFields(options.input(zod)),
      output: options.output,
    },
    action: async ({ input, credentials }) => {
      const meta: JsonObject = {
        action: options.name,
        actor: actorOf(credentials),
        via: (credentials.principal as any).actor?.subject ?? null,
      };
      const invalid = (input as Record<string, unknown>)[INVALID];
      if (typeof invalid !== 'string') {
        meta.target = options.target(input);
      }
      const event = await auditor.createEvent({
        eventId: 'action-call',
        // Agent reads are 'medium' (not 'low', which the default mapping logs
        // at debug level and so drops): every call must reach the audit log.
        severityLevel: options.attributes.readOnly ? 'medium' : 'high',
        meta,
      });
      try {
        if (typeof invalid === 'string') {
          throw new InputError(invalid);
        }
        if (!isUser(credentials)) {
          throw new NotAllowedError(
            `${options.name} runs only as a signed-in user, not as ${actorOf(
              credentials,
            )}`,
          );
        }
        const output = await options.handler({ input, credentials, api });
        await event.success({ meta: { outcome: 'succeeded' } });
        // The registry types the result as conditional on the output schema,
        // which a generic cannot satisfy; every portal action returns an object.
        return { output } as any;
      } catch (error) {
        await event.fail({
          error: error as Error,
          meta: { outcome: 'failed' },
        });
        throw error;
      }
    },
  });
}
