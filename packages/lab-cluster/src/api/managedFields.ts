// Field ownership for server-side apply: field sets in the FieldsV1 format,
// conflict detection between managers, and ownership upkeep on plain writes.
import { ApiError } from './errors';
import { MERGE_KEYS, clone } from './patch';

type Tokens = string[];

const UNTRACKED_TOP = new Set(['apiVersion', 'kind']);
const UNTRACKED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'generateName',
]);

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function elementToken(item: any, key: string): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

/** All owned paths of an object: leaves, plus list elements themselves (the "." entries). */
export function fieldPaths(
  obj: any,
  includeStatus: boolean,
): Map<string, Tokens> {
  const out = new Map<string, Tokens>();
  const visit = (value: any, tokens: Tokens, fieldName: string) => {
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) {
        if (
          tokens.length === 0 &&
          (UNTRACKED_TOP.has(k) || (!includeStatus && k === 'status'))
        )
          continue;
        if (
          tokens.length === 1 &&
          tokens[0] === 'f:metadata' &&
          UNTRACKED_META.has(k)
        )
          continue;
        visit(v, [...tokens, `f:${k}`], k);
      }
      return;
    }
    const mergeKey = MERGE_KEYS[fieldName];
    if (
      Array.isArray(value) &&
      mergeKey &&
      value.every(i => isObject(i) && i[mergeKey] !== undefined)
    ) {
      for (const item of value) {
        const el = [...tokens, elementToken(item, mergeKey)];
        out.set(el.join('\u0001'), el);
        for (const [k, v] of Object.entries(item))
          visit(v, [...el, `f:${k}`], k);
      }
      return;
    }
    if (tokens.length > 0) out.set(tokens.join('\u0001'), tokens);
  };
  visit(obj, [], '');
  return out;
}

function parseElementToken(token: string): Record<string, unknown> {
  return JSON.parse(token.slice(2));
}

export function valueAt(obj: any, tokens: Tokens): any {
  let cur = obj;
  for (const t of tokens) {
    if (cur === undefined || cur === null) return undefined;
    if (t.startsWith('f:')) cur = cur[t.slice(2)];
    else if (t.startsWith('k:')) {
      const [[k, v]] = Object.entries(parseElementToken(t));
      cur = Array.isArray(cur)
        ? cur.find(i => isObject(i) && i[k] === v)
        : undefined;
    } else return undefined;
  }
  return cur;
}

function deleteAt(obj: any, tokens: Tokens): void {
  const parent = valueAt(obj, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (parent === undefined || parent === null) return;
  if (last.startsWith('f:')) delete parent[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent)) {
    const [[k, v]] = Object.entries(parseElementToken(last));
    const idx = parent.findIndex(i => isObject(i) && i[k] === v);
    if (idx >= 0) parent.splice(idx, 1);
  }
}

/** `.spec.containers[name="app"].image`, the path notation of conflict messages. */
export function pathString(tokens: Tokens): string {
  return tokens
    .map(t => {
      if (t.startsWith('f:')) return `.${t.slice(2)}`;
      if (t.startsWith('k:')) {
        const parts = Object.entries(parseElementToken(t)).map(
          ([k, v]) => `${k}=${JSON.stringify(v)}`,
        );
        return `[${parts.join(',')}]`;
      }
      return t;
    })
    .join('');
}

export function toFieldsV1(paths: Iterable<Tokens>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const tokens of paths) {
    let node = root;
    tokens.forEach((t, i) => {
      node[t] = node[t] ?? {};
      node = node[t];
      if (i === tokens.length - 1 && t.startsWith('k:')) node['.'] = {};
    });
  }
  return root;
}

export function fromFieldsV1(
  fields: Record<string, any> | undefined,
): Map<string, Tokens> {
  const out = new Map<string, Tokens>();
  const visit = (node: Record<string, any>, tokens: Tokens) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && tokens.length > 0) {
      out.set(tokens.join('\u0001'), tokens);
      return;
    }
    for (const k of keys) {
      if (k === '.') out.set(tokens.join('\u0001'), tokens);
      else visit(node[k] ?? {}, [...tokens, k]);
    }
  };
  visit(fields ?? {}, []);
  return out;
}

/** Applies a configuration onto the live object: maps merge, keyed lists merge by key, everything else replaces. */
function applyMerge(live: any, applied: any, fieldName: string): any {
  if (isObject(applied)) {
    const out: Record<string, any> = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied))
      out[k] = applyMerge(out[k], v, k);
    return out;
  }
  const mergeKey = MERGE_KEYS[fieldName];
  if (Array.isArray(applied) && Array.isArray(live) && mergeKey) {
    const out = [...live];
    for (const item of applied) {
      const idx = out.findIndex(
        i => isObject(i) && isObject(item) && i[mergeKey] === item[mergeKey],
      );
      if (idx >= 0) out[idx] = applyMerge(out[idx], item, '');
      else out.push(clone(item));
    }
    return out;
  }
  return clone(applied);
}

interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, any>;
  subresource?: string;
}

function entries(obj: any): ManagedEntry[] {
  return Array.isArray(obj?.metadata?.managedFields)
    ? obj.metadata.managedFields
    : [];
}

function printManager(e: ManagedEntry): string {
  const name = JSON.stringify(e.manager);
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined when the
 * object does not exist yet). Returns the new object with managedFields set,
 * or throws a 409 Conflict Status naming the other managers.
 */
export function serverSideApply(
  live: any | undefined,
  applied: any,
  manager: string,
  force: boolean,
  apiVersion: string,
  includeStatus: boolean,
): any {
  const appliedPaths = fieldPaths(applied, includeStatus);
  const current = entries(live);
  const conflicts: Array<{ entry: ManagedEntry; tokens: Tokens }> = [];
  const others = current.filter(
    e => !(e.manager === manager && e.operation === 'Apply'),
  );
  const othersPaths = others.map(e => ({
    entry: e,
    paths: fromFieldsV1(e.fieldsV1),
  }));
  for (const { entry, paths } of othersPaths) {
    for (const [key, tokens] of appliedPaths) {
      if (!paths.has(key)) continue;
      if (tokens[tokens.length - 1].startsWith('k:')) continue;
      const a = JSON.stringify(valueAt(applied, tokens));
      const b = JSON.stringify(valueAt(live, tokens));
      if (a !== b) conflicts.push({ entry, tokens });
    }
  }
  if (conflicts.length > 0 && !force) {
    const causes = conflicts.map(c => ({
      type: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.entry)}`,
      field: pathString(c.tokens),
    }));
    let message: string;
    if (conflicts.length === 1) {
      message = `Apply failed with 1 conflict: conflict with ${printManager(
        conflicts[0].entry,
      )}: ${pathString(conflicts[0].tokens)}`;
    } else {
      const byManager = new Map<string, string[]>();
      for (const c of conflicts) {
        const m = printManager(c.entry);
        byManager.set(m, [...(byManager.get(m) ?? []), pathString(c.tokens)]);
      }
      const lines: string[] = [];
      for (const m of [...byManager.keys()].sort()) {
        lines.push(`conflicts with ${m}`);
        for (const p of byManager.get(m)!) lines.push(`- ${p}`);
      }
      message = `Apply failed with ${conflicts.length} conflicts: ${lines.join(
        '\n',
      )}`;
    }
    throw new ApiError(409, 'Conflict', message, { causes });
  }
  // Forced conflicts move ownership to the applier.
  if (force) {
    for (const c of conflicts) {
      const op = othersPaths.find(o => o.entry === c.entry)!;
      op.paths.delete(c.tokens.join('\u0001'));
    }
  }
  const previous = current.find(
    e => e.manager === manager && e.operation === 'Apply',
  );
  const previousPaths = fromFieldsV1(previous?.fieldsV1);
  let result = applyMerge(live ?? {}, applied, '');
  // Fields this manager applied before but no longer does are removed unless someone else owns them.
  const removed = [...previousPaths.entries()]
    .filter(([k]) => !appliedPaths.has(k))
    .sort((a, b) => b[1].length - a[1].length);
  for (const [key, tokens] of removed) {
    const ownedElsewhere = othersPaths.some(o =>
      [...o.paths.keys()].some(p => p === key || p.startsWith(`${key}\u0001`)),
    );
    if (!ownedElsewhere) deleteAt(result, tokens);
  }
  result = clone(result);
  const newEntries: ManagedEntry[] = [];
  for (const o of othersPaths) {
    const remaining = [...o.paths.values()].filter(
      t => valueAt(result, t) !== undefined,
    );
    if (remaining.length > 0)
      newEntries.push({ ...o.entry, fieldsV1: toFieldsV1(remaining) });
  }
  newEntries.push({
    manager,
    operation: 'Apply',
    apiVersion,
    time: now(),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedPaths.values()),
  });
  result.metadata = { ...(result.metadata ?? {}), managedFields: newEntries };
  return result;
}

/**
 * Ownership upkeep for create/update/patch: the writing manager takes every
 * field it changed (no conflicts for plain writes) and fields that disappeared
 * are dropped from every manager.
 */
export function recordUpdate(
  oldObj: any | undefined,
  newObj: any,
  manager: string,
  apiVersion: string,
  subresource: string | undefined,
): void {
  const includeStatus = subresource === 'status';
  const newPaths = fieldPaths(newObj, true);
  const changed: Tokens[] = [];
  for (const [, tokens] of newPaths) {
    if (!includeStatus && tokens[0] === 'f:status') continue;
    if (includeStatus && tokens[0] !== 'f:status') continue;
    if (
      !oldObj ||
      JSON.stringify(valueAt(oldObj, tokens)) !==
        JSON.stringify(valueAt(newObj, tokens))
    ) {
      changed.push(tokens);
    }
  }
  const changedKeys = new Set(changed.map(t => t.join('\u0001')));
  const result: ManagedEntry[] = [];
  let mine: ManagedEntry | undefined;
  for (const e of entries(oldObj)) {
    const isMine =
      e.manager === manager &&
      e.operation === 'Update' &&
      (e.subresource ?? '') === (subresource ?? '');
    const paths = [...fromFieldsV1(e.fieldsV1).entries()]
      .filter(
        ([k, t]) =>
          (isMine || !changedKeys.has(k)) &&
          newPaths.has(k) &&
          valueAt(newObj, t) !== undefined,
      )
      .map(([, t]) => t);
    if (isMine) {
      mine = {
        ...e,
        fieldsV1: toFieldsV1([...paths, ...changed]),
        time: now(),
        apiVersion,
      };
      result.push(mine);
    } else if (paths.length > 0) {
      result.push({ ...e, fieldsV1: toFieldsV1(paths) });
    }
  }
  if (!mine && changed.length > 0) {
    result.push({
      manager,
      operation: 'Update',
      apiVersion,
      time: now(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(changed),
      ...(subresource ? { subresource } : {}),
    });
  }
  newObj.metadata.managedFields = result;
}
