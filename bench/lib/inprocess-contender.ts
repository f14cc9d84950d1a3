// One contender of the in-process benchmark, in a worker thread of its own: it regenerates the data set
// (deterministic from N), builds what it answers from, drops everything else and then times passes over
// the checks when the main thread asks for a round. A thread of its own means a V8 heap of its own, so
// its garbage collections walk only its own structures, as in an application that embeds just it:
// casbin's role graph of a million relations does not slow the engine's young collections, nor the
// other way round.
import { parentPort, workerData } from 'node:worker_threads';
import { newEnforcer, newModelFromString } from 'casbin';
import { type CheckQuery, createCheckEngine, MandateIndex } from '../../src/check/index.js';
import { type Party, partyKey } from '../../src/core/party.js';
import { openStore } from '../../src/store/open.js';
import { type BenchMandate, catalogue, generate, isActive, NOW, prng } from './dataset.js';
import { collectGarbage, heapBytes } from './heap.js';
import type { BuildStats, ContenderMessage, ContenderSetup } from './inprocess-protocol.js';

interface Built {
  /** Runs checks [from, to) and returns how many were allowed. */
  run(from: number, to: number): number;
  stats: BuildStats;
  /** Measures what is only meaningful once the code is warm (after the warm-up passes). */
  warmStats?(): BuildStats;
}

/** A check: the mandate asked about and the mandatee named (its own, or another's: then mostly no mandate). */
interface Pick {
  mandate: BenchMandate;
  mandatee: Party;
}

/** The checks, the same in every thread (the generator is seeded by N): 90% name the mandate's own mandatee. */
function pickChecks(data: BenchMandate[], n: number, count: number): Pick[] {
  const random = prng(n + 1);
  const pick = () => data[Math.floor(random() * n)] as BenchMandate;
  const picks: Pick[] = [];
  for (let i = 0; i < count; i++) {
    const mandate = pick();
    picks.push({ mandate, mandatee: random() < 0.9 ? mandate.mandatee : pick().mandatee });
  }
  return picks;
}

/** A fresh copy of a string, as a request's parser would bring (not the interned literal). */
const copy = (s: string) => s.split('').join('');
const keyOf = (mandatee: Party, mandator: Party, type: string) => `${partyKey(mandatee)}|${partyKey(mandator)}|${type}`;

async function buildEngine(setup: ContenderSetup, data: BenchMandate[], checks: Pick[]): Promise<Built> {
  const store = openStore(`sqlite:${setup.file}`);
  const before = heapBytes();
  const t = performance.now();
  const cpu = process.cpuUsage();
  const live = await createCheckEngine({ store, catalogue, follow: false, now: () => NOW });
  const buildS = (performance.now() - t) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const bytesPerMandate = (heapBytes() - before) / live.size;
  await live.close();
  await store.close();
  const engine = live.engine;

  // The same index built straight from memory (no store): the cost of the index itself.
  const t2 = performance.now();
  const direct = new MandateIndex();
  for (const m of data) direct.apply(m);
  const memoryBuildS = (performance.now() - t2) / 1000;
  if (direct.size !== live.size) throw new Error(`index sizes differ: ${direct.size} vs ${live.size}`);

  const queries: CheckQuery[] = checks.map(({ mandate, mandatee }) => ({
    mandator: { kind: mandate.mandator.kind, id: copy(mandate.mandator.id) },
    mandatee: { kind: mandatee.kind, id: copy(mandatee.id) },
    type: mandate.type,
    at: NOW,
  }));
  return {
    run(from, to) {
      let allowed = 0;
      for (let i = from; i < to; i++) if (engine.check(queries[i] as CheckQuery).allowed) allowed++;
      return allowed;
    },
    stats: { indexed: live.size, buildS, buildCpuS: (user + system) / 1e6, memoryBuildS, bytesPerMandate },
  };
}

function buildMap(data: BenchMandate[], checks: Pick[]): Built {
  const map = new Map<string, number>();
  for (const [i, m] of data.filter(isActive).entries()) map.set(keyOf(m.mandatee, m.mandator, m.type), i);
  const keys = checks.map(({ mandate, mandatee }) => copy(keyOf(mandatee, mandate.mandator, mandate.type)));
  return {
    run(from, to) {
      let allowed = 0;
      for (let i = from; i < to; i++) if (map.get(keys[i] as string) !== undefined) allowed++;
      return allowed;
    },
    stats: {},
  };
}

async function buildCasbin(data: BenchMandate[], checks: Pick[]): Promise<Built> {
  const t = performance.now();
  const model = newModelFromString(`
[request_definition]
r = sub, obj, dom
[policy_definition]
p = sub, obj, dom
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, r.obj, r.dom)
`);
  const enforcer = await newEnforcer(model);
  // addGroupingPolicies checks each rule against all before it (quadratic); set the rules and build the links once.
  (model.model.get('g')?.get('g') as { policy: string[][] }).policy = data
    .filter(isActive)
    .map((m) => [partyKey(m.mandatee), partyKey(m.mandator), m.type]);
  await enforcer.buildRoleLinks();
  const casbinBuildS = (performance.now() - t) / 1000;
  const roles = enforcer.getRoleManager() as unknown as { syncedHasLink(a: string, b: string, domain: string): boolean };
  const args = checks.map(
    ({ mandate, mandatee }) => [copy(partyKey(mandatee)), copy(partyKey(mandate.mandator)), copy(mandate.type)] as const,
  );

  return {
    run(from, to) {
      let allowed = 0;
      for (let i = from; i < to; i++) {
        const [sub, obj, dom] = args[i] as readonly [string, string, string];
        if (roles.syncedHasLink(sub, obj, dom)) allowed++;
      }
      return allowed;
    },
    stats: { casbinBuildS },
    warmStats() {
      const sample = Math.min(args.length, 5000);
      const t = performance.now();
      for (let i = 0; i < sample; i++) {
        const [sub, obj, dom] = args[i] as readonly [string, string, string];
        enforcer.enforceSync(sub, obj, dom);
      }
      return { enforceUs: ((performance.now() - t) * 1000) / sample };
    },
  };
}

const setup = workerData as ContenderSetup;
const port = parentPort;
if (!port) throw new Error('inprocess-contender runs as a worker thread');

const data = generate(setup.n);
const checks = pickChecks(data, setup.n, setup.queries);
const expected = checks.filter(
  ({ mandate, mandatee }) => mandatee.kind === mandate.mandatee.kind && mandatee.id === mandate.mandatee.id && isActive(mandate),
).length;
const built =
  setup.name === 'engine'
    ? await buildEngine(setup, data, checks)
    : setup.name === 'map'
      ? buildMap(data, checks)
      : await buildCasbin(data, checks);
// Only what the contender answers from stays on its heap.
data.length = 0;
checks.length = 0;
collectGarbage();

/** One pass over all checks in slices, each slice timed (ns per check into `sliceNs` if given); the allowed count must be the expected one. */
function pass(sliceNs?: number[]): number {
  let total = 0n;
  let allowed = 0;
  for (let from = 0; from < setup.queries; from += setup.slice) {
    const to = Math.min(setup.queries, from + setup.slice);
    const t0 = process.hrtime.bigint();
    allowed += built.run(from, to);
    const dt = process.hrtime.bigint() - t0;
    total += dt;
    sliceNs?.push(Number(dt) / (to - from));
  }
  if (allowed !== expected) throw new Error(`${setup.name} allowed ${allowed} checks, expected ${expected}`);
  return Number(total);
}

for (let i = 0; i < 3; i++) pass();
port.postMessage({ type: 'ready', stats: { ...built.stats, ...built.warmStats?.() } } satisfies ContenderMessage);
port.on('message', () => {
  // A round: one pass untimed, to refill the caches the previous contender's round evicted (a cost of
  // the interleaving, not of the contender: at a million mandates its first few slices take twice as
  // long, about 1% of a round's slices, which is the p99 itself), then timed passes until the budget is spent.
  pass();
  const sliceNs: number[] = [];
  let ns = 0;
  let checks = 0;
  do {
    ns += pass(sliceNs);
    checks += setup.queries;
  } while (ns < setup.budgetMs * 1e6);
  const slices = Float64Array.from(sliceNs);
  port.postMessage({ type: 'round', rate: checks / (ns / 1e9), sliceNs: slices } satisfies ContenderMessage, [slices.buffer]);
});
