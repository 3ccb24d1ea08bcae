// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and a strategic merge
// patch that knows the merge keys of the list fields the fleet uses.
import { ApiError, badRequest } from './errors';

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

export function mergePatch(target: any, patch: any): any {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw badRequest(
      `the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`,
    );
  return path.slice(1).split('/').map(unescapePointer);
}

function getAt(doc: any, tokens: string[]): any {
  let cur = doc;
  for (const t of tokens) {
    if (cur === undefined || cur === null) return undefined;
    cur = Array.isArray(cur) ? cur[Number(t)] : cur[t];
  }
  return cur;
}

function patchError(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function addAt(root: any, tokens: string[], path: string, value: any): any {
  if (tokens.length === 0) return value;
  const parent = getAt(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    if (!(idx >= 0 && idx <= parent.length))
      throw patchError(
        `add operation does not apply: doc is missing path: "${path}"`,
      );
    parent.splice(idx, 0, value);
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw patchError(
      `add operation does not apply: doc is missing path: "${path}": missing value`,
    );
  }
  return root;
}

function removeAt(
  root: any,
  tokens: string[],
  path: string,
  op = 'remove',
): any {
  const parent = getAt(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const idx = Number(last);
    if (!(idx >= 0 && idx < parent.length))
      throw patchError(
        `${op} operation does not apply: doc is missing path: "${path}"`,
      );
    return parent.splice(idx, 1)[0];
  }
  if (isObject(parent) && last in parent) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw patchError(
    `${op} operation does not apply: doc is missing path: "${path}"`,
  );
}

function applyOperation(root: any, op: any): any {
  const tokens = parsePointer(op.path ?? '');
  switch (op.op) {
    case 'add':
      return addAt(root, tokens, op.path, clone(op.value));
    case 'remove':
      removeAt(root, tokens, op.path);
      return root;
    case 'replace':
      if (tokens.length === 0) return clone(op.value);
      removeAt(root, tokens, op.path, 'replace');
      return addAt(root, tokens, op.path, clone(op.value));
    case 'move': {
      const from = parsePointer(op.from ?? '');
      if (getAt(root, from) === undefined)
        throw patchError(
          `move operation does not apply: doc is missing from path: "${op.from}"`,
        );
      const v = removeAt(root, from, op.from, 'move');
      return addAt(root, tokens, op.path, v);
    }
    case 'copy': {
      const v = getAt(root, parsePointer(op.from ?? ''));
      if (v === undefined)
        throw patchError(
          `copy operation does not apply: doc is missing from path: "${op.from}"`,
        );
      return addAt(root, tokens, op.path, clone(v));
    }
    case 'test':
      if (JSON.stringify(getAt(root, tokens)) !== JSON.stringify(op.value)) {
        throw patchError(`testing value ${op.path} failed: test failed`);
      }
      return root;
    default:
      throw badRequest(`Unexpected kind: ${op.op}`);
  }
}

export function jsonPatch(doc: any, ops: any): any {
  if (!Array.isArray(ops))
    throw badRequest(
      'the server rejected our request due to an error in our request: json patch must be an array',
    );
  let root = clone(doc);
  for (const op of ops) root = applyOperation(root, op);
  return root;
}

/** Merge keys of associative lists, by field name (Kubernetes patchMergeKey tags). */
export const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  conditions: 'type',
  ownerReferences: 'uid',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  addresses: 'type',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
};

/** Lists of scalars merged as sets by strategic merge patch. */
const SET_LISTS = new Set(['finalizers']);

export function strategicMergePatch(target: any, patch: any): any {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return stripDirectives(rest);
  }
  const out: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (
      k.startsWith('$setElementOrder/') ||
      k.startsWith('$retainKeys') ||
      k === '$patch'
    )
      continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(v)) {
        out[field] = out[field].filter((x: unknown) => !v.includes(x));
      }
      continue;
    }
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v) && MERGE_KEYS[k] && Array.isArray(out[k])) {
      out[k] = mergeList(out[k], v, MERGE_KEYS[k]);
    } else if (Array.isArray(v) && SET_LISTS.has(k) && Array.isArray(out[k])) {
      out[k] = [...out[k], ...v.filter(x => !out[k].includes(x))];
    } else if (isObject(v)) {
      out[k] = strategicMergePatch(out[k], v);
    } else {
      out[k] = stripDirectives(clone(v));
    }
  }
  return out;
}

function mergeList(current: any[], patch: any[], key: string): any[] {
  if (patch.some(p => isObject(p) && p.$patch === 'replace')) {
    return patch
      .filter(p => !(isObject(p) && p.$patch === 'replace'))
      .map(stripDirectives);
  }
  const out = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex(c => isObject(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMergePatch(out[idx], item);
    } else {
      out.push(stripDirectives(item));
    }
  }
  return out;
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Record<string, any> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(val);
  }
  return out;
}
