// The real kubectl as a referee in this package's tests, bounded in time.
// Tests using it are skipped (with a warning) when the binary is missing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabFleet } from '../fleet';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

export function kubectlAvailable(): boolean {
  return existsSync(KUBECTL);
}

export interface Kubectl {
  run(
    args: string[],
    stdin?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Runs and fails with kubectl's stderr unless it exits 0; returns stdout. */
  ok(args: string[], stdin?: string): Promise<string>;
  /** `-o json` parsed. */
  json(args: string[]): Promise<any>;
  dispose(): void;
}

/** A kubectl bound to a fresh kubeconfig of the fleet (admin context of `context`). */
export async function kubectlFor(
  fleet: LabFleet,
  context: string,
): Promise<Kubectl> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-kubectl-'));
  const config = path.join(dir, 'config');
  await fleet.writeKubeconfig(config);
  const base = [
    '--kubeconfig',
    config,
    '--cache-dir',
    path.join(dir, 'cache'),
    '--context',
    context,
  ];
  const run = (args: string[], stdin?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>(resolve => {
      const child = execFile(
        KUBECTL,
        [...base, '--request-timeout', '10s', ...args],
        { timeout: 20_000, env: { ...process.env, HOME: dir } },
        (err, stdout, stderr) => {
          const exit = (err as { code?: unknown } | null)?.code;
          let code = 0;
          if (err) code = typeof exit === 'number' ? exit : 1;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  const ok = async (args: string[], stdin?: string) => {
    const r = await run(args, stdin);
    if (r.code !== 0)
      throw new Error(
        `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`,
      );
    return r.stdout;
  };
  return {
    run,
    ok,
    json: async args => JSON.parse(await ok([...args, '-o', 'json'])),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
