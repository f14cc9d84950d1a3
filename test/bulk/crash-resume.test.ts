// A job killed mid-way (SIGKILL of the worker process after some chunks committed) and resumed by a
// new process: every item is applied exactly once, on both dialects, and the audit chain holds.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.js';
import { type ItemInput, storeJob } from '../../src/app/bulk-jobs.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';
import { ACME, client, enterprise, PIT, person, REP } from './support.js';

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const N = 4000;
const CHUNK = 100;

function startWorker(url: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, String(CHUNK), '1500'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, SSM_TEST_OWNER: REP },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.resume();
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe.each(DIALECTS)('a job killed mid-way on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url, new Date().toISOString());
    await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('resumes after the last committed chunk and applies every item exactly once', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
    // Every 10th item repeats the one before it: refused as a duplicate, exactly once too.
    const items: ItemInput[] = Array.from({ length: N }, (_, i) => ({
      row: null,
      line: null,
      op: {
        op: 'create' as const,
        input: {
          type: PIT,
          mandator: person(client(i % 10 === 9 ? i - 1 : i)),
          mandatee: enterprise(ACME),
          validFrom: today,
          validUntil: null,
          reference: `r${i}`,
          language: 'nl' as const,
        },
      },
    }));
    const actor = { kind: 'person' as const, id: REP, authTime: new Date().toISOString(), authLevel: 'test' };
    const stored = await storeJob(app, { actor, onBehalfOf: enterprise(ACME), kind: 'operations', source: 'json' }, items);
    if (!stored.ok) throw new Error(JSON.stringify(stored.refusal));
    const jobId = stored.job.id;

    const first = startWorker(db.url);
    // Kill it once a few chunks are in, well before the end.
    for (;;) {
      const job = await app.store.batches.get(jobId);
      if ((job?.processed ?? 0) >= 5 * CHUNK) break;
      if (job?.status === 'done') throw new Error('the job ended before the worker could be killed; make it longer');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const killed = await app.store.batches.get(jobId);
    expect(killed?.status).toBe('running');
    expect(killed?.processed).toBeLessThan(N);
    expect((killed?.processed ?? 0) % CHUNK).toBe(0);
    // What was committed is consistent: one outcome per processed item, one event per done item.
    const db0 = (app.store as KyselyStore).db;
    const results = await db0
      .selectFrom('batch_results')
      .select(sql<number>`count(*)`.as('n'))
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(Number(results.n)).toBe(killed?.processed);
    expect((await app.store.head()).seq).toBe(killed?.done);

    const second = startWorker(db.url);
    expect(await second.exited).toBe(0);
    const job = await app.store.batches.get(jobId);
    expect(job).toMatchObject({ status: 'done', total: N, processed: N, done: N - N / 10, refused: N / 10, skipped: 0 });

    const perMandate = await db0
      .selectFrom('events')
      .select(['mandate_id', sql<number>`count(*)`.as('n')])
      .groupBy('mandate_id')
      .execute();
    expect(perMandate).toHaveLength(N - N / 10);
    expect(perMandate.every((r) => Number(r.n) === 1)).toBe(true);
    const mandates = await db0.selectFrom('mandates').select(['mandator_id', 'reference']).execute();
    expect(mandates).toHaveLength(N - N / 10);
    expect(new Set(mandates.map((m) => m.mandator_id)).size).toBe(N - N / 10);
    const done = await db0.selectFrom('batch_results').select(['mandate_id', 'outcome', 'code']).where('job_id', '=', jobId).execute();
    expect(done).toHaveLength(N);
    expect(new Set(done.filter((r) => r.outcome === 'done').map((r) => r.mandate_id)).size).toBe(N - N / 10);
    expect(done.filter((r) => r.outcome === 'refused').every((r) => r.code === 'MANDATE_DUPLICATE')).toBe(true);
    const audit = await verifyAudit(app.store);
    expect(audit).toMatchObject({ ok: true, events: N - N / 10, mandates: N - N / 10 });
  }, 120_000);
});
