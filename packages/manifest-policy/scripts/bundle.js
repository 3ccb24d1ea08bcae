#!/usr/bin/env node
// Writes bundle/manifest-policy.cjs, the one copy of the policy that
// portal:policy:install puts into every generated repository.
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const path = require('node:path');
const { bundlePolicy, bundleFile } = require('../src/bundle');

(async () => {
  const text = await bundlePolicy();
  fs.mkdirSync(path.dirname(bundleFile), { recursive: true });
  fs.writeFileSync(bundleFile, text, { mode: 0o755 });
  console.log(`wrote ${path.relative(process.cwd(), bundleFile)}`);
})().catch(e => {
  console.error(e);
  process.exit(1);
});
