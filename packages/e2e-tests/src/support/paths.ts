import path from 'node:path';

/** The repository root, whatever the working directory of jest. */
export const repoRoot = path.resolve(__dirname, '../../../..');

/** Where browser tests save screenshots (named in the README). */
export const artifactsDir = path.join(repoRoot, 'e2e', 'artifacts');
