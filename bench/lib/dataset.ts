// The benchmark data set shared by the in-process and HTTP check benchmarks: N mandates (a fifth
// stopped or expired, some scheduled), deterministic from N, and a bulk loader into a SQLite store.
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { readCatalogue } from '../../src/app/context.js';
import type { IndexEntry } from '../../src/check/index.js';
import { effectiveState } from '../../src/core/mandate.js';
import { makeEnterpriseNumber, makeNationalNumber, type Party } from '../../src/core/party.js';
import { openStore } from '../../src/store/open.js';

export const { catalogue } = readCatalogue(fileURLToPath(new URL('../../catalogue/catalogue.json', import.meta.url)));
export const NOW = Date.parse('2026-12-15T10:00:00.000Z');
const DAY0 = Date.UTC(2024, 0, 1);
const TODAY = Math.round((Date.UTC(2026, 11, 15) - DAY0) / 86_400_000);

// ---- data ---------------------------------------------------------------------------------------

export type BenchMandate = IndexEntry & { status: 'signed' | 'stopped' };

export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** ISO day n days after 2024-01-01. */
const day = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);
/** A valid national number per n: 997 serials per birth date, births counted from 1 January of a base year. */
export function personId(n: number, baseYear: number): string {
  const birth = new Date(Date.UTC(baseYear, 0, 1 + Math.floor(n / 997))).toISOString().slice(2, 10).replaceAll('-', '');
  return makeNationalNumber(birth, (n % 997) + 1);
}
export const enterpriseId = (n: number) => makeEnterpriseNumber(String(4_000_000 + n).padStart(8, '0'));
const benchId = (i: number) => {
  const t = (NOW - 10_000_000_000 + i).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7000-8000-${i.toString(16).padStart(12, '0')}`;
};

const typesFor = (mandatee: Party['kind']) =>
  catalogue.types.filter((t) => t.mandatorKinds.includes('person') && t.mandateeKinds.includes(mandatee));
const TYPES_FOR = { person: typesFor('person'), enterprise: typesFor('enterprise') };

/** N mandates: each mandator a distinct citizen; mandatees are citizens or accountancy firms (~100 mandates each). */
export function generate(n: number): BenchMandate[] {
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
export const isActive = (m: BenchMandate) => effectiveState(m, NOW) === 'active';
export const isActiveAt = (m: BenchMandate, at: number) => effectiveState(m, at) === 'active';

/** The bench-only bulk loader: rows straight into the mandates table in one transaction (no events). */
export async function loadSqlite(file: string, data: BenchMandate[]): Promise<void> {
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

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
