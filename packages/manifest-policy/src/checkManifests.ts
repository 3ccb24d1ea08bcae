import fs from 'node:fs';
import path from 'node:path';
import { listManifestFiles, parseManifests } from './loadManifests';
import { platformRules } from './rules';
import { Manifest, PolicyReport, PolicyRule } from './types';

/**
 * Applies rules to parsed objects.
 *
 * @public
 */
export function checkManifests(
  manifests: Manifest[],
  rules: PolicyRule[] = platformRules,
): PolicyReport {
  return {
    checked: manifests.length,
    violations: manifests.flatMap(m => rules.flatMap(rule => rule.check(m))),
    errors: [],
  };
}

/**
 * Reads every manifest under the given files or directories and applies the
 * rules. File names in the report are relative to `cwd`.
 *
 * @public
 */
export function checkPaths(
  targets: string[],
  options: { rules?: PolicyRule[]; cwd?: string } = {},
): PolicyReport {
  const cwd = options.cwd ?? process.cwd();
  const manifests: Manifest[] = [];
  const errors: PolicyReport['errors'] = [];
  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    if (!fs.existsSync(absolute)) {
      errors.push({ file: target, message: 'no such file or directory' });
      continue;
    }
    for (const file of listManifestFiles(absolute)) {
      const relative = path.relative(cwd, file) || path.basename(file);
      try {
        manifests.push(
          ...parseManifests(fs.readFileSync(file, 'utf8'), relative),
        );
      } catch (error) {
        errors.push({ file: relative, message: (error as Error).message });
      }
    }
  }
  const report = checkManifests(manifests, options.rules);
  return { ...report, errors };
}

/**
 * Human-readable report, one line per violation.
 *
 * @public
 */
export function formatReport(report: PolicyReport): string {
  const lines: string[] = [];
  for (const e of report.errors) {
    lines.push(`ERROR ${e.file}: ${e.message}`);
  }
  for (const v of report.violations) {
    lines.push(
      `FAIL  [${v.rule}] ${v.file} ${v.kind}/${v.name} ${v.path}: ${v.message}`,
    );
  }
  const ok = report.violations.length === 0 && report.errors.length === 0;
  lines.push(
    ok
      ? `OK    ${report.checked} object(s) comply with the platform policy`
      : `${report.violations.length} violation(s), ${report.errors.length} unreadable file(s) in ${report.checked} object(s)`,
  );
  return lines.join('\n');
}
