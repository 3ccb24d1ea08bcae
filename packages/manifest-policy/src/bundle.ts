import path from 'node:path';

// Only used from this repository (bundle script, tests), never from a build.
// eslint-disable-next-line no-restricted-syntax
const packageDir = path.resolve(__dirname, '..');

/**
 * The one generated copy of the bundle. Templates do not carry copies: the
 * scaffolder action `portal:policy:install` writes this file into every
 * generated repository.
 *
 * @public
 */
export const bundleFile = path.join(packageDir, 'bundle', 'manifest-policy.cjs');

/**
 * Builds the policy and its YAML parser into one dependency-free CommonJS
 * file that runs on any Node.js 18+, with no registry access.
 *
 * @public
 */
export async function bundlePolicy(): Promise<string> {
  // esbuild is a build tool: loaded only when bundling.
  // eslint-disable-next-line @backstage/no-undeclared-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(packageDir, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    write: false,
    banner: {
      js: '#!/usr/bin/env node\n// Generated from packages/manifest-policy of the developer portal: do not edit.\n// Run: node tools/manifest-policy.cjs k8s/',
    },
  });
  return result.outputFiles[0].text;
}
