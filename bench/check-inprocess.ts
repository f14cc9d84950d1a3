// In-process benchmark of the check engine. At each size N it generates N mandates (a fifth stopped or
// expired), bulk-loads them into a real SQLite store and times the engine's build from it (heap per
// mandate measured around the build), then runs interleaved rounds over the same checks with:
// the engine; a plain Map.get over prebuilt composite string keys (the physical limit of one hash
// lookup); and node-casbin with an RBAC-with-domains grouping g(mandatee, mandator, type) holding the
// active relations only (it ignores validity, which favours it), asked through its role manager's
// synchronous hasLink (the lookup its g() matcher function makes; enforce() adds a matcher evaluation).
//
//   node --import tsx bench/check-inprocess.ts --sizes 10000,100000,1000000 --rounds 10 [--out file|-]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { newEnforcer, newModelFromString } from 'casbin';
import { type CheckQuery, createCheckEngine, MandateIndex } from '../src/check/index.js';
import { type Party, partyKey } from '../src/core/party.js';
import { openStore } from '../src/store/open.js';
import { type BenchMandate, catalogue, generate, isActive, loadSqlite, median, NOW, percentile, prng } from './lib/dataset.js';

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

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();
const heapBytes = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  // Typed arrays live outside the JS heap: count them too.
  return m.heapUsed + m.arrayBuffers;
};

// ---- measurement --------------------------------------------------------------------------------

const copy = (s: string) => s.split('').join('');
const keyOf = (mandatee: Party, mandator: Party, type: string) => `${partyKey(mandatee)}|${partyKey(mandator)}|${type}`;
interface Contender {
  name: 'engine' | 'map' | 'casbin';
  /** Runs checks [from, to) and returns how many were allowed. */
  run(from: number, to: number): number;
  rates: number[];
  sliceNs: number[];
}

interface SizeResult {
  n: number;
  indexed: number;
  loadS: number;
  buildS: number;
  /** CPU time of the build (this process, GC threads included): what a busy machine does not inflate. */
  buildCpuS: number;
  memoryBuildS: number;
  bytesPerMandate: number;
  casbinBuildS: number;
  enforceUs: number;
  rates: Record<Contender['name'], number>;
  vsMap: { median: number; min: number; max: number };
  vsCasbin: { median: number; min: number; max: number };
  latency: Record<Contender['name'], { p50: number; p99: number }>;
}

async function measure(n: number): Promise<SizeResult> {
  const data = generate(n);
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-'));
  try {
    const file = join(dir, 'bench.db');
    let t = performance.now();
    await loadSqlite(file, data);
    const loadS = (performance.now() - t) / 1000;

    // Index build from the store, and the heap it keeps.
    const store = openStore(`sqlite:${file}`);
    const before = heapBytes();
    t = performance.now();
    const cpu = process.cpuUsage();
    const live = await createCheckEngine({ store, catalogue, follow: false, now: () => NOW });
    const buildS = (performance.now() - t) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const buildCpuS = (user + system) / 1e6;
    const bytesPerMandate = (heapBytes() - before) / live.size;
    await live.close();
    await store.close();
    const engine = live.engine;

    // The same index built straight from memory (no store): the cost of the index itself.
    t = performance.now();
    const direct = new MandateIndex();
    for (const m of data) direct.apply(m);
    const memoryBuildS = (performance.now() - t) / 1000;
    if (direct.size !== live.size) throw new Error(`index sizes differ: ${direct.size} vs ${live.size}`);

    // The checks: 90% about an existing mandate (any state), 10% about a pair with none; fresh strings, like a request's.
    const random = prng(n + 1);
    const pick = () => data[Math.floor(random() * n)] as BenchMandate;
    const queries: CheckQuery[] = [];
    const keys: string[] = [];
    const casbinArgs: [string, string, string][] = [];
    let expected = 0;
    for (let i = 0; i < QUERIES; i++) {
      const m = pick();
      const mandatee = random() < 0.9 ? m.mandatee : pick().mandatee;
      const q: CheckQuery = {
        mandator: { kind: m.mandator.kind, id: copy(m.mandator.id) },
        mandatee: { kind: mandatee.kind, id: copy(mandatee.id) },
        type: m.type,
        at: NOW,
      };
      queries.push(q);
      keys.push(copy(keyOf(q.mandatee, q.mandator, q.type)));
      casbinArgs.push([copy(partyKey(q.mandatee)), copy(partyKey(q.mandator)), copy(q.type)]);
      if (mandatee.kind === m.mandatee.kind && mandatee.id === m.mandatee.id && isActive(m)) expected += 1;
    }

    const activeRelations = data.filter(isActive);
    const map = new Map<string, number>();
    for (const [i, m] of activeRelations.entries()) map.set(keyOf(m.mandatee, m.mandator, m.type), i);

    t = performance.now();
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
    (model.model.get('g')?.get('g') as { policy: string[][] }).policy = activeRelations.map((m) => [
      partyKey(m.mandatee),
      partyKey(m.mandator),
      m.type,
    ]);
    await enforcer.buildRoleLinks();
    const casbinBuildS = (performance.now() - t) / 1000;
    const roles = enforcer.getRoleManager() as unknown as { syncedHasLink(a: string, b: string, domain: string): boolean };

    const contenders: Contender[] = [
      {
        name: 'engine',
        run(from, to) {
          let allowed = 0;
          for (let i = from; i < to; i++) if (engine.check(queries[i] as CheckQuery).allowed) allowed++;
          return allowed;
        },
        rates: [],
        sliceNs: [],
      },
      {
        name: 'map',
        run(from, to) {
          let allowed = 0;
          for (let i = from; i < to; i++) if (map.get(keys[i] as string) !== undefined) allowed++;
          return allowed;
        },
        rates: [],
        sliceNs: [],
      },
      {
        name: 'casbin',
        run(from, to) {
          let allowed = 0;
          for (let i = from; i < to; i++) {
            const [sub, obj, dom] = casbinArgs[i] as [string, string, string];
            if (roles.syncedHasLink(sub, obj, dom)) allowed++;
          }
          return allowed;
        },
        rates: [],
        sliceNs: [],
      },
    ];

    /** One pass over all checks in slices of SLICE, each slice timed; every contender must allow the same checks. */
    const pass = (c: Contender, record: boolean) => {
      let total = 0n;
      let allowed = 0;
      for (let from = 0; from < QUERIES; from += SLICE) {
        const to = Math.min(QUERIES, from + SLICE);
        const t0 = process.hrtime.bigint();
        allowed += c.run(from, to);
        const dt = process.hrtime.bigint() - t0;
        total += dt;
        if (record) c.sliceNs.push(Number(dt) / (to - from));
      }
      if (allowed !== expected) throw new Error(`${c.name} allowed ${allowed} checks, expected ${expected}`);
      return Number(total);
    };
    for (const c of contenders) for (let i = 0; i < 3; i++) pass(c, false);

    const ratios = { map: [] as number[], casbin: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      const rate = {} as Record<Contender['name'], number>;
      for (const c of order) {
        let ns = 0;
        let checks = 0;
        do {
          ns += pass(c, true);
          checks += QUERIES;
        } while (ns < BUDGET_MS * 1e6);
        rate[c.name] = checks / (ns / 1e9);
        c.rates.push(rate[c.name]);
      }
      ratios.map.push(rate.engine / rate.map);
      ratios.casbin.push(rate.engine / rate.casbin);
    }

    const sample = Math.min(QUERIES, 5000);
    t = performance.now();
    for (let i = 0; i < sample; i++) {
      const [sub, obj, dom] = casbinArgs[i] as [string, string, string];
      enforcer.enforceSync(sub, obj, dom);
    }
    const enforceUs = ((performance.now() - t) * 1000) / sample;

    const byName = (name: Contender['name']) => contenders.find((c) => c.name === name) as Contender;
    const range = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
    const latency = (name: Contender['name']) => ({ p50: percentile(byName(name).sliceNs, 50), p99: percentile(byName(name).sliceNs, 99) });
    return {
      n,
      indexed: live.size,
      loadS,
      buildS,
      buildCpuS,
      memoryBuildS,
      bytesPerMandate,
      casbinBuildS,
      enforceUs,
      rates: { engine: median(byName('engine').rates), map: median(byName('map').rates), casbin: median(byName('casbin').rates) },
      vsMap: range(ratios.map),
      vsCasbin: range(ratios.casbin),
      latency: { engine: latency('engine'), map: latency('map'), casbin: latency('casbin') },
    };
  } finally {
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
      `from that store (\`scanSignedMandates\` pages of 10,000, then the log). Then ${ROUNDS} interleaved rounds (order rotating; each ` +
      `contender ≥ ${BUDGET_MS} ms per round) over the same ${QUERIES.toLocaleString('en')} checks (90% about an existing mandate in any ` +
      `state, 10% about a pair with none; fresh strings, as a request brings). Map.get looks up prebuilt composite keys of the active ` +
      `relations; casbin holds the active relations as g(mandatee, mandator, type) and answers through its role manager's \`hasLink\`. ` +
      `All three must allow exactly the same checks. Ratios are the median of per-round ratios of checks/s, with their range. Latency ` +
      `per check is measured over slices of ${SLICE} checks (single checks are below the timer's resolution); p99 is over slices, so it ` +
      `includes GC pauses and the machine's other work. Heap per mandate is (heapUsed + arrayBuffers) after − before the build, after ` +
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
