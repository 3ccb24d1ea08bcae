import { checkPaths, formatReport } from './checkManifests';
import { platformRules } from './rules';

const USAGE = `usage: manifest-policy [--format text|json] [--rules] <file-or-dir>...

Checks Kubernetes manifests against the platform policy.
Exit codes: 0 all objects comply, 1 violations, 2 usage error, unreadable
files or no Kubernetes objects found.`;

/**
 * Runs the command line and returns the exit code, so tests can call it
 * without a process.
 *
 * @public
 */
export function runCli(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void; cwd?: string },
): number {
  let format = 'text';
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return 0;
    } else if (arg === '--rules') {
      for (const rule of platformRules) {
        io.out(`${rule.id}: ${rule.description}`);
      }
      return 0;
    } else if (arg === '--format') {
      format = argv[++i] ?? '';
    } else if (arg.startsWith('--format=')) {
      format = arg.slice('--format='.length);
    } else if (arg.startsWith('-')) {
      io.err(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else {
      targets.push(arg);
    }
  }
  if (targets.length === 0 || !['text', 'json'].includes(format)) {
    io.err(USAGE);
    return 2;
  }

  const report = checkPaths(targets, { cwd: io.cwd });
  if (format === 'json') {
    io.out(JSON.stringify(report, null, 2));
  } else {
    io.out(formatReport(report));
  }
  if (report.errors.length > 0) {
    return 2;
  }
  if (report.checked === 0) {
    io.err(`no Kubernetes objects found in ${targets.join(', ')}`);
    return 2;
  }
  return report.violations.length > 0 ? 1 : 0;
}
