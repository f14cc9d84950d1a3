// SSM's check API against Cerbos over HTTP, with the bare Fastify route as the ceiling: the servers on
// one core, this process (the load generator) on the other, interleaved rounds on the same checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchMandate, generate, isActiveAt, NOW } from '../lib/dataset.js';
import { load } from '../lib/load.js';
import { CERBOS_PATH, cerbosAllows, cerbosRequest, startCerbos } from './cerbos.js';
import { type BenchCheck, checksFor, ruleAllows } from './checks.js';
import { LOAD_CORE, pinSelf } from './processes.js';
import { type RunningServer, startBare, startSsm } from './ssm-server.js';

const SSM_PATH = '/api/v1/checks';
/** Distinct requests the load cycles through. */
const LOADED = 200;
/** Checks of every kind (allowed or not) put to Cerbos once, outside the load, and compared with the rule. */
const AGREEMENT_SAMPLE = 500;

export type HttpName = 'bare' | 'ssm' | 'cerbos' | 'cerbosDefault';
export interface HttpOptions {
  rounds: number;
  seconds: number;
  connections: number;
}
export interface HttpResult {
  n: number;
  /** Whether the servers and the load generator each had a core of their own. */
  pinned: boolean;
  /** Per contender, per round: requests/s and latency percentiles in ms. */
  runs: Record<HttpName, { rps: number[]; p50: number[]; p99: number[] }>;
  /** Rounds measured again because a contender got no answer at all in them. */
  redone: number;
  /** Cerbos's answers compared with the rule's (none differed, or the run stopped). */
  cerbosCompared: number;
}

interface Contender {
  name: HttpName;
  server: RunningServer;
  path: string;
  bodies: string[];
}

async function loadContender(c: Contender, options: HttpOptions, seconds = options.seconds) {
  const result = await load({
    url: c.server.url,
    path: c.path,
    bodies: c.bodies,
    headers: c.server.headers,
    connections: options.connections,
    seconds,
  });
  if (result.failed > 0) {
    const { exitCode, signalCode } = c.server.child;
    const ended = exitCode === null && signalCode === null ? '' : ` (the server had ended: ${signalCode ?? `exit ${exitCode}`})`;
    throw new Error(`${c.name}: ${result.failed} answers not 2xx, or failed${ended}`);
  }
  return result;
}

/** The loaded checks all allow: finance mandates in force both at SSM's instant and at Cerbos's clock (now). */
function loadedChecks(data: readonly BenchMandate[], now: number): BenchCheck[] {
  const usable = data.filter((m) => m.domain === 'finance' && isActiveAt(m, NOW) && isActiveAt(m, now));
  return Array.from({ length: LOADED }, (_, i) => {
    const mandate = usable[(i * 7919) % usable.length] as BenchMandate;
    return { query: { mandator: mandate.mandator, mandatee: mandate.mandatee, type: mandate.type, at: NOW }, mandate };
  });
}

async function ssmAllows(ssm: RunningServer, body: string): Promise<boolean> {
  const response = await fetch(`${ssm.url}${SSM_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ssm.headers },
    body,
  });
  const answer = (await response.json()) as { allowed?: boolean };
  if (response.status !== 200) throw new Error(`SSM answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer.allowed === true;
}

export async function compareHttp(cerbosBinary: string, n: number, options: HttpOptions): Promise<HttpResult> {
  const data = generate(n);
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-peers-'));
  const servers: RunningServer[] = [];
  try {
    const ssm = await startSsm(dir, data);
    servers.push(ssm);
    const bare = await startBare();
    servers.push(bare);
    const cerbos = await startCerbos(cerbosBinary, join(dir, 'cerbos'), 'warn');
    servers.push(cerbos);
    // Also as a user gets it out of the box, logging every request.
    const cerbosDefault = await startCerbos(cerbosBinary, join(dir, 'cerbos-default'), 'info');
    servers.push(cerbosDefault);
    const pinned = pinSelf(LOAD_CORE);

    const now = Date.now();
    const checks = loadedChecks(data, now);
    const ssmBodies = checks.map(({ query }) => JSON.stringify({ ...query, at: new Date(NOW).toISOString() }));
    const cerbosBodies = checks.map((check) => JSON.stringify(cerbosRequest(check)));
    for (const [i, check] of checks.entries()) {
      if (!(await ssmAllows(ssm, ssmBodies[i] as string))) throw new Error(`SSM refused a loaded check: ${ssmBodies[i]}`);
      if (!(await cerbosAllows(cerbos.url, check))) throw new Error(`Cerbos refused a loaded check: ${cerbosBodies[i]}`);
    }
    const sample = checksFor(data, AGREEMENT_SAMPLE, now);
    for (const check of sample) {
      if ((await cerbosAllows(cerbos.url, check)) !== ruleAllows(check, isActiveAt)) {
        throw new Error(`Cerbos answered unlike the rule: ${JSON.stringify(cerbosRequest(check))}`);
      }
    }

    const contenders: Contender[] = [
      { name: 'bare', server: bare, path: SSM_PATH, bodies: ssmBodies },
      { name: 'ssm', server: ssm, path: SSM_PATH, bodies: ssmBodies },
      { name: 'cerbos', server: cerbos, path: CERBOS_PATH, bodies: cerbosBodies },
      { name: 'cerbosDefault', server: cerbosDefault, path: CERBOS_PATH, bodies: cerbosBodies },
    ];
    // Warm each server (JIT, caches, connection pools) before the first round.
    for (const c of contenders) await loadContender(c, options, 2);
    const runs = {} as HttpResult['runs'];
    for (const c of contenders) runs[c.name] = { rps: [], p50: [], p99: [] };
    let redone = 0;
    for (let round = 0; runs.ssm.rps.length < options.rounds; round++) {
      // The order rotates, so no contender always follows the same one.
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      const measured: [Contender, Awaited<ReturnType<typeof load>>][] = [];
      for (const c of order) measured.push([c, await loadContender(c, options)]);
      const line = measured.map(([c, m]) => `${c.name} ${m.rps.toFixed(0)}/s (p99 ${m.p99} ms)`).join(', ');
      // A contender with no answer at all means the machine stalled (other work took both cores): the round says nothing.
      if (measured.some(([, m]) => m.rps === 0)) {
        if (++redone > options.rounds) throw new Error('the machine stalled in too many rounds');
        process.stderr.write(`  HTTP round redone, a contender got no answer: ${line}\n`);
        continue;
      }
      for (const [c, m] of measured) {
        runs[c.name].rps.push(m.rps);
        runs[c.name].p50.push(m.p50);
        runs[c.name].p99.push(m.p99);
      }
      process.stderr.write(`  HTTP round ${runs.ssm.rps.length}/${options.rounds}: ${line}\n`);
    }
    return { n, pinned, runs, redone, cerbosCompared: sample.length };
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
