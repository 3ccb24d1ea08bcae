import fs from 'node:fs';

/**
 * Variables that may be unset: the config documents what happens without
 * them (no OIDC_EMAIL_DOMAIN: local parts admit nobody).
 */
const OPTIONAL = new Set(['OIDC_EMAIL_DOMAIN']);

/** The `--config <file>` / `--config=<file>` arguments, in order. */
export function configFilesOf(argv: string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config' && i + 1 < argv.length) {
      files.push(argv[++i]);
    } else if (arg.startsWith('--config=')) {
      files.push(arg.slice('--config='.length));
    }
  }
  return files;
}

/**
 * The `${NAME}` substitutions of a config file's text, comments left out;
 * `$${NAME}` is Backstage's escape for a literal and is not one.
 */
export function substitutionsOf(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const content = line.replace(/(^|\s)#.*$/, '');
    for (const m of content.matchAll(
      /(\$?)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g,
    )) {
      if (!m[1]) names.add(m[2]);
    }
  }
  return [...names];
}

/** The variables the config files read that the environment lacks or leaves empty. */
export function missingEnvironment(
  files: string[],
  env: NodeJS.ProcessEnv,
): Array<{ name: string; file: string }> {
  const missing: Array<{ name: string; file: string }> = [];
  for (const file of files) {
    // Remote config (http/https) is read by Backstage itself.
    if (/^[a-z]+:\/\//i.test(file) || !fs.existsSync(file)) continue;
    for (const name of substitutionsOf(fs.readFileSync(file, 'utf8'))) {
      if (
        !OPTIONAL.has(name) &&
        !env[name] &&
        !missing.some(x => x.name === name)
      ) {
        missing.push({ name, file });
      }
    }
  }
  return missing;
}

/**
 * Run before the backend is created: a variable the config needs but the
 * environment lacks would otherwise surface much later as a stack trace from
 * whichever plugin reads that value first (or not at all: Backstage drops the
 * key). Exits with code 78 (EX_CONFIG), naming every missing variable.
 */
export function exitUnlessEnvironmentComplete(
  argv: string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const missing = missingEnvironment(configFilesOf(argv), env);
  if (missing.length === 0) return;
  const lines = missing.map(m => `  ${m.name} (read by ${m.file})`);
  // The logger does not exist yet; this is the process's last word.
  process.stderr.write(
    `Missing environment variable${
      missing.length > 1 ? 's' : ''
    } for the configuration:\n${lines.join('\n')}\n` +
      'Set them (deploy/README.md lists each one) and start again.\n',
  );
  process.exit(78);
}
