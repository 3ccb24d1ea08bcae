import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * A read-only npm registry on loopback that serves exactly the packages the
 * monorepo's install already fetched (its node_modules trees), the way an
 * air-gapped organisation's mirror (Nexus, Verdaccio, Artifactory) serves
 * what it was given. Tests of generated services install from it with no
 * network; a package it does not hold is a 404, so a template that needs
 * something the monorepo does not have fails instead of downloading it.
 */
export interface OfflineRegistry {
  /** Base URL, e.g. `http://127.0.0.1:41234/`, for `npm --registry`. */
  url: string;
  /** Packument and tarball requests answered 404, by package name. */
  missing(): string[];
  close(): Promise<void>;
}

type Index = Map<string, Map<string, { dir: string; manifest: any }>>;

/** Every package under `roots`' node_modules (nested ones too), by name and version. */
export function indexNodeModules(roots: string[]): Index {
  const index: Index = new Map();
  function visit(nodeModules: string, depth: number) {
    if (depth > 12) {
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(nodeModules, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      // Symlinks are workspaces or bins, not registry packages.
      if (!entry.isDirectory() || entry.name.startsWith('.')) {
        continue;
      }
      const dir = path.join(nodeModules, entry.name);
      if (entry.name.startsWith('@')) {
        for (const scoped of fs.readdirSync(dir, { withFileTypes: true })) {
          if (scoped.isDirectory()) {
            addPackage(path.join(dir, scoped.name), depth);
          }
        }
      } else {
        addPackage(dir, depth);
      }
    }
  }
  function addPackage(dir: string, depth: number) {
    let manifest: any;
    try {
      manifest = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      );
    } catch {
      return;
    }
    if (
      typeof manifest.name === 'string' &&
      typeof manifest.version === 'string'
    ) {
      const versions = index.get(manifest.name) ?? new Map();
      if (!versions.has(manifest.version)) {
        versions.set(manifest.version, { dir, manifest });
      }
      index.set(manifest.name, versions);
    }
    visit(path.join(dir, 'node_modules'), depth + 1);
  }
  for (const root of roots) {
    visit(path.join(root, 'node_modules'), 0);
  }
  return index;
}

/**
 * Starts the registry on 127.0.0.1 over the node_modules of `roots`.
 * Tarballs are packed on first request into `workDir` (npm's layout: one
 * `package/` directory, without the package's own node_modules).
 */
export async function startOfflineRegistry(options: {
  roots: string[];
  workDir: string;
}): Promise<OfflineRegistry> {
  const index = indexNodeModules(options.roots);
  const missing = new Set<string>();
  fs.mkdirSync(options.workDir, { recursive: true });
  let base = '';

  const tarball = (name: string, version: string): string | undefined => {
    const entry = index.get(name)?.get(version);
    if (!entry) {
      return undefined;
    }
    const file = path.join(
      options.workDir,
      `${name.replace('/', '__')}-${version}.tgz`,
    );
    if (!fs.existsSync(file)) {
      const tar = spawnSync(
        'tar',
        [
          '-czf',
          `${file}.tmp`,
          '-C',
          entry.dir,
          '--exclude=./node_modules',
          '--transform=s,^\\.,package,',
          '.',
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      if (tar.status !== 0) {
        throw new Error(`packing ${name}@${version} failed: ${tar.stderr}`);
      }
      fs.renameSync(`${file}.tmp`, file);
    }
    return file;
  };

  const packument = (name: string) => {
    const versions = index.get(name);
    if (!versions) {
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [version, { manifest }] of versions) {
      out[version] = {
        ...manifest,
        hasInstallScript: hasInstall(manifest),
        dist: {
          tarball: `${base}-/tarball/${encodeURIComponent(
            name,
          )}/${version}.tgz`,
        },
      };
    }
    const latest = [...versions.keys()].sort(compareVersions).at(-1)!;
    return { name, 'dist-tags': { latest }, versions: out };
  };

  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const tgz = /^\/-\/tarball\/(.+)\/([^/]+)\.tgz$/.exec(url);
    try {
      if (req.method !== 'GET') {
        res.writeHead(405).end();
      } else if (tgz) {
        const file = tarball(tgz[1], tgz[2]);
        if (!file) {
          missing.add(`${tgz[1]}@${tgz[2]}`);
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
      } else {
        const name = url.slice(1);
        const body = packument(name);
        if (!body) {
          missing.add(name);
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'not found' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    missing: () => [...missing],
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hasInstall(manifest: any): boolean {
  const s = manifest.scripts ?? {};
  return Boolean(s.preinstall || s.install || s.postinstall);
}

/** Orders release versions (x.y.z); pre-releases sort before their release. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [main, pre] = v.split('-', 2);
    return { parts: main.split('.').map(n => Number(n) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    if (x.parts[i] !== y.parts[i]) {
      return (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    }
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
