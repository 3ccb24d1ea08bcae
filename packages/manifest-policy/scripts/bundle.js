#!/usr/bin/env node
// Writes bundle/manifest-policy.cjs and the copies in templates/*/skeleton/tools/.
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const path = require('node:path');
const { bundlePolicy, templateCopies } = require('../src/bundle');

(async () => {
  const text = await bundlePolicy();
  const targets = [
    path.resolve(__dirname, '..', 'bundle', 'manifest-policy.cjs'),
    ...templateCopies(),
  ];
  for (const target of targets) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text, { mode: 0o755 });
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  }
})().catch(e => {
  console.error(e);
  process.exit(1);
});
