// Builds meta/v1 Status objects worded like kube-apiserver, because the
// portal's error translation and kubectl both key off reason/code/message.

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `pods` or `customresourcedefinitions.apiextensions.k8s.io`, as the server names a resource in messages. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(
  plural: string,
  group: string,
  name: string,
): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualifiedResource(plural, group)} "${name}" not found`,
    {
      name,
      group: group || undefined,
      kind: plural,
    },
  );
}

export function alreadyExists(
  plural: string,
  group: string,
  name: string,
): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(plural, group)} "${name}" already exists`,
    {
      name,
      group: group || undefined,
      kind: plural,
    },
  );
}

export function conflict(
  plural: string,
  group: string,
  name: string,
  why: string,
): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      plural,
      group,
    )} "${name}": ${why}`,
    { name, group: group || undefined, kind: plural },
  );
}

export function forbidden(
  plural: string,
  group: string,
  name: string,
  why: string,
): ApiError {
  const subject = name
    ? `${qualifiedResource(plural, group)} "${name}"`
    : qualifiedResource(plural, group);
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    name: name || undefined,
    group: group || undefined,
    kind: plural,
  });
}

export function invalid(
  kind: string,
  group: string,
  name: string,
  causes: StatusCause[],
): ApiError {
  const list = causes.map(c => `${c.field}: ${c.message}`);
  const detail = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new ApiError(
    422,
    'Invalid',
    `${qualifiedKind} "${name}" is invalid: ${detail}`,
    {
      name,
      group: group || undefined,
      kind,
      causes: causes.map(c => ({
        type: c.type ?? 'FieldValueInvalid',
        message: c.message,
        field: c.field,
      })),
    },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(
  message = 'the server does not allow this method on the requested resource',
): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message);
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function genericNotFound(): ApiError {
  return new ApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}
