import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** One call to another plugin's REST API. */
export interface PortalApiRequest {
  /** The plugin whose API is called, e.g. `gpu-pool`. */
  pluginId: string;
  method?: 'GET' | 'POST';
  /** Path below the plugin's base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Calls the portal's own plugins over their REST APIs as the calling user, so
 * that each plugin's permission checks apply exactly as they do for the UI.
 */
export interface PortalApi {
  request<T>(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    request: PortalApiRequest,
  ): Promise<T>;
}

const TIMEOUT_MS = 30_000;

/**
 * Maps an error answer of another plugin to the `@backstage/errors` type of
 * the same meaning, keeping its message (which names the field for a 400).
 */
function errorFor(pluginId: string, status: number, message: string): Error {
  switch (status) {
    case 400:
      return new InputError(message);
    case 401:
      return new AuthenticationError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return new ServiceUnavailableError(
        `${pluginId} answered ${status}: ${message}`,
      );
  }
}

/** The default {@link PortalApi}: discovery plus on-behalf-of tokens. */
export class DefaultPortalApi implements PortalApi {
  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
  }): DefaultPortalApi {
    return new DefaultPortalApi(options.discovery, options.auth);
  }

  async request<T>(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    request: PortalApiRequest,
  ): Promise<T> {
    const { pluginId, method = 'GET', path, query, body } = request;
    // A token for the target plugin that still names the user: the target
    // sees the user, never this plugin's service identity.
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: pluginId,
    });
    const url = new URL(`${await this.discovery.getBaseUrl(pluginId)}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `${pluginId} could not be reached: ${String(error)}`,
      );
    }
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const message =
        typeof parsed?.error?.message === 'string'
          ? parsed.error.message
          : `${res.status} ${res.statusText}`;
      throw errorFor(pluginId, res.status, message);
    }
    return parsed as T;
  }
}
