// Runs the real kubectl against a kubeconfig, bounded in time.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

export function kubectlAvailable(): boolean {
  return existsSync(KUBECTL);
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function makeKubectl(kubeconfig: string, cacheDir: string) {
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir];
  function run(args: string[], stdin?: string): Promise<KubectlResult> {
    return new Promise(resolve => {
      const child = execFile(
        KUBECTL,
        [...base, '--request-timeout', '10s', ...args],
        { timeout: 20_000, env: { ...process.env, HOME: cacheDir } },
        (err, stdout, stderr) => {
          const exitCode = (err as { code?: unknown } | null)?.code;
          let code = 0;
          if (err) code = typeof exitCode === 'number' ? exitCode : 1;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  }
  /** Starts a long-running kubectl (e.g. `get -w`) and resolves when a stdout line matches, then kills it. */
  async function waitForLine(
    args: string[],
    match: RegExp,
    trigger: () => Promise<unknown>,
    timeoutMs = 15_000,
  ): Promise<string[]> {
    const child: ChildProcess = spawn(KUBECTL, [...base, ...args], {
      env: { ...process.env, HOME: cacheDir },
    });
    const lines: string[] = [];
    let buf = '';
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no line matching ${match} within ${timeoutMs}ms; got:\n${lines.join(
                  '\n',
                )}`,
              ),
            ),
          timeoutMs,
        );
        let triggered = false;
        const fire = () => {
          if (triggered) return;
          triggered = true;
          trigger().catch(reject);
        };
        // The initial listing (stdout) or "No resources found" (stderr) means the watch is about to
        // start; give it a moment, then cause the event. A fallback covers silent starts.
        const fallback = setTimeout(fire, 3000);
        const onOutput = () => setTimeout(fire, 300);
        child.stderr!.once('data', onOutput);
        child.stdout!.once('data', onOutput);
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const parts = buf.split('\n');
          buf = parts.pop() ?? '';
          lines.push(...parts);
          if (lines.some(l => match.test(l))) {
            clearTimeout(timer);
            clearTimeout(fallback);
            resolve(lines);
          }
        });
        child.on('exit', code => {
          clearTimeout(timer);
          reject(
            new Error(`kubectl exited early with ${code}: ${lines.join('\n')}`),
          );
        });
      });
    } finally {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    }
  }
  return { run, waitForLine };
}
