// SSM against what a user would otherwise pick, on the same data: SpiceDB embedded in process against
// the check engine, then Cerbos over HTTP against the check API (and the bare Fastify ceiling). The
// peers are installed on first use into bench/.peers (git-ignored), outside the project's dependencies.
//
//   node --import tsx bench/peers.ts --sizes 1000,10000,100000 --rounds 9 [--spicedb-ms 2000] [--seconds 3]
//     [--connections 50] [--http-size N (default: the largest size)] [--out file|-]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareHttp } from './peers/http.js';
import { compareInProcess } from './peers/inprocess.js';
import { installPeers } from './peers/install.js';
import { report } from './peers/report.js';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
};
const SIZES = option('sizes', '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(option('rounds', '9'));
const SPICEDB_MS = Number(option('spicedb-ms', '2000'));
const HTTP_SIZE = Number(option('http-size', String(Math.max(...SIZES))));
const HTTP = { rounds: ROUNDS, seconds: Number(option('seconds', '3')), connections: Number(option('connections', '50')) };
const OUT = option('out', fileURLToPath(new URL('results/peers.md', import.meta.url)));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Which SSM was measured: the commit, and whether the service's code differed from it. */
function ssmRevision(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'SSM outside git';
  const changed = git('status', '--porcelain', '--', 'src', 'bin', 'catalogue').stdout.trim() !== '';
  return `SSM at ${head.stdout.trim()}${changed ? ' with uncommitted changes' : ''}`;
}

const peers = installPeers();
const inProcess = [];
for (const n of SIZES) {
  process.stderr.write(`in process, ${n} mandates…\n`);
  inProcess.push(await compareInProcess(peers.spicedbEntry, n, ROUNDS, SPICEDB_MS));
}
// Last: it pins this process to the load generator's core.
process.stderr.write(`over HTTP, ${HTTP_SIZE} mandates…\n`);
const http = await compareHttp(peers.cerbosBinary, HTTP_SIZE, HTTP);

const command = `node --import tsx bench/peers.ts --sizes ${SIZES.join(',')} --rounds ${ROUNDS} --spicedb-ms ${SPICEDB_MS} --seconds ${HTTP.seconds}`;
const markdown = report({ command, revision: ssmRevision(), peers, inProcess, http, httpOptions: HTTP, spicedbMs: SPICEDB_MS });
console.log(markdown);
if (OUT !== '-') {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, markdown);
}
