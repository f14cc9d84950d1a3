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
import SqliteDatabase from 'better-sqlite3';
import { newEnforcer, newModelFromString } from 'casbin';
import { readCatalogue } from '../src/app/context.js';
import { type CheckQuery, createCheckEngine, type IndexEntry, MandateIndex } from '../src/check/index.js';
import { effectiveState } from '../src/core/mandate.js';
import { makeEnterpriseNumber, makeNationalNumber, type Party, partyKey } from '../src/core/party.js';
import { openStore } from '../src/store/open.js';

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

const { catalogue } = readCatalogue(fileURLToPath(new URL('../catalogue/catalogue.json', import.meta.url)));
const NOW = Date.parse('2026-12-15T10:00:00.000Z');
const DAY0 = Date.UTC(2024, 0, 1);
const TODAY = Math.round((Date.UTC(2026, 11, 15) - DAY0) / 86_400_000);

// ---- data ---------------------------------------------------------------------------------------

type BenchMandate = IndexEntry & { status: 'signed' | 'stopped' };

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const dayTexts: string[] = [];
const day = (n: number) => (dayTexts[n] ??= new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10));
const birthTexts: string[] = [];
/** A valid national number per n: 997 serials per birth date, births counted from a base year. */
function personId(n: number, baseYear: number): string {
  const b = Math.floor(n / 997);
  const birth = (birthTexts[baseYear * 100_000 + b] ??= new Date(Date.UTC(baseYear, 0, 1 + b)).toISOString().slice(2, 10).replaceAll('-', ''));
  return makeNationalNumber(birth, (n % 997) + 1);
}
const enterpriseId = (n: number) => makeEnterpriseNumber(String(4_000_000 + n).padStart(8, '0'));
const benchId = (i: number) => {
  const t = (NOW - 10_000_000_000 + i).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7000-8000-${i.toString(16).padStart(12, '0')}`;
};

const typesFor = (mandatee: Party['kind']) =>
  catalogue.types.filter((t) => t.mandatorKinds.includes('person') && t.mandateeKinds.includes(mandatee));
const TYPES_FOR = { person: typesFor('person'), enterprise: typesFor('enterprise') };

/** N mandates: each mandator a distinct citizen; mandatees are citizens or accountancy firms (~100 mandates each). */
function generate(n: number): BenchMandate[] {
  const random = prng(n);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const firms = Math.max(10, Math.floor(n / 100));
  const data: BenchMandate[] = [];
  for (let i = 0; i < n; i++) {
    const mandatee: Party =
      random() < 0.45 ? { kind: 'enterprise', id: enterpriseId(int(0, firms - 1)) } : { kind: 'person', id: personId(int(0, n), 1960) };
    const types = TYPES_FOR[mandatee.kind];
    const type = types[int(0, types.length - 1)] as (typeof types)[number];
    const r = random();
    let from: number;
    let until: number | null;
    if (r < 0.1) {
      // expired
      from = int(0, 300);
      until = int(366, TODAY - 1);
    } else if (r < 0.15) {
      // scheduled
      from = int(TODAY + 20, TODAY + 200);
      until = random() < 0.5 ? null : from + int(30, 700);
    } else {
      // active, or (r < 0.25) stopped
      from = int(366, TODAY);
      until = random() < 0.5 ? null : int(TODAY + 17, TODAY + 1100);
    }
    data.push({
      id: benchId(i),
      version: r >= 0.15 && r < 0.25 ? 3 : 2,
      status: r >= 0.15 && r < 0.25 ? 'stopped' : 'signed',
      type: type.id,
      domain: type.domain,
      mandator: { kind: 'person', id: personId(i, 1940) },
      mandatee,
      validFrom: day(from),
      validUntil: until === null ? null : day(until),
    });
  }
  return data;
}

/** The rule itself (core's effective state), independent of the engine's precomputed bounds. */
const isActive = (m: BenchMandate) => effectiveState(m, NOW) === 'active';

/** The bench-only bulk loader: rows straight into the mandates table in one transaction (no events). */
async function loadSqlite(file: string, data: BenchMandate[]): Promise<void> {
  const store = openStore(`sqlite:${file}`);
  await store.migrate();
  await store.close();
  const db = new SqliteDatabase(file);
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `insert into mandates (id, type, domain, mandator_kind, mandator_id, mandatee_kind, mandatee_id, valid_from, valid_until,
       reference, language, status, version, content_hash, signatures, pending_amendment, proposal_expires_at, predecessor_id,
       successor_id, created_at, updated_at, ended_at, ended_by, end_reason, last_seq)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, 'nl', ?, ?, ?, '[]', null, null, null, null, ?, ?, ?, ?, null, 0)`,
  );
  const at = new Date(NOW - 86_400_000).toISOString();
  const hash = '0'.repeat(64);
  db.transaction(() => {
    for (const m of data) {
      const stopped = m.status === 'stopped';
      insert.run(
        m.id,
        m.type,
        m.domain,
        m.mandator.kind,
        m.mandator.id,
        m.mandatee.kind,
        m.mandatee.id,
        m.validFrom,
        m.validUntil,
        m.status,
        m.version,
        hash,
        at,
        at,
        stopped ? at : null,
        stopped ? 'mandator' : null,
      );
    }
  })();
  db.close();
}


const copy = (s: string) => s.split('').join('');
const n = Number(process.argv[2] ?? 10000);
const data = generate(n);
const index = new MandateIndex();
for (const m of data) index.apply(m);
const { CheckEngine } = await import('../src/check/index.js');
const { partyCode } = await import('../src/check/party-code.js');
const engine = new CheckEngine({ catalogue, index });
const random = prng(n + 1);
const pick = () => data[Math.floor(random() * n)] as BenchMandate;
const Q = 65536;
const queries: CheckQuery[] = [];
for (let i = 0; i < Q; i++) {
  const m = pick();
  const mandatee = random() < (Number(process.argv[3] ?? 0.9)) ? m.mandatee : pick().mandatee;
  queries.push({ mandator: { kind: m.mandator.kind, id: copy(m.mandator.id) }, mandatee: { kind: mandatee.kind, id: copy(mandatee.id) }, type: m.type, at: NOW });
}
const time = (label: string, f: () => number) => { let best = 1e9; for (let r = 0; r < 10; r++) { const t = process.hrtime.bigint(); const x = f(); const dt = Number(process.hrtime.bigint() - t) / Q; if (x === -42) console.log(''); best = Math.min(best, dt); } console.log(label.padEnd(20), best.toFixed(1), 'ns'); };
for (let k = 0; k < 2; k++) {
time('check', () => { let c = 0; for (let i = 0; i < Q; i++) if (engine.check(queries[i]!).allowed) c++; return c; });
time('select', () => { let c = 0; for (let i = 0; i < Q; i++) { const q = queries[i]!; if (index.select(partyCode(q.mandatee), partyCode(q.mandator), index.typeId(q.type), NOW) >= 0) c++; } return c; });
time('parse', () => { let c = 0; for (let i = 0; i < Q; i++) { const q = queries[i]!; c += partyCode(q.mandatee) + partyCode(q.mandator) + index.typeId(q.type); } return c; });
}
