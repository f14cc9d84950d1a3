// `npm run bench`: the check engine in process, then the check API over HTTP with the load generator on
// core 1. With `--peers`, then the comparison with SpiceDB and Cerbos (installed on first use). Any other
// flags go to the HTTP bench, as they always did, and to the peer comparison.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LOAD_CORE, pinned } from './peers/processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flags = args.filter((arg) => arg !== '--peers');

function run(command: string[]): void {
  const [bin, ...rest] = command as [string, ...string[]];
  const { status, signal } = spawnSync(bin, rest, { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) {
    process.stderr.write(`${command.join(' ')} failed (${signal ?? `exit ${status}`})\n`);
    process.exit(status ?? 1);
  }
}

run(['node', '--import', 'tsx', 'bench/check-inprocess.ts']);
run(pinned(LOAD_CORE, ['node', '--import', 'tsx', 'bench/check-http.ts', ...flags]));
if (args.includes('--peers')) run(['node', '--import', 'tsx', 'bench/peers.ts', ...flags]);
