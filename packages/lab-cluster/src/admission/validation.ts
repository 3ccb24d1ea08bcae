// Object-name validation with the messages kube-apiserver produces.
import { StatusCause } from '../api/errors';

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_RE =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['namespaces', 'services']);
/** RBAC names only need to be path segments (e.g. `system:node`). */
const PATH_SEGMENT_NAMED = new Set([
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
]);

export function validateName(plural: string, name: unknown): StatusCause[] {
  if (typeof name !== 'string' || name === '') {
    return [
      {
        type: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  if (PATH_SEGMENT_NAMED.has(plural)) {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      return [
        {
          field: 'metadata.name',
          message: `Invalid value: "${name}": may not contain '/' or '%'`,
        },
      ];
    }
    return [];
  }
  if (LABEL_NAMED.has(plural)) {
    const msgs: string[] = [];
    if (name.length > 63) msgs.push('must be no more than 63 characters');
    if (!LABEL_RE.test(name)) {
      msgs.push(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    }
    return msgs.length
      ? [
          {
            field: 'metadata.name',
            message: `Invalid value: "${name}": ${msgs.join(', ')}`,
          },
        ]
      : [];
  }
  const msgs: string[] = [];
  if (name.length > 253) msgs.push('must be no more than 253 characters');
  if (!SUBDOMAIN_RE.test(name)) {
    msgs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return msgs.length
    ? [
        {
          field: 'metadata.name',
          message: `Invalid value: "${name}": ${msgs.join(', ')}`,
        },
      ]
    : [];
}

export function validateLabels(obj: any): StatusCause[] {
  const labels = obj?.metadata?.labels;
  if (!labels || typeof labels !== 'object') return [];
  const causes: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (
      typeof v !== 'string' ||
      v.length > 63 ||
      !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)
    ) {
      causes.push({
        field: `metadata.labels`,
        message: `Invalid value: "${String(
          v,
        )}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
    const name = k.includes('/') ? k.split('/').pop()! : k;
    if (
      !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name) ||
      name.length > 63
    ) {
      causes.push({
        field: 'metadata.labels',
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      });
    }
  }
  return causes;
}
