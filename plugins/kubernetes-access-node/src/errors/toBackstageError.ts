import {
  AuthenticationError,
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** Node / undici / node-fetch error codes that mean "the cluster is unreachable". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

type ErrorLike = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  cause?: unknown;
  type?: unknown;
};

/** Extracts the Kubernetes `Status` message from an ApiException body. */
function statusMessage(body: unknown): string | undefined {
  let status: unknown = body;
  if (typeof body === 'string') {
    if (!body.trim()) {
      return undefined;
    }
    try {
      status = JSON.parse(body);
    } catch {
      // Proxies in front of the API server answer with HTML or plain text;
      // a short snippet is still more useful than nothing.
      return body.trim().slice(0, 200);
    }
  }
  if (status && typeof status === 'object') {
    const message = (status as { message?: unknown }).message;
    if (typeof message === 'string' && message) {
      return message;
    }
    const reason = (status as { reason?: unknown }).reason;
    if (typeof reason === 'string' && reason) {
      return reason;
    }
  }
  return undefined;
}

function httpStatusOf(err: ErrorLike): number | undefined {
  // client-node 1.x ApiException carries the HTTP status as a numeric `code`
  // (Node system errors use string codes), its Watch uses `statusCode`.
  if (typeof err.code === 'number') {
    return err.code;
  }
  if (typeof err.statusCode === 'number') {
    return err.statusCode;
  }
  return undefined;
}

/** OpenSSL / Node TLS failures: the server is there but cannot be trusted. */
function isTlsCode(code: string): boolean {
  return (
    /^(ERR_TLS_|ERR_SSL_|CERT_)/.test(code) ||
    [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    ].includes(code)
  );
}

function networkCodeOf(err: ErrorLike, depth = 0): string | undefined {
  if (
    typeof err.code === 'string' &&
    (UNAVAILABLE_CODES.has(err.code) || isTlsCode(err.code))
  ) {
    return err.code;
  }
  if (err.name === 'TimeoutError') {
    return 'ETIMEDOUT';
  }
  if (err.name === 'AbortError' || err.type === 'aborted') {
    return 'ABORTED';
  }
  if (depth < 3 && err.cause && typeof err.cause === 'object') {
    return networkCodeOf(err.cause as ErrorLike, depth + 1);
  }
  return undefined;
}

function describeNetworkFailure(code: string, err: ErrorLike): string {
  switch (code) {
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return typeof err.message === 'string' && /timed out/i.test(err.message)
        ? err.message
        : 'request timed out';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ABORTED':
      return 'request aborted';
    default:
      return isTlsCode(code)
        ? `TLS verification failed (${code}), check caData`
        : `cluster unreachable (${code})`;
  }
}

/**
 * Attaches the original error without letting Backstage append its (long,
 * header-laden) text to the user-facing message.
 */
function withCause<T extends Error>(error: T, cause: unknown): T {
  Object.defineProperty(error, 'cause', {
    value: cause,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return error;
}

/**
 * Translates anything thrown while talking to a cluster into a Backstage
 * error, so that HTTP routers and fan-out callers see consistent types.
 *
 * The message names the cluster and carries the Kubernetes `Status` message,
 * for example `Kubernetes cluster "lab-main": pods "x" not found`. Errors that
 * already are Backstage errors are returned unchanged; unrecognised errors are
 * returned unchanged so programming mistakes are not disguised as outages.
 *
 * @public
 */
export function toBackstageError(err: unknown, clusterName: string): Error {
  if (err instanceof CustomErrorBase) {
    return err;
  }
  if (!err || typeof err !== 'object') {
    return new ServiceUnavailableError(
      `Kubernetes cluster "${clusterName}": ${String(err)}`,
    );
  }
  const e = err as ErrorLike;
  const prefix = `Kubernetes cluster "${clusterName}"`;
  const status = httpStatusOf(e);

  if (status !== undefined) {
    const detail = statusMessage(e.body) ?? `HTTP ${status}`;
    const message = `${prefix}: ${detail}`;
    switch (status) {
      case 400:
      case 422:
        return withCause(new InputError(message), err);
      case 401:
        return withCause(
          new AuthenticationError(
            statusMessage(e.body)
              ? message
              : `${prefix}: unauthorized, check the configured credentials`,
          ),
          err,
        );
      case 403:
        return withCause(new NotAllowedError(message), err);
      case 404:
        return withCause(new NotFoundError(message), err);
      case 409:
      case 412:
        return withCause(new ConflictError(message), err);
      case 410:
        // Only watches and continue tokens produce 410; the caller must
        // restart from a fresh list.
        return withCause(new ConflictError(message), err);
      case 429:
        return withCause(new ServiceUnavailableError(message), err);
      default:
        if (status >= 500) {
          return withCause(new ServiceUnavailableError(message), err);
        }
        return withCause(new InputError(message), err);
    }
  }

  const networkCode = networkCodeOf(e);
  if (networkCode) {
    return withCause(
      new ServiceUnavailableError(
        `${prefix}: ${describeNetworkFailure(networkCode, e)}`,
      ),
      err,
    );
  }
  return err as Error;
}
