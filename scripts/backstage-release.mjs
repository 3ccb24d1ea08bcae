#!/usr/bin/env node
// Helpers for moving the monorepo to one Backstage release (docs/upgrading-backstage.md).
//
//   node scripts/backstage-release.mjs derive [--release 1.57.0] [--write]
//       asks the npm registry (`npm view`) for the `latest` version of every
//       @backstage/* package the repo names (root resolutions, workspace
//       package.json files, yarn.lock) and, with --write, pins them all:
//       root `resolutions`, every workspace dependency, and backstage.json.
//   node scripts/backstage-release.mjs pin
//       sets every workspace's @backstage/* dependency to the root
//       `resolutions` version (after a rebase; no registry).
//   node scripts/backstage-release.mjs check-lock
//       counts @backstage/* packages that yarn.lock resolves to more than one
//       version; exit code 1 when there is any.
//   node scripts/backstage-release.mjs unused
//       lists workspace dependencies that nothing uses; exit code 1 when there
//       is any.
//
// Only the registry's ordinary client (npm) is used, and only for packages the
// repo already depends on.

import { execFile } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];
const DAY_MS = 24 * 60 * 60 * 1000;

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function workspaceDirs() {
  const dirs = [];
  for (const parent of ['packages', 'plugins']) {
    const full = join(repoRoot, parent);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      if (existsSync(join(full, name, 'package.json')))
        dirs.push(join(full, name));
    }
  }
  return dirs;
}

/** Every `name@npm:range` block of yarn.lock with its resolved version. */
function lockEntries() {
  const text = readFileSync(join(repoRoot, 'yarn.lock'), 'utf8');
  const entries = [];
  for (const block of text.split(/\n\n/)) {
    const header = block.split('\n')[0];
    const version = block.match(/\n {2}version: "?([^"\n]+)"?/);
    if (!version || header.startsWith('#') || header.startsWith('__metadata'))
      continue;
    const descriptors = header.replace(/:$/, '').replace(/"/g, '').split(', ');
    const names = new Set(
      descriptors.map(d => d.slice(0, d.indexOf('@', 1))).filter(Boolean),
    );
    for (const name of names)
      entries.push({
        name,
        version: version[1],
        workspace:
          version[1].includes('use.local') || header.includes('@workspace:'),
      });
  }
  return entries;
}

function backstageNames() {
  const names = new Set();
  const root = readJson(join(repoRoot, 'package.json'));
  for (const name of Object.keys(root.resolutions ?? {})) names.add(name);
  for (const dir of [repoRoot, ...workspaceDirs()]) {
    const pkg = readJson(join(dir, 'package.json'));
    for (const field of DEPENDENCY_FIELDS) {
      for (const name of Object.keys(pkg[field] ?? {})) names.add(name);
    }
  }
  for (const entry of lockEntries()) {
    if (!entry.workspace) names.add(entry.name);
  }
  return [...names].filter(n => n.startsWith('@backstage/')).sort();
}

async function latestOf(name) {
  const { stdout } = await run(
    'npm',
    ['view', name, 'dist-tags', 'time', '--json'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const meta = JSON.parse(stdout);
  const version = meta['dist-tags']?.latest;
  if (!version) throw new Error(`${name}: the registry has no latest dist-tag`);
  return { name, version, published: meta.time?.[version] };
}

async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

function sortedObject(object) {
  return Object.fromEntries(
    Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

async function derive(args) {
  const write = args.includes('--write');
  const releaseIndex = args.indexOf('--release');
  const release = releaseIndex >= 0 ? args[releaseIndex + 1] : undefined;
  if (releaseIndex >= 0 && !/^\d+\.\d+\.\d+$/.test(release ?? '')) {
    throw new Error('--release must be a version such as 1.57.0');
  }

  const names = backstageNames();
  const latest = await mapLimited(names, 8, latestOf);
  const newest = Math.max(...latest.map(l => Date.parse(l.published)));
  const root = readJson(join(repoRoot, 'package.json'));

  console.log(
    `release published ${new Date(newest)
      .toISOString()
      .slice(0, 10)} (newest latest dist-tag)`,
  );
  console.log('package\tcurrent\tlatest\tpublished');
  for (const l of latest) {
    const current = root.resolutions?.[l.name] ?? '-';
    const stale =
      newest - Date.parse(l.published) > 20 * DAY_MS
        ? '\tnot republished in this release'
        : '';
    if (current !== l.version || stale) {
      console.log(
        `${l.name}\t${current}\t${l.version}\t${l.published?.slice(
          0,
          10,
        )}${stale}`,
      );
    }
  }
  if (!write) return;

  const versions = Object.fromEntries(latest.map(l => [l.name, l.version]));
  const otherResolutions = Object.fromEntries(
    Object.entries(root.resolutions ?? {}).filter(
      ([n]) => !n.startsWith('@backstage/'),
    ),
  );
  root.resolutions = { ...otherResolutions, ...sortedObject(versions) };
  for (const dir of [repoRoot, ...workspaceDirs()]) {
    const file = join(dir, 'package.json');
    const pkg = dir === repoRoot ? root : readJson(file);
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (versions[name]) pkg[field][name] = versions[name];
      }
    }
    writeJson(file, pkg);
  }
  if (release)
    writeJson(join(repoRoot, 'backstage.json'), { version: release });
  console.log(
    `wrote ${latest.length} @backstage/* versions${
      release ? ` and backstage.json ${release}` : ''
    }`,
  );
}

/**
 * Sets every workspace's @backstage/* dependency to the version the root
 * `resolutions` pin, without asking the registry (e.g. after a rebase brought
 * in dependencies written against the previous release).
 */
function pin() {
  const root = readJson(join(repoRoot, 'package.json'));
  const versions = Object.fromEntries(
    Object.entries(root.resolutions ?? {}).filter(([n]) =>
      n.startsWith('@backstage/'),
    ),
  );
  const missing = new Set();
  for (const dir of [repoRoot, ...workspaceDirs()]) {
    const file = join(dir, 'package.json');
    const pkg = readJson(file);
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (!name.startsWith('@backstage/')) continue;
        if (versions[name]) pkg[field][name] = versions[name];
        else missing.add(name);
      }
    }
    writeJson(file, pkg);
  }
  for (const name of missing)
    console.log(`${name}: not in the root resolutions, run derive --write`);
  return missing.size === 0;
}

function checkLock() {
  const byName = new Map();
  for (const { name, version, workspace } of lockEntries()) {
    if (!name.startsWith('@backstage/') || workspace) continue;
    if (!byName.has(name)) byName.set(name, new Set());
    byName.get(name).add(version);
  }
  const duplicates = [...byName].filter(([, versions]) => versions.size > 1);
  for (const [name, versions] of duplicates)
    console.log(`${name}: ${[...versions].join(', ')}`);
  console.log(
    `${byName.size} @backstage/* packages in yarn.lock, ${duplicates.length} with more than one version`,
  );
  return duplicates.length === 0;
}

const SOURCE_EXTENSIONS = /\.(c|m)?(t|j)sx?$|\.(json|ya?ml|sh)$/;
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'dist-types',
  'coverage',
  '.git',
]);

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(name)) continue;
    const full = join(dir, name);
    const stat = statSync(full);
    if (stat.isDirectory()) out.push(...filesUnder(full));
    else if (SOURCE_EXTENSIONS.test(name) || name.startsWith('.'))
      out.push(full);
  }
  return out;
}

/** The package a binary or an `@types/x` package stands for. */
function binariesOf(dir, name) {
  const manifest = join(dir, 'node_modules', name, 'package.json');
  const rootManifest = join(repoRoot, 'node_modules', name, 'package.json');
  const path = existsSync(manifest) ? manifest : rootManifest;
  if (!existsSync(path)) return [];
  const bin = readJson(path).bin;
  if (!bin) return [];
  return typeof bin === 'string' ? [name.split('/').pop()] : Object.keys(bin);
}

function peerRequirementsOf(dir, name) {
  const manifest = [
    join(dir, 'node_modules', name, 'package.json'),
    join(repoRoot, 'node_modules', name, 'package.json'),
  ].find(existsSync);
  if (!manifest) return [];
  return Object.keys(readJson(manifest).peerDependencies ?? {});
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Dependencies nothing imports but something needs, and why. Keep this list
 * short: every entry is a decision someone has to be able to check.
 */
const KEPT = {
  '.': {
    'node-gyp':
      'yarn builds native addons (better-sqlite3) with it instead of fetching one',
  },
  'packages/backend': {
    app: "plugin-app-backend serves this package's build (app.packageName defaults to 'app')",
    'node-gyp':
      'the production-only install of the image (build-image.sh) builds better-sqlite3 with it',
  },
  'plugins/scaffolder-backend-module-golden-paths': {
    'nodejs-service-pino':
      "the golden-path test's offline npm mirror serves it (scripts/README.md)",
    'nodejs-service-types-node':
      "the golden-path test's offline npm mirror serves it (scripts/README.md)",
  },
};

const DISCOVERED_ROLES = new Set(['frontend-plugin', 'frontend-plugin-module']);

function roleOf(dir, name) {
  const manifest = [
    join(dir, 'node_modules', name, 'package.json'),
    join(repoRoot, 'node_modules', name, 'package.json'),
  ].find(existsSync);
  return manifest ? readJson(manifest).backstage?.role : undefined;
}

function unused() {
  const problems = [];
  const appConfig = ['app-config.yaml', 'app-config.production.yaml']
    .map(f => join(repoRoot, f))
    .filter(existsSync)
    .map(f => readFileSync(f, 'utf8'))
    .join('\n');
  // `app.packages: all`: the app's frontend plugins and modules are used by being listed.
  const discovery = /^app:\n(?: {2}.*\n)*? {2}packages: all$/m.test(appConfig);
  for (const dir of [repoRoot, ...workspaceDirs()]) {
    const pkg = readJson(join(dir, 'package.json'));
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    if (Object.keys(deps).length === 0) continue;
    const files =
      dir === repoRoot
        ? ['package.json', '.eslintrc.js', 'tsconfig.json', '.yarnrc.yml']
            .map(f => join(repoRoot, f))
            .concat(
              filesUnder(join(repoRoot, 'scripts')),
              existsSync(join(repoRoot, '.ci'))
                ? filesUnder(join(repoRoot, '.ci'))
                : [],
              existsSync(join(repoRoot, 'bench'))
                ? filesUnder(join(repoRoot, 'bench'))
                : [],
            )
        : filesUnder(dir);
    const texts = files
      .filter(existsSync)
      .map(f => ({ file: f, text: readFileSync(f, 'utf8') }));
    // package.json counts for scripts and config, but not for its own dependency lists.
    const manifestText = JSON.stringify({
      ...pkg,
      dependencies: undefined,
      devDependencies: undefined,
      peerDependencies: undefined,
    });
    const peers = new Set(
      Object.keys(deps).flatMap(d => peerRequirementsOf(dir, d)),
    );
    const kept = KEPT[relative(repoRoot, dir) || '.'] ?? {};
    for (const name of Object.keys(deps)) {
      if (kept[name]) continue;
      if (
        pkg.backstage?.role === 'frontend' &&
        discovery &&
        DISCOVERED_ROLES.has(roleOf(dir, name))
      )
        continue;
      // Config names drivers such as `client: pg`.
      if (
        !name.startsWith('@') &&
        new RegExp(`:\\s*${escapeRegExp(name)}\\s*$`, 'm').test(appConfig)
      )
        continue;
      const quoted = new RegExp(
        `['"\`]${escapeRegExp(name)}(/[^'"\`]*)?['"\`]`,
      );
      const typed = name.startsWith('@types/')
        ? name.slice('@types/'.length).replace(/^(.*)__(.*)$/, '@$1/$2')
        : undefined;
      const bins = binariesOf(dir, name).map(
        b => new RegExp(`(^|[\\s"'\`/])${escapeRegExp(b)}([\\s"'\`]|$)`),
      );
      const used =
        peers.has(name) ||
        (typed !== undefined &&
          (deps[typed] !== undefined ||
            texts.some(t =>
              new RegExp(`['"\`]${escapeRegExp(typed)}(/[^'"\`]*)?['"\`]`).test(
                t.text,
              ),
            ) ||
            typed === 'jest' ||
            typed === 'node')) ||
        quoted.test(manifestText) ||
        bins.some(b => b.test(manifestText)) ||
        texts.some(
          t =>
            !t.file.endsWith('package.json') &&
            (quoted.test(t.text) || bins.some(b => b.test(t.text))),
        );
      if (!used) problems.push(`${relative(repoRoot, dir) || '.'}: ${name}`);
    }
  }
  for (const p of problems) console.log(p);
  console.log(
    `${problems.length} dependencies that nothing imports, requires, names in config or scripts, or needs as a peer`,
  );
  return problems.length === 0;
}

const [command, ...args] = process.argv.slice(2);
if (command === 'derive') {
  await derive(args);
} else if (command === 'pin') {
  process.exitCode = pin() ? 0 : 1;
} else if (command === 'check-lock') {
  process.exitCode = checkLock() ? 0 : 1;
} else if (command === 'unused') {
  process.exitCode = unused() ? 0 : 1;
} else {
  console.error(
    'usage: node scripts/backstage-release.mjs derive [--release X.Y.Z] [--write] | pin | check-lock | unused',
  );
  process.exitCode = 2;
}
