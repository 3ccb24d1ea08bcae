// Label and field selector parsing/matching with the server's grammar subset.
import { badRequest } from '../api/errors';

export type Predicate = (obj: any) => boolean;

interface LabelRequirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') parts.push(current);
  return parts.map(p => p.trim()).filter(p => p !== '');
}

function parseLabelRequirement(raw: string): LabelRequirement {
  let m = /^!\s*([^\s!=]+)$/.exec(raw);
  if (m) return { key: m[1], op: '!exists', values: [] };
  m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw);
  if (m) {
    const values = m[3]
      .split(',')
      .map(v => v.trim())
      .filter(v => v !== '');
    return { key: m[1], op: m[2] as 'in' | 'notin', values };
  }
  m = /^([^\s!=()]+)\s*(==|!=|=)\s*([^\s,()]*)$/.exec(raw);
  if (m) return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]] };
  m = /^([^\s!=()]+)$/.exec(raw);
  if (m) return { key: m[1], op: 'exists', values: [] };
  throw badRequest(
    `unable to parse requirement: found '${raw}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

export function parseLabelSelector(
  selector: string | undefined | null,
): Predicate | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const reqs = splitTopLevel(selector).map(parseLabelRequirement);
  return (obj: any) => {
    const labels: Record<string, string> = obj?.metadata?.labels ?? {};
    return reqs.every(r => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case 'eq':
          return has && v === r.values[0];
        case 'neq':
          return !has || v !== r.values[0];
        case 'in':
          return has && r.values.includes(v);
        case 'notin':
          return !has || !r.values.includes(v);
        default:
          return false;
      }
    });
  };
}

/** Reads a dotted field path; for the fields the server indexes, absent reads as ''. */
function fieldValue(obj: any, path: string): string {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === undefined || cur === null) return '';
    cur = cur[part];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const FIELDS_BY_PLURAL: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  secrets: ['type'],
};

export function parseFieldSelector(
  selector: string | undefined | null,
  plural: string,
): Predicate | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const allowed = new Set([
    ...COMMON_FIELDS,
    ...(FIELDS_BY_PLURAL[plural] ?? []),
  ]);
  const reqs = selector
    .split(',')
    .map(s => s.trim())
    .filter(s => s !== '')
    .map(raw => {
      const m = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/.exec(raw);
      if (!m)
        throw badRequest(
          `invalid selector: '${selector}'; can't understand '${raw}'`,
        );
      const field = m[1];
      if (!allowed.has(field)) {
        throw badRequest(`field label not supported: ${field}`);
      }
      return { field, negate: m[2] === '!=', value: m[3] };
    });
  return (obj: any) =>
    reqs.every(r => {
      const actual =
        r.field === 'source'
          ? fieldValue(obj, 'source.component')
          : fieldValue(obj, r.field);
      return r.negate ? actual !== r.value : actual === r.value;
    });
}

export function combine(
  ...preds: Array<Predicate | undefined>
): Predicate | undefined {
  const list = preds.filter((p): p is Predicate => !!p);
  if (list.length === 0) return undefined;
  return obj => list.every(p => p(obj));
}
