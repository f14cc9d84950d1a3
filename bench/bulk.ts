// Benchmark of bulk jobs. On SQLite (a temporary file):
//   (i)   raw: the same N events + projection rows the job wrote, inserted in one transaction with
//         better-sqlite3 prepared statements, hash chain computed: the physical baseline;
//   (ii)  N creates in one job, end to end (job and items stored, chunks, JWS signatures, chain,
//         projection, notifications outbox, item results): time, rate, ratio to raw;
//   (iii) the same job on PostgreSQL (a database created and dropped at SSM_TEST_PG_ADMIN_URL);
//   (iv)  the job submitted over HTTP to the server started as its own process (`ssm serve` on a SQLite
//         file): time to the 202, then to the first visible progress;
//   (v)   latency of checks (POST /api/v1/checks, answered by the check engine) while that job runs, sent
//         from this process, so the client does not share the server's event loop; then (iv) and (v)
//         again with the job on the thread that serves requests (SSM_BATCH_THREAD=0), for comparison;
//   (vi)  peak RSS of a process importing an N-row CSV (streamed), measured in a child process.
// Writes a Markdown table to bench/results/bulk.md (or --out file, or - for none) and prints it.
//
//   node --import tsx bench/bulk.ts [--n 100000] [--chunk 1000] [--runs 3] [--skip-pg] [--out file|-]
//   node --import tsx bench/bulk.ts --job-only    (only (ii) on SQLite, printed as JSON: for profiling a change)
//   node --import tsx bench/bulk.ts --http-only   (only (iv) and (v), both ways, printed as JSON: for trying a change)
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createApiClient } from '../src/app/api-clients.js';
import { readCsvItems } from '../src/app/bulk-csv.js';
import { type ItemInput, processJob, storeJob } from '../src/app/bulk-jobs.js';
import { chainParts } from '../src/app/bulk-seal-core.js';
import { workerId } from '../src/app/bulk-worker.js';
import { type AppContext, openApp } from '../src/app/context.js';
import { devAccessToken } from '../src/auth/dev-login.js';
import { loadConfig } from '../src/config.js';
import { brusselsDay } from '../src/core/dates.js';
import { makeEnterpriseNumber, makeNationalNumber } from '../src/core/party.js';
import { rowToEvent } from '../src/store/rows.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { freePort, startServer } from './peers/processes.js';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const N = Number(option('n', '100000'));
const OUT = option('out', fileURLToPath(new URL('results/bulk.md', import.meta.url)));
const PG_ADMIN = process.env.SSM_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHUNK = Number(option('chunk', '1000'));
const RUNS = Math.max(1, Number(option('runs', '3')));

const ACME = makeEnterpriseNumber('04031707');
const REP = makeNationalNumber('650420', 789);
const PIT = 'finance.personal-income-tax';

/** The i-th fictitious client: distinct valid national numbers. */
function client(i: number): string {
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const year = 40 + (Math.floor(i / 336) % 50);
  return makeNationalNumber(
    `${String(year).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
    1 + Math.floor(i / 16_800),
  );
}

function* creates(n: number, today: string): Generator<ItemInput> {
  for (let i = 0; i < n; i++) {
    yield {
      row: null,
      line: null,
      op: {
        op: 'create',
        input: {
          type: PIT,
          mandator: { kind: 'person', id: client(i) },
          mandatee: { kind: 'enterprise', id: ACME },
          validFrom: today,
          validUntil: null,
          reference: `file ${i}`,
          language: 'nl',
        },
      },
    };
  }
}

const ms = (from: number) => performance.now() - from;
const secs = (t: number) => `${(t / 1000).toFixed(2)} s`;
const rate = (n: number, t: number) => `${Math.round((n / t) * 1000).toLocaleString('en')}/s`;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const env = { SSM_LOG_LEVEL: 'silent' };

async function benchApp(url: string): Promise<AppContext> {
  const app = await openApp(loadConfig(env, { databaseUrl: url }));
  await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'bench' }]);
  return app;
}

/** (ii)/(iii): store and process one job of N creates; returns the time end to end. */
async function jobEndToEnd(app: AppContext): Promise<{ ms: number; storeMs: number; cpuMs: number; done: number }> {
  const actor = { kind: 'person' as const, id: REP, authTime: new Date().toISOString(), authLevel: 'bench' };
  const runner = { worker: workerId('bench'), leaseMs: 60_000 };
  const start = performance.now();
  const cpu = process.cpuUsage();
  const stored = await storeJob(
    app,
    { actor, onBehalfOf: { kind: 'enterprise', id: ACME }, kind: 'operations', source: 'json' },
    creates(N, brusselsDay(new Date())),
    { runner },
  );
  if (!stored.ok) throw new Error(JSON.stringify(stored.refusal));
  const storeMs = ms(start);
  const job = await processJob(app, stored.job.id, runner.worker, { chunkSize: CHUNK, leaseMs: 60_000 });
  const total = ms(start);
  const used = process.cpuUsage(cpu);
  if (job?.status !== 'done' || job.done !== N) throw new Error(`job ended ${job?.status} with ${job?.done} done`);
  return { ms: total, storeMs, cpuMs: (used.user + used.system) / 1000, done: job.done };
}

/** (i): the rows the job wrote, inserted again into a fresh database in one transaction with prepared statements. */
async function rawInsert(jobDb: string): Promise<number> {
  const source = new SqliteDatabase(jobDb, { readonly: true });
  const events = source.prepare('select * from events order by seq').all() as Record<string, unknown>[];
  const mandates = source.prepare('select * from mandates').all() as Record<string, unknown>[];
  source.close();
  const file = join(mkdtempSync(join(tmpdir(), 'ssm-bench-raw-')), 'raw.db');
  const store = openSqliteStore(file);
  await store.migrate();
  await store.close();
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const eventCols = Object.keys(events[0] as object);
  const mandateCols = Object.keys(mandates[0] as object);
  const insertEvent = db.prepare(`insert into events (${eventCols.join(',')}) values (${eventCols.map((c) => `@${c}`).join(',')})`);
  const insertMandate = db.prepare(`insert into mandates (${mandateCols.join(',')}) values (${mandateCols.map((c) => `@${c}`).join(',')})`);
  const setHead = db.prepare('update chain_head set seq = ?, hash = ? where id = 1');
  const parsed = events.map((e) => rowToEvent(e as never));
  const { createHash } = await import('node:crypto');
  const start = performance.now();
  db.transaction(() => {
    let prev = '0'.repeat(64);
    for (let i = 0; i < events.length; i++) {
      // The chain hash as the job computes it (canonical JSON around the position, SHA-256).
      const { head, tail } = chainParts(parsed[i] as never);
      const hash = createHash('sha256')
        .update(`${prev}\n${head}${i + 1}${tail}`)
        .digest('hex');
      insertEvent.run({ ...events[i], prev_hash: prev, hash });
      prev = hash;
    }
    for (const m of mandates) insertMandate.run(m);
    setHead.run(events.length, prev);
  })();
  const took = ms(start);
  db.close();
  rmSync(dirname(file), { recursive: true, force: true });
  return took;
}

/** (iv)+(v): the job over HTTP against the server in its own process, with checks answered meanwhile. */
interface HttpResult {
  acceptedMs: number;
  firstProgressMs: number;
  totalMs: number;
  idleP50: number;
  idleP99: number;
  duringP50: number;
  duringP99: number;
  duringMax: number;
  duringCount: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The SSM server as its own process on the SQLite file, with the local identity provider on. */
async function serve(file: string, dir: string, jobThread: boolean): Promise<{ url: string; child: ChildProcess }> {
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    try {
      const child = await startServer([process.execPath, 'bin/ssm.js', 'serve'], {
        cwd: ROOT,
        ready: /SSM is running/,
        env: {
          SSM_DATABASE_URL: `sqlite:${file}`,
          SSM_PORT: String(port),
          SSM_HOST: '127.0.0.1',
          SSM_PUBLIC_URL: url,
          SSM_DEV_IDP: '1',
          SSM_LOG_LEVEL: 'warn',
          SSM_RATE_LIMIT: '100000',
          SSM_BATCH_CHUNK: String(CHUNK),
          SSM_BATCH_THREAD: jobThread ? '1' : '0',
          SSM_MAIL_DIR: join(dir, 'mail'),
        },
      });
      return { url, child };
    } catch (error) {
      if (!/EADDRINUSE/.test((error as Error).message) || attempt >= 5) throw error;
    }
  }
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** (iv) and (v); `jobThread`: the server runs jobs in a thread of their own (the default) or on its serving thread. */
async function overHttp(jobThread: boolean): Promise<HttpResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-serve-'));
  const file = join(dir, 'ssm.db');
  // The representative and the business application are stored before the server starts, as an operator would.
  const setup = await benchApp(`sqlite:${file}`);
  const { client: api, secret } = await createApiClient(setup, { name: 'bench', domain: 'finance' });
  await setup.store.close();
  const basic = `Basic ${Buffer.from(`${api.id}:${secret}`).toString('base64')}`;
  const { url, child } = await serve(file, dir, jobThread);
  try {
    // A person's bearer token from the server's own identity provider, through the real authorization code grant.
    const token = await devAccessToken(`${url}/idp`, REP);
    const check = async () => {
      const t = performance.now();
      const res = await fetch(`${url}/api/v1/checks`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify({
          mandator: { kind: 'person', id: client(Math.floor(Math.random() * N)) },
          mandatee: { kind: 'enterprise', id: ACME },
          type: PIT,
        }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`check answered ${res.status}`);
      return ms(t);
    };
    // The usual latency: warmed up first (the first few hundred run before the JIT has compiled the path).
    for (let i = 0; i < 500; i++) await check();
    const idle: number[] = [];
    for (let i = 0; i < 2000; i++) idle.push(await check());

    const today = brusselsDay(new Date());
    const operations = Array.from({ length: N }, (_, i) => ({
      op: 'create',
      mandate: {
        type: PIT,
        mandator: { kind: 'person', id: client(i) },
        mandatee: { kind: 'enterprise', id: ACME },
        validFrom: today,
        reference: `file ${i}`,
      },
    }));
    const body = JSON.stringify({ onBehalfOf: { kind: 'enterprise', id: ACME }, operations });
    const submitted = performance.now();
    const res = await fetch(`${url}/api/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const accepted = performance.now();
    const job = (await res.json()) as { id: string; status: string };
    if (res.status !== 202) throw new Error(`submission answered ${res.status}: ${JSON.stringify(job)}`);

    // Checks keep coming while the job runs, one after the other.
    const during: number[] = [];
    let running = true;
    const checker = (async () => {
      while (running) during.push(await check());
    })();
    let firstProgress = Number.NaN;
    let finished = Number.NaN;
    for (;;) {
      const poll = await fetch(`${url}/api/v1/batches/${job.id}?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      const state = (await poll.json()) as { job: { processed: number; status: string; done: number } };
      if (Number.isNaN(firstProgress) && state.job.processed > 0) firstProgress = performance.now();
      if (state.job.status !== 'queued' && state.job.status !== 'running') {
        finished = performance.now();
        if (state.job.done !== N) throw new Error(`HTTP job ended ${state.job.status} with ${state.job.done} done`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    running = false;
    await checker;
    idle.sort((a, b) => a - b);
    during.sort((a, b) => a - b);
    return {
      acceptedMs: accepted - submitted,
      firstProgressMs: firstProgress - accepted,
      totalMs: finished - submitted,
      idleP50: quantile(idle, 0.5),
      idleP99: quantile(idle, 0.99),
      duringP50: quantile(during, 0.5),
      duringP99: quantile(during, 0.99),
      duringMax: during.at(-1) ?? Number.NaN,
      duringCount: during.length,
    };
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (vi), in a child process: import a CSV file (store and process the job); prints the peak RSS. */
async function csvImportChild(file: string, url: string) {
  const app = await benchApp(url);
  const actor = { kind: 'person' as const, id: REP, authTime: new Date().toISOString(), authLevel: 'bench' };
  const runner = { worker: workerId('bench'), leaseMs: 60_000 };
  const before = process.resourceUsage().maxRSS;
  const start = performance.now();
  const items = readCsvItems(createReadStream(file), { today: brusselsDay(new Date()), actingParty: { kind: 'enterprise', id: ACME } });
  const stored = await storeJob(app, { actor, onBehalfOf: { kind: 'enterprise', id: ACME }, kind: 'operations', source: 'csv' }, items, {
    runner,
  });
  if (!stored.ok) throw new Error(JSON.stringify(stored.refusal));
  const readKb = process.resourceUsage().maxRSS;
  const job = await processJob(app, stored.job.id, runner.worker, { chunkSize: CHUNK, leaseMs: 60_000 });
  await app.store.close();
  process.stdout.write(
    `${JSON.stringify({ beforeKb: before, readKb, peakKb: process.resourceUsage().maxRSS, ms: ms(start), done: job?.done })}\n`,
  );
}

async function csvImport(): Promise<{ peakMb: number; beforeMb: number; readMb: number; fileMb: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-csv-'));
  try {
    const file = join(dir, 'clients.csv');
    const out = createWriteStream(file);
    const today = brusselsDay(new Date());
    out.write('\uFEFFtype;mandator;mandatee;language;reference;validFrom;validUntil\r\n');
    // About 500 bytes a row, as a file with long references would be: 100,000 rows make 50 MB.
    const padding = 'x'.repeat(440);
    for (let i = 0; i < N; i++) {
      if (!out.write(`${PIT};${client(i)};;nl;${padding} ${i};${today};\r\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    const url = `sqlite:${join(dir, 'ssm.db')}`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', 'csv-import', '--csv', file, '--db', url, '--chunk', String(CHUNK)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    const code = await new Promise((r) => child.on('exit', r));
    if (code !== 0) throw new Error(`CSV import child exited ${code}`);
    const r = JSON.parse(output.trim().split('\n').at(-1) as string) as {
      beforeKb: number;
      readKb: number;
      peakKb: number;
      ms: number;
      done: number;
    };
    if (r.done !== N) throw new Error(`CSV import did ${r.done} of ${N}`);
    return {
      peakMb: r.peakKb / 1024,
      beforeMb: r.beforeKb / 1024,
      readMb: r.readKb / 1024,
      fileMb: statSync(file).size / 1024 / 1024,
      ms: r.ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withPostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `ssm_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

async function main() {
  if (option('phase', '') === 'csv-import') {
    await csvImportChild(option('csv', ''), option('db', ''));
    return;
  }
  const load = loadavg()[0]?.toFixed(1);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${load} at start`;
  process.stderr.write(`bulk bench: N = ${N}, chunk ${CHUNK}; ${machine}\n`);

  if (flag('job-only')) {
    const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-bulk-'));
    const app = await benchApp(`sqlite:${join(dir, 'ssm.db')}`);
    process.stdout.write(`${JSON.stringify(await jobEndToEnd(app))}\n`);
    await app.store.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  if (flag('http-only')) {
    process.stdout.write(`${JSON.stringify({ thread: await overHttp(true), servingThread: await overHttp(false) })}\n`);
    return;
  }
  // The machine is noisy: the SQLite job runs RUNS times, each on a fresh file; the run of median time is reported, with the range.
  const sqliteRuns: Awaited<ReturnType<typeof jobEndToEnd>>[] = [];
  let raw = 0;
  for (let run = 1; run <= RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-bulk-'));
    const sqliteFile = join(dir, 'ssm.db');
    const app = await benchApp(`sqlite:${sqliteFile}`);
    sqliteRuns.push(await jobEndToEnd(app));
    await app.store.close();
    process.stderr.write(`(ii) SQLite job, run ${run}/${RUNS}: ${secs((sqliteRuns.at(-1) as { ms: number }).ms)}\n`);
    if (run === RUNS) {
      raw = await rawInsert(sqliteFile);
      process.stderr.write(`(i) raw: ${secs(raw)}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const byTime = [...sqliteRuns].sort((a, b) => a.ms - b.ms);
  const sqliteJob = byTime[Math.floor((byTime.length - 1) / 2)] as (typeof sqliteRuns)[number];
  const sqliteRange = `${secs((byTime[0] as { ms: number }).ms)}–${secs((byTime.at(-1) as { ms: number }).ms)}`;

  let pgJob: Awaited<ReturnType<typeof jobEndToEnd>> | undefined;
  if (!flag('skip-pg')) {
    pgJob = await withPostgres(async (url) => {
      const pgApp = await benchApp(url);
      try {
        return await jobEndToEnd(pgApp);
      } finally {
        await pgApp.store.close();
      }
    });
    process.stderr.write(`(iii) PostgreSQL job: ${secs(pgJob.ms)}\n`);
  }
  const http = await overHttp(true);
  process.stderr.write(`(iv)(v) over HTTP: done in ${secs(http.totalMs)}\n`);
  const inline = await overHttp(false);
  process.stderr.write(`(v) over HTTP, the job on the serving thread: done in ${secs(inline.totalMs)}\n`);
  const csv = await csvImport();
  process.stderr.write(`(vi) CSV import: peak RSS ${csv.peakMb.toFixed(0)} MB\n`);

  const ratio = raw / sqliteJob.ms;
  const rows = [
    [
      '(i) raw insert: the same events + projection rows, one transaction, prepared statements, chain computed',
      `${secs(raw)} (${rate(N, raw)})`,
      '—',
    ],
    [
      `(ii)/(iii) one job of N creates, end to end (stored, chunks, JWS, chain, projection, outbox, item results); SQLite: median of ${RUNS} runs, each on a fresh file (target < 10 s)`,
      `${secs(sqliteJob.ms)} (${rate(N, sqliteJob.ms)}), range ${sqliteRange}; ratio to raw ${ratio.toFixed(2)}x (target ≥ 0.15x)`,
      pgJob ? `${secs(pgJob.ms)} (${rate(N, pgJob.ms)})` : 'skipped',
    ],
    ['    of which storing the job and its N items', secs(sqliteJob.storeMs), pgJob ? secs(pgJob.storeMs) : '—'],
    [
      '    CPU time of the process (all threads: job, sealing threads, GC), per item',
      `${secs(sqliteJob.cpuMs)}, ${((sqliteJob.cpuMs * 1000) / N).toFixed(0)} µs`,
      pgJob ? `${secs(pgJob.cpuMs)}, ${((pgJob.cpuMs * 1000) / N).toFixed(0)} µs` : '—',
    ],
    [
      '(iv) over HTTP, the server a separate process (`ssm serve`): POST of N create operations (JSON) answered 202 (job and items stored) after',
      `${http.acceptedMs.toFixed(0)} ms`,
      '—',
    ],
    [
      '(iv) first progress visible (GET /batches/{id}, processed > 0) after the 202',
      `${http.firstProgressMs.toFixed(0)} ms (target < 1000 ms)`,
      '—',
    ],
    ['(iv) job over HTTP done, from the POST', secs(http.totalMs), '—'],
    [
      '(v) POST /api/v1/checks (check engine) to that server, from another process, before the job (2000 after 500 to warm up): p50 / p99',
      `${http.idleP50.toFixed(1)} / ${http.idleP99.toFixed(1)} ms`,
      '—',
    ],
    [
      `(v) POST /api/v1/checks during the job (${http.duringCount} checks, one at a time, from another process): p50 / p99 / max`,
      `${http.duringP50.toFixed(1)} / ${http.duringP99.toFixed(1)} / ${http.duringMax.toFixed(0)} ms`,
      '—',
    ],
    [
      `(v) the same with SSM_BATCH_THREAD=0 (the job on the thread that serves requests): before the job p50 / p99; during it (${inline.duringCount} checks) p50 / p99 / max; the job done after`,
      `${inline.idleP50.toFixed(1)} / ${inline.idleP99.toFixed(1)} ms; ${inline.duringP50.toFixed(1)} / ${inline.duringP99.toFixed(1)} / ${inline.duringMax.toFixed(0)} ms; ${secs(inline.totalMs)}`,
      '—',
    ],
    [
      `(vi) peak RSS of a process importing an N-row CSV (${csv.fileMb.toFixed(0)} MB, streamed): before / after reading and storing it / after processing the job`,
      `${csv.beforeMb.toFixed(0)} / ${csv.readMb.toFixed(0)} / ${csv.peakMb.toFixed(0)} MB (import ${secs(csv.ms)})`,
      '—',
    ],
  ];
  const table = [
    `# Bulk jobs benchmark (N = ${N.toLocaleString('en')})`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${machine}. \`npm run bench:bulk\` (bench/bulk.ts).`,
    '',
    '| measure | SQLite | PostgreSQL |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (OUT !== '-') {
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, table);
  }
}

await main();
process.exit(0);
