// Bulk jobs at the application level, on both dialects: every operation kind through the chunk path,
// items seeing each other within and across chunks, invalid rows reported where they are, dry runs
// that write nothing (and predict the real run), signatures verifiable with the published keys.
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.js';
import { project } from '../../src/app/bulk-chunk.js';
import { chainParts } from '../../src/app/bulk-seal-core.js';
import { type BatchInput, type BulkSettings, submitBatch } from '../../src/app/bulk-submit.js';
import { canonicalJson } from '../../src/core/canonical.js';
import { chainHash } from '../../src/core/chain.js';
import { evolve } from '../../src/core/events.js';
import type { BatchJob } from '../../src/store/batch-port.js';
import { actorAt, type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';
import { A, ACME, B, C, client, enterprise, PIT, person, REP } from './support.js';

const settings: BulkSettings = { chunkSize: 3, inlineMax: 1000, leaseMs: 30_000 };
const DAY = '2026-12-01';

describe.each(DIALECTS)('bulk jobs on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;

  const run = async (by: string, input: BatchInput, options: { as?: string; dryRun?: boolean } = {}) => {
    const as = options.as ? enterprise(options.as) : null;
    return submitBatch(app, actorAt(app, by) as never, as, input, settings, { dryRun: options.dryRun });
  };
  const ops = (operations: unknown[]): BatchInput => ({ form: 'operations', operations });
  const csv = (text: string): BatchInput => ({
    form: 'csv',
    bytes: (async function* () {
      yield Buffer.from(text);
    })(),
    fileName: 'test.csv',
  });
  const results = async (job: BatchJob) => app.store.batches.items(job.id, -1, 1000);
  const finished = (s: Awaited<ReturnType<typeof run>>) => {
    if (s.outcome !== 'finished') throw new Error(`not finished: ${JSON.stringify(s)}`);
    return s.job;
  };

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url);
    await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('carries out every kind of operation, each judged like a single command', async () => {
    const created = finished(
      await run(
        A,
        ops(
          [0, 1, 2, 3, 4, 5].map((i) => ({
            op: 'create',
            mandate: {
              type: i < 3 ? PIT : 'finance.myminfin',
              mandator: person(A),
              mandatee: person(i % 2 ? B : C),
              validFrom: DAY,
              validUntil: i < 3 ? null : '2027-06-01',
            },
          })),
        ),
      ),
    );
    const items = await results(created);
    // Items 0/2 (A→C, PIT) and 3/5 (A→B, myminfin) clash: the second of each pair is a duplicate.
    expect(items.map((i) => i.result?.outcome)).toEqual(['done', 'done', 'refused', 'done', 'done', 'refused']);
    const [pitC, pitB, , myB, myC] = items.map((i) => i.result?.mandateId as string) as [string, string, string, string, string];
    const signedB = finished(
      await run(
        B,
        ops([
          { op: 'sign', id: pitB },
          { op: 'sign', id: myB },
          { op: 'sign', id: pitC },
        ]),
      ),
    );
    expect((await results(signedB)).map((i) => i.result?.code ?? 'ok')).toEqual(['ok', 'ok', 'MANDATE_NOT_FOUND']);
    finished(
      await run(
        C,
        ops([
          { op: 'refuse', id: pitC, reason: 'no thanks' },
          { op: 'sign', id: myC },
        ]),
      ),
    );
    const mixed = finished(
      await run(
        A,
        ops([
          { op: 'amend', id: myB, validUntil: '2027-03-01' },
          { op: 'amend', id: myB, validUntil: '2027-05-01' },
          { op: 'transfer', id: pitB, mandatee: person(C) },
          { op: 'stop', id: myC, reason: 'done' },
          { op: 'withdraw', id: pitC },
          { op: 'stop', id: myC },
        ]),
      ),
    );
    const outcomes = (await results(mixed)).map((i) => i.result?.code ?? i.result?.outcome);
    // Narrowing applies, the widening after it waits for B; the transfer proposes a successor signed by A.
    expect(outcomes).toEqual(['done', 'done', 'done', 'done', 'MANDATE_STATUS', 'MANDATE_ENDED']);
    const transferred = (await results(mixed))[2]?.result;
    const successor = await app.store.getMandate(transferred?.relatedId as string);
    expect(successor).toMatchObject({ status: 'pending', predecessorId: pitB, mandatee: person(C) });
    const amended = await app.store.getMandate(myB);
    expect(amended).toMatchObject({ validUntil: '2027-03-01', pendingAmendment: { validUntil: '2027-05-01', proposedBy: 'mandator' } });
    // C signs the successor: the transfer completes, in the same item.
    const completed = finished(await run(C, ops([{ op: 'sign', id: successor?.id }])));
    expect((await results(completed))[0]?.result).toMatchObject({ outcome: 'done', relatedId: pitB });
    expect(await app.store.getMandate(pitB)).toMatchObject({ status: 'transferred', successorId: successor?.id });
    expect(await verifyAudit(app.store)).toMatchObject({ ok: true });
  });

  it('lets items see each other within a chunk and across chunks', async () => {
    // Chunks of 3: items 0 and 1 clash inside the first chunk, item 4 with item 0 across chunks.
    const grant = (i: number) => ({
      op: 'create',
      mandate: { type: PIT, mandator: person(client(i)), mandatee: enterprise(ACME), validFrom: DAY },
    });
    const job = finished(await run(REP, ops([grant(100), grant(100), grant(101), grant(102), grant(100), grant(103)]), { as: ACME }));
    expect((await results(job)).map((i) => i.result?.code ?? 'ok')).toEqual([
      'ok',
      'MANDATE_DUPLICATE',
      'ok',
      'ok',
      'MANDATE_DUPLICATE',
      'ok',
    ]);
    const again = finished(await run(REP, ops([grant(101)]), { as: ACME }));
    expect((await results(again))[0]?.result?.code).toBe('MANDATE_DUPLICATE');
  });

  it('decides a chunk again when a single command changed things after it was decided ahead', async () => {
    const { processJob } = await import('../../src/app/bulk-jobs.js');
    const { createMandate } = await import('../../src/app/create-mandate.js');
    const grant = (i: number) => ({
      op: 'create',
      mandate: { type: PIT, mandator: person(client(i)), mandatee: enterprise(ACME), validFrom: DAY },
    });
    // Chunks of 3: chunk 2 (items 6–8) is decided in chunk 1's transaction, before chunk 1 is written;
    // item 7 repeats item 4 of chunk 1, which it must see although that is not written yet.
    const queued = await submitBatch(
      app,
      actorAt(app, REP) as never,
      enterprise(ACME),
      ops([700, 701, 702, 703, 704, 705, 706, 704, 708, 709].map(grant)),
      { ...settings, inlineMax: 0 },
    );
    if (queued.outcome !== 'queued') throw new Error(queued.outcome);
    // Between chunks 1 and 2 someone proposes client 708's mandate by hand, so item 8 is now a duplicate.
    // The job reads whom its owner represents before each chunk: that read waits for the single command.
    let single: Promise<Awaited<ReturnType<typeof createMandate>>> | undefined;
    const store = new Proxy(app.store, {
      get(target, key) {
        if (key === 'enterprisesRepresentedBy') {
          return async (id: string) => {
            await single;
            return target.enterprisesRepresentedBy(id);
          };
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const worker = 'test-worker';
    await app.store.batches.claim(worker, new Date().toISOString(), new Date(Date.now() + 60_000).toISOString());
    const job = await processJob({ ...app, store }, queued.job.id, worker, {
      chunkSize: 3,
      leaseMs: 60_000,
      onProgress: (progress) => {
        if (progress.processed === 6) single ??= createMandate(app, actorAt(app, REP), enterprise(ACME), grant(708).mandate);
      },
    });
    expect((await single)?.ok).toBe(true);
    expect(job).toMatchObject({ status: 'done', done: 8, refused: 2, error: null });
    expect((await results(job as BatchJob)).map((i) => i.result?.code ?? 'ok')).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'MANDATE_DUPLICATE',
      'MANDATE_DUPLICATE',
      'ok',
    ]);
    expect(await verifyAudit(app.store)).toMatchObject({ ok: true });
  });

  it('applies the valid rows of a CSV and reports the invalid ones with their row, column and code', async () => {
    const text = [
      '\uFEFFoperation;type;mandator;mandatee;language;validFrom;validUntil;reference',
      `;${PIT};${client(200)};;fr;01/12/2026;;ok 1`,
      `create;${PIT};${client(201)};;xx;;;bad language`,
      `;${PIT};${client(202)};;;20261215;20261210;ends before it starts`,
      `;finance.nope;${client(203)};;;;;unknown type`,
      `sign;;;;;;;no id`,
      `;${PIT};${client(204)};${client(205)};;;;not ACME's`,
      `;${PIT};${client(206)};;nl;2026-12-01;2027-12-31;ok 2`,
    ].join('\n');
    const job = finished(await run(REP, csv(text), { as: ACME }));
    expect(job).toMatchObject({ total: 7, done: 2, refused: 5, source: 'csv', fileName: 'test.csv' });
    const got = (await results(job)).map((i) => [i.row, i.result?.outcome, i.result?.code ?? null, i.result?.field ?? null]);
    expect(got).toEqual([
      [2, 'done', null, null],
      [3, 'refused', 'LANGUAGE_UNKNOWN', 'language'],
      [4, 'refused', 'VALIDITY_END_BEFORE_START', 'validUntil'],
      [5, 'refused', 'TYPE_UNKNOWN', 'type'],
      [6, 'refused', 'BULK_VALUE_MISSING', 'id'],
      [7, 'refused', 'ACTOR_NOT_REPRESENTATIVE', 'onBehalfOf'],
      [8, 'done', null, null],
    ]);
    const first = await app.store.getMandate((await results(job))[0]?.result?.mandateId as string);
    expect(first).toMatchObject({ language: 'fr', validFrom: DAY, mandatee: enterprise(ACME), reference: 'ok 1' });
  });

  it('dry-runs without writing anything, and predicts what the real run does', async () => {
    const grant = (i: number, type = PIT) => ({
      op: 'create',
      mandate: { type, mandator: person(client(i)), mandatee: enterprise(ACME), validFrom: DAY },
    });
    const operations = [
      grant(300),
      grant(301),
      grant(300),
      grant(302, 'finance.nope'),
      grant(100),
      { op: 'stop', id: '01a20e1c-0000-7000-8000-000000000000' },
    ];
    const head = await app.store.head();
    const listing = await app.store.listMandates({ party: enterprise(ACME), limit: 500 });
    const jobs = await app.store.batches.list(REP, 100);
    const dry = await run(REP, ops(operations), { as: ACME, dryRun: true });
    if (dry.outcome !== 'dry-run') throw new Error(dry.outcome);
    expect(dry.report).toMatchObject({ total: 6, wouldApply: 2, refused: 4, truncated: false });
    expect(dry.report.problems.map((p) => [p.index, p.problem.code])).toEqual([
      [2, 'MANDATE_DUPLICATE'],
      [3, 'TYPE_UNKNOWN'],
      [4, 'MANDATE_DUPLICATE'],
      [5, 'MANDATE_NOT_FOUND'],
    ]);
    expect(await app.store.head()).toEqual(head);
    expect(await app.store.listMandates({ party: enterprise(ACME), limit: 500 })).toEqual(listing);
    expect(await app.store.batches.list(REP, 100)).toEqual(jobs);
    const real = finished(await run(REP, ops(operations), { as: ACME }));
    const refused = (await results(real)).filter((i) => i.result?.outcome === 'refused').map((i) => [i.seq, i.result?.code]);
    expect(refused).toEqual(dry.report.problems.map((p) => [p.index, p.problem.code]));
  });

  it('seals each signature as a JWS the published keys verify, the same the key ring would make', async () => {
    const job = finished(
      await run(
        REP,
        ops(
          [0, 1, 2].map((i) => ({
            op: 'create',
            mandate: { type: PIT, mandator: person(client(400 + i)), mandatee: enterprise(ACME), validFrom: DAY },
          })),
        ),
        { as: ACME },
      ),
    );
    const keys = createLocalJWKSet(app.keys.jwks());
    for (const item of await results(job)) {
      const mandate = await app.store.getMandate(item.result?.mandateId as string);
      const signature = mandate?.signatures[0];
      if (!signature?.jws) throw new Error('no JWS');
      const { payload, protectedHeader } = await compactVerify(signature.jws, keys);
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: app.keys.currentKid(), typ: 'ssm-signature+jws' });
      expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
        mandateId: mandate?.id,
        contentHash: mandate?.contentHash,
        signer: REP,
        onBehalfOf: enterprise(ACME),
      });
      const { jws, ...record } = signature;
      expect(await app.keys.signRecord(mandate?.id as string, record)).toBe(jws);
    }
  });

  it('serializes, hashes and projects exactly as the core does', async () => {
    const events = await app.store.readEvents(0, 10_000);
    expect(events.length).toBeGreaterThan(20);
    for (const e of events) {
      const { seq, prevHash, hash, ...event } = e;
      const { head, tail } = chainParts(event);
      expect(`${head}${seq}${tail}`).toBe(
        canonicalJson({
          seq,
          mandateId: e.mandateId,
          version: e.version,
          type: e.type,
          at: e.at,
          actor: e.actor,
          onBehalfOf: e.onBehalfOf,
          data: e.data,
        }),
      );
      expect(chainHash(prevHash, seq, event)).toBe(hash);
      if (e.type === 'MandateProposed') expect(project(undefined, event)).toEqual(evolve(undefined, event));
    }
    // The canonical form everything is hashed in: sorted keys (code unit order), undefined left out, JSON escapes.
    const tricky: [unknown, string][] = [
      [{ b: [1, { z: undefined, a: 'é"\\' }], a: null, c: undefined }, '{"a":null,"b":[1,{"a":"é\\"\\\\"}]}'],
      [[undefined, 'x'], '[null,"x"]'],
      ['a\u2028b', '"a\u2028b"'],
      [1.5e300, '1.5e+300'],
      [{ 10: 1, 9: 2, B: 3, a: 4, é: 5, '': 6 }, '{"":6,"10":1,"9":2,"B":3,"a":4,"é":5}'],
      [{}, '{}'],
      [[], '[]'],
    ];
    for (const [value, json] of tricky) expect(canonicalJson(value)).toBe(json);
  });

  it('judges freshness of the sign-in when the job is submitted, not when it runs', async () => {
    const old = {
      kind: 'person' as const,
      id: REP,
      authTime: new Date(app.clock.now.getTime() - 3_600_000).toISOString(),
      authLevel: 'test',
    };
    const stale = await submitBatch(
      app,
      old,
      enterprise(ACME),
      ops([{ op: 'create', mandate: { type: PIT, mandator: person(client(500)), mandatee: enterprise(ACME), validFrom: DAY } }]),
      settings,
    );
    expect(stale).toMatchObject({ outcome: 'refused', refusal: { status: 401, code: 'SIGNATURE_AUTH_TOO_OLD' } });
    // Stopping signs nothing: an old sign-in is enough.
    const stop = await submitBatch(app, old, null, ops([{ op: 'stop', id: '01a20e1c-0000-7000-8000-000000000000' }]), settings);
    expect(stop.outcome).toBe('finished');
    // Queued now, run an hour later: still applied (the person consented when the sign-in was fresh).
    const queued = await submitBatch(
      app,
      actorAt(app, REP) as never,
      enterprise(ACME),
      ops([{ op: 'create', mandate: { type: PIT, mandator: person(client(501)), mandatee: enterprise(ACME), validFrom: '2026-12-02' } }]),
      { ...settings, inlineMax: 0 },
    );
    if (queued.outcome !== 'queued') throw new Error(queued.outcome);
    app.advance(0, 3_600_000);
    const { BatchWorker } = await import('../../src/app/bulk-worker.js');
    const job = await new BatchWorker(app, { chunkSize: 10, leaseMs: 10_000, pollMs: 100 }).runOnce();
    expect(job).toMatchObject({ id: queued.job.id, status: 'done', done: 1 });
  });

  it('lets several workers share the jobs, and a worker whose lease was taken over apply nothing more', async () => {
    const { BatchWorker } = await import('../../src/app/bulk-worker.js');
    const { processJob } = await import('../../src/app/bulk-jobs.js');
    const jobs: string[] = [];
    for (let j = 0; j < 4; j++) {
      const ops_ = Array.from({ length: 40 }, (_, i) => ({
        op: 'create',
        mandate: { type: PIT, mandator: person(client(1000 + j * 100 + i)), mandatee: enterprise(ACME), validFrom: DAY },
      }));
      const queued = await submitBatch(app, actorAt(app, REP) as never, enterprise(ACME), ops(ops_), { ...settings, inlineMax: 0 });
      if (queued.outcome !== 'queued') throw new Error(queued.outcome);
      jobs.push(queued.job.id);
    }
    const workers = [0, 1, 2].map(() => new BatchWorker(app, { chunkSize: 7, leaseMs: 10_000, pollMs: 50 }));
    await Promise.all(
      workers.map(async (w) => {
        while (await w.runOnce());
      }),
    );
    for (const id of jobs) expect(await app.store.batches.get(id)).toMatchObject({ status: 'done', done: 40, refused: 0 });

    // A worker that lost its lease (another took the job over) cannot commit a chunk any more.
    const late = await submitBatch(
      app,
      actorAt(app, REP) as never,
      enterprise(ACME),
      ops(
        [0, 1, 2].map((i) => ({
          op: 'create',
          mandate: { type: PIT, mandator: person(client(1900 + i)), mandatee: enterprise(ACME), validFrom: DAY },
        })),
      ),
      { ...settings, inlineMax: 0 },
    );
    if (late.outcome !== 'queued') throw new Error(late.outcome);
    const stale = await app.store.batches.claim('stale-worker', new Date().toISOString(), new Date(Date.now() - 1).toISOString());
    expect(stale?.id).toBe(late.job.id);
    const taker = await app.store.batches.claim('new-worker', new Date().toISOString(), new Date(Date.now() + 60_000).toISOString());
    expect(taker?.id).toBe(late.job.id);
    const head = await app.store.head();
    expect(await processJob(app, late.job.id, 'stale-worker', { chunkSize: 2, leaseMs: 60_000 })).toMatchObject({
      leaseOwner: 'new-worker',
      processed: 0,
    });
    expect(await app.store.head()).toEqual(head);
    expect(await processJob(app, late.job.id, 'new-worker', { chunkSize: 2, leaseMs: 60_000 })).toMatchObject({ status: 'done', done: 3 });
    expect(await verifyAudit(app.store)).toMatchObject({ ok: true });
  });

  it('refuses a job that acts for an enterprise the person does not represent', async () => {
    const answer = await run(C, ops([{ op: 'sign', id: '01a20e1c-0000-7000-8000-000000000000' }]), { as: ACME });
    expect(answer).toMatchObject({ outcome: 'refused', refusal: { status: 403, code: 'ACTOR_NOT_REPRESENTATIVE' } });
  });
});
