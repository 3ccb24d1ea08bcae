import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ApiException } from '@kubernetes/client-node';
import { createTimeoutError } from '../transport/Deadline';
import { toBackstageError } from './toBackstageError';

function apiException(code: number, message?: string) {
  const body =
    message === undefined
      ? undefined
      : JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message,
          code,
        });
  return new ApiException(code, 'Unknown API Status Code!', body, {});
}

describe('toBackstageError', () => {
  it.each([
    [404, NotFoundError],
    [409, ConflictError],
    [400, InputError],
    [422, InputError],
    [401, AuthenticationError],
    [403, NotAllowedError],
    [500, ServiceUnavailableError],
    [503, ServiceUnavailableError],
  ])('maps HTTP %s', (code, type) => {
    const error = toBackstageError(
      apiException(code, 'pods "x" not found'),
      'lab-main',
    );
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(
      'Kubernetes cluster "lab-main": pods "x" not found',
    );
    expect((error as any).cause).toBeInstanceOf(ApiException);
  });

  it('handles bodies that are objects, empty or not JSON', () => {
    expect(
      toBackstageError(
        new ApiException(403, 'x', { message: 'forbidden: no' }, {}),
        'c',
      ).message,
    ).toBe('Kubernetes cluster "c": forbidden: no');
    expect(toBackstageError(apiException(401), 'c').message).toBe(
      'Kubernetes cluster "c": unauthorized, check the configured credentials',
    );
    expect(
      toBackstageError(
        new ApiException(502, 'x', '<html>Bad gateway</html>', {}),
        'c',
      ).message,
    ).toBe('Kubernetes cluster "c": <html>Bad gateway</html>');
    expect(
      toBackstageError(new ApiException(504, 'x', '', {}), 'c').message,
    ).toBe('Kubernetes cluster "c": HTTP 504');
  });

  it('maps watch errors with statusCode', () => {
    const err = Object.assign(new Error('Gone'), { statusCode: 410 });
    expect(toBackstageError(err, 'c')).toBeInstanceOf(ConflictError);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'maps network error %s to ServiceUnavailableError',
    code => {
      const err = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), {
        code,
      });
      const error = toBackstageError(err, 'lab-edge');
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(/^Kubernetes cluster "lab-edge": /);
    },
  );

  it('maps TLS failures to ServiceUnavailableError', () => {
    const err = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const error = toBackstageError(err, 'c');
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      'Kubernetes cluster "c": TLS verification failed (DEPTH_ZERO_SELF_SIGNED_CERT), check caData',
    );
  });

  it('maps nested causes (fetch style) and timeouts', () => {
    const fetchError = new TypeError('fetch failed', {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    expect(toBackstageError(fetchError, 'c').message).toBe(
      'Kubernetes cluster "c": connection refused',
    );
    expect(toBackstageError(createTimeoutError(250), 'c').message).toBe(
      'Kubernetes cluster "c": request timed out after 250ms',
    );
  });

  it('keeps Backstage errors and unknown errors unchanged', () => {
    const input = new InputError('bad');
    expect(toBackstageError(input, 'c')).toBe(input);
    const bug = new TypeError('x is undefined');
    expect(toBackstageError(bug, 'c')).toBe(bug);
  });
});
