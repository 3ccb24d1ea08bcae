import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Manifest } from './types';

/**
 * Parses the Kubernetes objects of one YAML text. Documents that are not
 * Kubernetes objects (no apiVersion and kind) are ignored; `List` objects are
 * flattened.
 *
 * @public
 */
export function parseManifests(text: string, file: string): Manifest[] {
  const out: Manifest[] = [];
  parseAllDocuments(text).forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors[0].message}`);
    }
    const value = doc.toJS();
    const objects =
      value?.kind === 'List' && Array.isArray(value.items)
        ? value.items
        : [value];
    for (const object of objects) {
      if (
        !object ||
        typeof object !== 'object' ||
        typeof object.apiVersion !== 'string' ||
        typeof object.kind !== 'string'
      ) {
        continue;
      }
      out.push({
        file,
        documentIndex,
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: object.metadata ?? {},
        object,
      });
    }
  });
  return out;
}

/**
 * Every `.yaml` / `.yml` file under a directory (or the file itself),
 * sorted, skipping `node_modules` and dot-directories.
 *
 * @public
 */
export function listManifestFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) {
    return [target];
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
          walk(full);
        }
      } else if (/\.ya?ml$/i.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(target);
  return out;
}
