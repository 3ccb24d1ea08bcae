// Entry point of the self-contained bundle (bundle/manifest-policy.cjs).
import { runCli } from './cli';

process.exitCode = runCli(process.argv.slice(2), {
  // eslint-disable-next-line no-console
  out: s => console.log(s),
  // eslint-disable-next-line no-console
  err: s => console.error(s),
});
