import fs from 'node:fs';
import path from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (let depth = 0; depth < 10; depth++) {
    if (fs.existsSync(path.join(dir, 'backstage.json'))) {
      return dir;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`no backstage.json above ${start}`);
}

/** The repository root, found from the working directory of jest. */
export const repoRoot = findRepoRoot(process.cwd());

/** Where browser tests save screenshots (named in the README). */
export const artifactsDir = path.join(repoRoot, 'e2e', 'artifacts');
