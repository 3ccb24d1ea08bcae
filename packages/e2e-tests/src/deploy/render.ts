// Renders deploy/ with the real kubectl's kustomize and validates objects
// against the Kubernetes schemas of kubernetes-models.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KUBECTL } from '../kubectl/kubectlRunner';
import { repoRoot } from '../support/paths';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: any };
  [key: string]: any;
}

/** `kubectl kustomize deploy/<dir>`: the YAML text and its objects. */
export async function kustomize(
  dir: string,
): Promise<{ yaml: string; objects: K8sObject[] }> {
  const yaml = await new Promise<string>((resolve, reject) => {
    execFile(
      KUBECTL,
      ['kustomize', path.join(repoRoot, 'deploy', dir)],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`kubectl kustomize deploy/${dir}: ${stderr}`))
          : resolve(String(stdout)),
    );
  });
  const objects = parseAllDocuments(yaml)
    .map(d => d.toJS() as K8sObject)
    .filter(Boolean);
  return { yaml, objects };
}

/**
 * Validates an object with the kubernetes-models class of its apiVersion and
 * kind; returns the error message, or undefined when it is valid. A kind the
 * models do not know is an error too: nothing passes unchecked.
 */
export function schemaError(obj: K8sObject): string | undefined {
  const where = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`;
  const modulePath = `kubernetes-models/${obj.apiVersion}`;
  let models: Record<string, any>;
  try {
    // eslint-disable-next-line @backstage/no-undeclared-imports
    models = require(modulePath);
  } catch {
    return `${where}: no schema (${modulePath})`;
  }
  const Model = models[obj.kind];
  if (typeof Model !== 'function') return `${where}: no schema for the kind`;
  try {
    new Model(obj).validate();
    return undefined;
  } catch (e) {
    return `${where}: ${(e as Error).message}`;
  }
}

/**
 * The `${NAME}` environment substitutions of a config file, comments left
 * out (`$${NAME}` is an escaped literal).
 */
export function configVariables(file: string): string[] {
  const names = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const content = line.replace(/(^|\s)#.*$/, '');
    for (const m of content.matchAll(
      /(\$?)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g,
    )) {
      if (!m[1]) names.add(m[2]);
    }
  }
  return [...names];
}

export function find(
  objects: K8sObject[],
  kind: string,
  name?: string,
): K8sObject {
  const found = objects.find(
    o =>
      o.kind === kind &&
      (name === undefined ||
        o.metadata.name === name ||
        o.metadata.name.startsWith(`${name}-`)),
  );
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in the rendering`);
  return found;
}
