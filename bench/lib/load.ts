// The HTTP load generator of the benchmarks: wrk when the machine has it (a C program: it spends far
// less of its core per request than a Node.js generator, so the servers, not the generator, are what
// is measured, and its latencies are not delayed by its own event loop), else autocannon.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface LoadOptions {
  /** Origin of the server, e.g. http://127.0.0.1:43100 */
  url: string;
  path: string;
  /** POST bodies, sent in turn. */
  bodies: string[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  rps: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** Answers that were not 2xx, and connection errors or timeouts. */
  failed: number;
}

export const generator: 'wrk' | 'autocannon' = spawnSync('wrk', ['--version']).error === undefined ? 'wrk' : 'autocannon';

/** A Lua long string: its contents are taken as they are, whatever quotes they hold. */
const luaString = (text: string) => {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
};

function wrkScript(options: LoadOptions): string {
  const headers = Object.entries({ 'content-type': 'application/json', ...options.headers })
    .map(([name, value]) => `wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`)
    .join('\n');
  return [
    'wrk.method = "POST"',
    headers,
    `local bodies = {${options.bodies.map(luaString).join(',\n')}}`,
    'local i = 0',
    'request = function()',
    '  i = i % #bodies + 1',
    `  return wrk.format(nil, ${luaString(options.path)}, nil, bodies[i])`,
    'end',
  ].join('\n');
}

/** `3.25ms`, `812.00us`, `1.02s` in ms. */
function millis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) throw new Error(`wrk printed a latency I cannot read: ${text}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function withWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-wrk-'));
  const script = join(dir, 'load.lua');
  writeFileSync(script, wrkScript(options));
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', script, `${options.url}${options.path}`];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p50 = /^\s+50%\s+(\S+)/m.exec(out);
      const p99 = /^\s+99%\s+(\S+)/m.exec(out);
      if (code !== 0 || !rps || !p50 || !p99) return reject(new Error(`wrk failed (exit ${code}): ${out.slice(-1000)}`));
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const failed = non2xx + (errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
      resolve({ rps: Number(rps[1]), p50: millis(p50[1] as string), p99: millis(p99[1] as string), failed });
    });
  });
}

async function withAutocannon(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: options.bodies.map((body) => ({
      method: 'POST' as const,
      path: options.path,
      body,
      headers: { 'content-type': 'application/json', ...options.headers },
    })),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors };
}

export const load = (options: LoadOptions): Promise<LoadResult> => (generator === 'wrk' ? withWrk(options) : withAutocannon(options));
