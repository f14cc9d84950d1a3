// In-process benchmark of the check engine. At each size N it generates N mandates (a fifth stopped or
// expired), bulk-loads them into a real SQLite store, then starts each contender in a worker thread of
// its own (bench/lib/inprocess-contender.ts): the engine, built from that store (its build time and heap
// per mandate measured there); a plain Map.get over prebuilt composite string keys (the physical limit
// of one hash lookup); and node-casbin with an RBAC-with-domains grouping g(mandatee, mandator, type)
// holding the active relations only (it ignores validity, which favours it), asked through its role
// manager's synchronous hasLink (the lookup its g() matcher function makes; enforce() adds a matcher
// evaluation). Then interleaved rounds: one contender runs at a time, the others wait.
//
//   node --import tsx bench/check-inprocess.ts --sizes 10000,100000,1000000 --rounds 10 [--out file|-]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { tsWorker } from '../src/app/ts-worker.js';
import { generate, loadSqlite, median, percentile } from './lib/dataset.js';
import { type BuildStats, type ContenderMessage, type ContenderName, type ContenderSetup, STATS_OF } from './lib/inprocess-protocol.js';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
};
const SIZES = option('sizes', '10000,100000,1000000').split(',').map(Number);
const ROUNDS = Number(option('rounds', '10'));
/** Minimum time per contender per round, so a round is long enough to time well at small sizes. */
const BUDGET_MS = Number(option('budget-ms', '150'));
const QUERIES = Number(option('queries', '65536'));
const OUT = option('out', fileURLToPath(new URL('results/check-inprocess.md', import.meta.url)));
const SLICE = 1000;
/**
 * Each contender's young generation, fixed at the 64 MB semi-spaces docs/operations.md suggests. With
 * a maximum alone the threads' young generation was 1 MB while they checked (checks, whose answers die
 * young, never grow it), so the engine collected every 18,000 checks (0.4 ms each at a million
 * mandates) and those slices were its p99. V8 flags are per process; set before the threads start,
 * they apply to each of their heaps.
 */
const SEMI_SPACE_MB = 64;
setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
setFlagsFromString(`--max-semi-space-size=${SEMI_SPACE_MB}`);
// The threads collect garbage to measure heaps and to start clean (lib/heap.ts).
setFlagsFromString('--expose-gc');
/** Started in this order, one after another: the engine first, so that nothing else runs while its build is timed. */
const CONTENDERS: ContenderName[] = ['engine', 'map', 'casbin'];

// ---- measurement --------------------------------------------------------------------------------

interface Contender {
  name: ContenderName;
  worker: Worker;
  stats: BuildStats;
  rates: number[];
  sliceNs: number[];
  /** The next message from the worker (its first is 'ready'). */
  next(): Promise<ContenderMessage>;
}

/**
 * Starts a contender's thread and waits until it has built its structure and warmed up. A thread that
 * fails or exits (while asked for something, or between rounds) makes the next wait fail with why.
 */
async function start(setup: ContenderSetup): Promise<Contender> {
  const worker = tsWorker(new URL('lib/inprocess-contender.ts', import.meta.url), setup);
  let waiting: { resolve: (message: ContenderMessage) => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    waiting?.reject(failure);
    waiting = undefined;
  };
  worker.on('error', fail);
  worker.on('messageerror', fail);
  worker.on('exit', (code) => fail(new Error(`the ${setup.name} thread exited (code ${code})`)));
  worker.on('message', (message: ContenderMessage) => {
    waiting?.resolve(message);
    waiting = undefined;
  });
  const next = () =>
    new Promise<ContenderMessage>((resolve, reject) => {
      if (failure) reject(failure);
      else waiting = { resolve, reject };
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`${setup.name}: expected ready, got ${ready.type}`);
  const missing = STATS_OF[setup.name].filter((key) => typeof ready.stats[key] !== 'number');
  if (missing.length > 0) throw new Error(`${setup.name} did not measure ${missing.join(', ')}`);
  return { name: setup.name, worker, stats: ready.stats, rates: [], sliceNs: [], next };
}

interface SizeResult {
  n: number;
  indexed: number;
  loadS: number;
  buildS: number;
  buildCpuS: number;
  memoryBuildS: number;
  bytesPerMandate: number;
  casbinBuildS: number;
  enforceUs: number;
  rates: Record<ContenderName, number>;
  vsMap: { median: number; min: number; max: number };
  vsCasbin: { median: number; min: number; max: number };
  latency: Record<ContenderName, { p50: number; p99: number }>;
}

async function measure(n: number): Promise<SizeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-'));
  const contenders: Contender[] = [];
  try {
    const file = join(dir, 'bench.db');
    const t = performance.now();
    await loadSqlite(file, generate(n));
    const loadS = (performance.now() - t) / 1000;

    // One at a time, so that no build competes with another for the cores.
    for (const name of CONTENDERS) contenders.push(await start({ name, n, file, queries: QUERIES, budgetMs: BUDGET_MS, slice: SLICE }));

    const ratios = { map: [] as number[], casbin: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      const rate = {} as Record<ContenderName, number>;
      for (const c of order) {
        c.worker.postMessage('round');
        const result = await c.next();
        if (result.type !== 'round') throw new Error(`${c.name}: expected a round, got ${result.type}`);
        rate[c.name] = result.rate;
        c.rates.push(result.rate);
        for (const ns of result.sliceNs) c.sliceNs.push(ns);
      }
      ratios.map.push(rate.engine / rate.map);
      ratios.casbin.push(rate.engine / rate.casbin);
    }

    const byName = (name: ContenderName) => contenders.find((c) => c.name === name) as Contender;
    const range = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
    const latency = (name: ContenderName) => ({ p50: percentile(byName(name).sliceNs, 50), p99: percentile(byName(name).sliceNs, 99) });
    const engine = byName('engine').stats;
    const casbin = byName('casbin').stats;
    return {
      n,
      indexed: engine.indexed as number,
      loadS,
      buildS: engine.buildS as number,
      buildCpuS: engine.buildCpuS as number,
      memoryBuildS: engine.memoryBuildS as number,
      bytesPerMandate: engine.bytesPerMandate as number,
      casbinBuildS: casbin.casbinBuildS as number,
      enforceUs: casbin.enforceUs as number,
      rates: { engine: median(byName('engine').rates), map: median(byName('map').rates), casbin: median(byName('casbin').rates) },
      vsMap: range(ratios.map),
      vsCasbin: range(ratios.casbin),
      latency: { engine: latency('engine'), map: latency('map'), casbin: latency('casbin') },
    };
  } finally {
    await Promise.all(contenders.map((c) => c.worker.terminate()));
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- report -------------------------------------------------------------------------------------

const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const perSecond = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`);
const ratio = (r: { median: number; min: number; max: number }) => `**${r.median.toFixed(2)}** (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'pass' : 'FAIL');

/** A Markdown table laid out as biome formats it (padded cells, aligned separators), so the results file stays formatted. */
function table(header: string[], align: ('left' | 'right')[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((r) => (r[c] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)];
}

function report(results: SizeResult[]): string {
  const cpu = cpus();
  const right = (n: number) => Array<'right'>(n).fill('right');
  const first = results[0] as SizeResult;
  const last = results[results.length - 1] as SizeResult;
  const lines = [
    '# Check engine, in process',
    '',
    `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'} · ` +
      `\`node --import tsx bench/check-inprocess.ts --sizes ${SIZES.join(',')} --rounds ${ROUNDS}\``,
    '',
    `Per size: N mandates (10% expired, 10% stopped, 5% scheduled, 75% active), bulk-loaded into a SQLite file; the engine is built ` +
      `from that store (\`scanSignedMandates\` pages of 10,000, then the log). Each contender runs in a worker thread of its own, so ` +
      `its heap holds only its own structure and its garbage collections walk nothing else (as in an application that embeds just ` +
      `it), with its young generation fixed at ${SEMI_SPACE_MB} MB semi-spaces (\`--min-semi-space-size\` and \`--max-semi-space-size\`, ` +
      `as docs/operations.md suggests for a process holding the engine). After 3 untimed passes per contender, ${ROUNDS} interleaved ` +
      `rounds: one contender at a time while the others wait their turn (their threads may still do V8's housekeeping); order ` +
      `rotating; each round starts with one untimed pass, to refill the caches the previous contender evicted, then times passes ` +
      `for ≥ ${BUDGET_MS} ms. Every pass goes over the same ${QUERIES.toLocaleString('en')} checks (90% about an existing mandate in any ` +
      `state, 10% about a pair with none; fresh strings, as a request brings). Map.get looks up prebuilt composite keys of the active ` +
      `relations; casbin holds the active relations as g(mandatee, mandator, type) and answers through its role manager's \`hasLink\`. ` +
      `All three must allow exactly the same checks. Ratios are the median of per-round ratios of checks/s, with their range. Latency ` +
      `per check is measured over slices of ${SLICE} checks (single checks are below the timer's resolution); p99 is over slices, so it ` +
      `includes GC pauses and the machine's other work. casbin's enforceSync is timed after the warm-up passes. Heap per mandate is (heapUsed + arrayBuffers) after − before the build, after ` +
      `GC, divided by the mandates held. Build times are wall clock, with the process's CPU time beside them.`,
    '',
    ...table(
      [
        'mandates',
        'held',
        'build from SQLite',
        'build in memory',
        'heap / mandate',
        'engine checks/s',
        'Map.get/s',
        'casbin/s',
        'engine ÷ Map.get',
        'engine ÷ casbin',
        'engine p50',
        'engine p99',
      ],
      right(12),
      results.map((r) => [
        count(r.n),
        r.indexed.toLocaleString('en'),
        `${r.buildS.toFixed(2)} s (CPU ${r.buildCpuS.toFixed(2)} s)`,
        `${r.memoryBuildS.toFixed(2)} s`,
        `${r.bytesPerMandate.toFixed(0)} B`,
        perSecond(r.rates.engine),
        perSecond(r.rates.map),
        perSecond(r.rates.casbin),
        ratio(r.vsMap),
        ratio(r.vsCasbin),
        `${r.latency.engine.p50.toFixed(0)} ns`,
        `${r.latency.engine.p99.toFixed(0)} ns`,
      ]),
    ),
    '',
    ...table(
      ['mandates', 'Map.get p50 / p99', 'casbin hasLink p50 / p99', 'casbin enforceSync (mean)', 'casbin build', 'SQLite bulk load'],
      right(6),
      results.map((r) => [
        count(r.n),
        `${r.latency.map.p50.toFixed(0)} / ${r.latency.map.p99.toFixed(0)} ns`,
        `${r.latency.casbin.p50.toFixed(0)} / ${r.latency.casbin.p99.toFixed(0)} ns`,
        `${r.enforceUs.toFixed(1)} µs`,
        `${r.casbinBuildS.toFixed(2)} s`,
        `${r.loadS.toFixed(1)} s`,
      ]),
    ),
  ];
  if (results.length > 1) {
    const x = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    lines.push(
      '',
      `Growth from ${count(first.n)} to ${count(last.n)} mandates (${x(first.n, last.n)} more): build time ${x(first.buildS, last.buildS)}, ` +
        `heap per mandate ${x(first.bytesPerMandate, last.bytesPerMandate)}, engine checks/s ${x(first.rates.engine, last.rates.engine)}, ` +
        `p50 ${x(first.latency.engine.p50, last.latency.engine.p50)}, p99 ${x(first.latency.engine.p99, last.latency.engine.p99)} ` +
        `(Map.get p99 ${x(first.latency.map.p99, last.latency.map.p99)}).`,
    );
  }
  const at = count(last.n);
  const p99Growth = results.length > 1 ? last.latency.engine.p99 / first.latency.engine.p99 : undefined;
  lines.push(
    '',
    ...table(
      [`target (at ${at})`, 'measured', 'verdict'],
      ['left', 'right', 'left'],
      [
        ['engine ≥ 0.5 × Map.get', last.vsMap.median.toFixed(2), verdict(last.vsMap.median >= 0.5)],
        ['engine ≥ 2 × casbin', last.vsCasbin.median.toFixed(1), verdict(last.vsCasbin.median >= 2)],
        ['build from the store < 10 s (1M)', `${last.buildS.toFixed(2)} s`, verdict(last.n >= 1e6 ? last.buildS < 10 : undefined)],
        ['heap < 400 B per mandate', `${last.bytesPerMandate.toFixed(0)} B`, verdict(last.bytesPerMandate < 400)],
        [
          `p99 at ${at} ≤ 1.5 × p99 at ${count(first.n)}`,
          p99Growth === undefined ? '–' : `${p99Growth.toFixed(2)}×`,
          verdict(p99Growth === undefined ? undefined : p99Growth <= 1.5),
        ],
      ],
    ),
  );
  return `${lines.join('\n')}\n`;
}

const results: SizeResult[] = [];
for (const n of SIZES) {
  process.stderr.write(`measuring ${count(n)} mandates…\n`);
  results.push(await measure(n));
}
const markdown = report(results);
console.log(markdown);
if (OUT !== '-') {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, markdown);
}
