// Bulk jobs over HTTP against a started server with real sign-in tokens: small jobs answered at once,
// large ones in the background, cancel, privacy, idempotency, portfolio actions, CSV upload and export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../fixtures/server.js';
import { expectProblem, httpClient } from '../http/client.js';
import { A, ACME, B, C, client, createOp, enterprise, GLOBEX, inDays, PIT, person, REP, today } from './support.js';

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
const tokens: Record<string, string> = {};

async function submit(by: string, body: unknown, headers: Record<string, string> = {}) {
  return call('POST', '/api/v1/batches', { token: tokens[by], body, headers });
}

async function waitDone(by: string, id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call('GET', `/api/v1/batches/${id}`, { token: tokens[by] });
    expect(answer.status).toBe(200);
    if (!['queued', 'running'].includes(answer.body.job.status)) return answer.body;
    if (Date.now() > until) throw new Error(`job ${id} still ${answer.body.job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  server = await startServer({ env: { SSM_BATCH_CHUNK: '50', SSM_BATCH_LEASE_SECONDS: '5' } });
  call = httpClient(server.url);
  await server.app.store.addRepresentatives([
    { enterpriseId: ACME, personId: REP, source: 'test' },
    { enterpriseId: GLOBEX, personId: C, source: 'test' },
  ]);
  for (const p of [A, B, C, REP, client(1), client(2), client(3)]) tokens[p] = await server.tokenFor(p);
});
afterAll(async () => server?.close());

describe('submitting jobs', () => {
  it('answers a small job at once with per-item results', async () => {
    const answer = await submit(REP, {
      onBehalfOf: enterprise(ACME),
      operations: [createOp(10), createOp(11), createOp(10), { op: 'sign', id: '01a20e1c-0000-7000-8000-000000000000' }, { op: 'fly' }],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.headers.get('location')).toBe(`/api/v1/batches/${answer.body.job.id}`);
    expect(answer.body.job).toMatchObject({ status: 'done', total: 5, processed: 5, done: 2, refused: 3, skipped: 0 });
    const items = answer.body.items;
    expect(items.map((i: { status: string }) => i.status)).toEqual(['done', 'done', 'refused', 'refused', 'refused']);
    expect(items[0].mandateId).toMatch(/^[0-9a-f-]{36}$/);
    expect(items[0].cursor).toBeGreaterThan(0);
    expect(Number(answer.headers.get('ssm-cursor'))).toBe(items[1].cursor);
    expect(items[2]).toMatchObject({ code: 'MANDATE_DUPLICATE', column: 'type', details: { mandateId: items[0].mandateId } });
    expect(items[3]).toMatchObject({ code: 'MANDATE_NOT_FOUND', column: 'id' });
    expect(items[4]).toMatchObject({ code: 'BULK_OPERATION_UNKNOWN', column: 'operation' });
    const mandate = await call('GET', `/api/v1/mandates/${items[0].mandateId}`, { token: tokens[REP] });
    expect(mandate.body.mandate).toMatchObject({ status: 'pending', mandatee: enterprise(ACME), reference: 'file 10' });
  });

  it('gives messages in the language asked for', async () => {
    const answer = await submit(
      REP,
      { onBehalfOf: enterprise(ACME), operations: [{ op: 'stop', id: 'nope' }] },
      { 'accept-language': 'fr-BE,fr;q=0.9' },
    );
    expect(answer.body.items[0]).toMatchObject({ code: 'BULK_VALUE_INVALID', message: "Cette valeur n'est pas valable." });
  });

  it('runs a large job in the background (202), with progress, to the end', async () => {
    const operations = Array.from({ length: 600 }, (_, i) => createOp(1000 + i));
    const answer = await submit(REP, { onBehalfOf: enterprise(ACME), operations });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body).toMatchObject({ status: 'queued', total: 600 });
    const location = answer.headers.get('location') as string;
    expect(location).toBe(`/api/v1/batches/${answer.body.id}`);
    const done = await waitDone(REP, answer.body.id);
    expect(done.job).toMatchObject({ status: 'done', total: 600, done: 600, refused: 0 });
    expect(done.items).toHaveLength(100);
    expect(done.next).toBe('99');
    const page2 = await call('GET', `${location}?cursor=${done.next}&limit=500`, { token: tokens[REP] });
    expect(page2.body.items[0].index).toBe(100);
    expect(page2.body.items).toHaveLength(500);
    const list = await call('GET', '/api/v1/batches', { token: tokens[REP] });
    expect(list.body.items[0].id).toBe(answer.body.id);
  });

  it('runs a background job in a thread of its own: it advances while the serving thread is busy', async () => {
    const answer = await submit(REP, {
      onBehalfOf: enterprise(ACME),
      operations: Array.from({ length: 400 }, (_, i) => createOp(3000 + i)),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    // Keep this thread (the one serving requests) busy: store reads resolve without a turn of the event
    // loop, so a job on this thread could not take a single step meanwhile.
    // Up to 10 s: the job's thread runs at a lower priority than everything else a busy test machine runs.
    const until = Date.now() + 10_000;
    let seen = await server.app.store.batches.get(answer.body.id);
    while (Date.now() < until && (seen?.processed ?? 0) === 0) seen = await server.app.store.batches.get(answer.body.id);
    expect(seen?.processed ?? 0).toBeGreaterThan(0);
    expect((await waitDone(REP, answer.body.id)).job).toMatchObject({ status: 'done', done: 400 });
  });

  it('cancels a running job: what was done stays done, the rest is skipped', async () => {
    const operations = Array.from({ length: 3000 }, (_, i) => createOp(5000 + i));
    const answer = await submit(REP, { onBehalfOf: enterprise(ACME), operations });
    expect(answer.status).toBe(202);
    const cancelled = await call('POST', `/api/v1/batches/${answer.body.id}/cancel`, { token: tokens[REP], body: {} });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const end = await waitDone(REP, answer.body.id);
    expect(end.job.status).toBe('cancelled');
    expect(end.job.done + end.job.skipped).toBe(3000);
    expect(end.job.skipped).toBeGreaterThan(0);
    const skipped = await call('GET', `/api/v1/batches/${answer.body.id}?status=skipped&limit=1`, { token: tokens[REP] });
    expect(skipped.body.items[0]).toMatchObject({ status: 'skipped', code: 'ITEM_SKIPPED' });
    expectProblem(await call('POST', `/api/v1/batches/${answer.body.id}/cancel`, { token: tokens[REP], body: {} }), 409, 'BATCH_ENDED');
    // Nothing more is applied after the cancel.
    await new Promise((r) => setTimeout(r, 300));
    const again = await waitDone(REP, answer.body.id);
    expect(again.job.done).toBe(end.job.done);
  });

  it("shows another person's job as not found, everywhere", async () => {
    const mine = await submit(REP, { onBehalfOf: enterprise(ACME), operations: [createOp(20)] });
    const id = mine.body.job.id;
    expectProblem(await call('GET', `/api/v1/batches/${id}`, { token: tokens[A] }), 404, 'BATCH_NOT_FOUND');
    expectProblem(await call('GET', `/api/v1/batches/${id}/report.csv`, { token: tokens[A] }), 404, 'BATCH_NOT_FOUND');
    expectProblem(await call('POST', `/api/v1/batches/${id}/cancel`, { token: tokens[A], body: {} }), 404, 'BATCH_NOT_FOUND');
    const list = await call('GET', '/api/v1/batches', { token: tokens[A] });
    expect(list.body.items.map((j: { id: string }) => j.id)).not.toContain(id);
  });

  it('returns the first job for a resubmission with the same Idempotency-Key', async () => {
    const body = { onBehalfOf: enterprise(ACME), operations: Array.from({ length: 150 }, (_, i) => createOp(9000 + i)) };
    const first = await submit(REP, body, { 'idempotency-key': 'job-1' });
    const again = await submit(REP, body, { 'idempotency-key': 'job-1' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await waitDone(REP, first.body.id);
    const jobs = (await call('GET', '/api/v1/batches?limit=200', { token: tokens[REP] })).body.items;
    expect(jobs.filter((j: { total: number }) => j.total === 150)).toHaveLength(1);
    expectProblem(
      await submit(REP, { ...body, operations: body.operations.slice(1) }, { 'idempotency-key': 'job-1' }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('refuses to act for an enterprise one does not represent, and an empty submission', async () => {
    expectProblem(
      await submit(A, { onBehalfOf: enterprise(ACME), operations: [createOp(1)] }),
      403,
      'ACTOR_NOT_REPRESENTATIVE',
      'onBehalfOf',
    );
    expectProblem(await submit(A, {}), 400, 'REQUEST_FIELD_MISSING', 'operations');
  });
});

describe('portfolio actions', () => {
  it('transfers every mandate of a type to another enterprise in one job; its representative signs them all in one action', async () => {
    // Three clients grant ACME the income-tax mandate and sign it; one grants another type.
    const created = await submit(REP, { onBehalfOf: enterprise(ACME), operations: [createOp(1), createOp(2), createOp(3)] });
    const ids: string[] = created.body.items.map((i: { mandateId: string }) => i.mandateId);
    for (const [n, id] of ids.entries()) {
      const signed = await submit(client(n + 1), { operations: [{ op: 'sign', id }] });
      expect(signed.body.items[0].status, JSON.stringify(signed.body)).toBe('done');
    }
    const other = await submit(REP, {
      onBehalfOf: enterprise(ACME),
      operations: [
        {
          op: 'create',
          mandate: {
            type: 'finance.myminfin',
            mandator: person(client(1)),
            mandatee: enterprise(ACME),
            validFrom: today(),
            validUntil: inDays(30),
          },
        },
      ],
    });
    expect(other.body.items[0].status).toBe('done');

    const transfer = await submit(REP, {
      kind: 'transfer-portfolio',
      onBehalfOf: enterprise(ACME),
      type: PIT,
      mandatee: enterprise(GLOBEX),
    });
    expect(transfer.status, JSON.stringify(transfer.body)).toBe(200);
    expect(transfer.body.job).toMatchObject({ kind: 'transfer-portfolio', total: 3, done: 3 });
    const successors: string[] = transfer.body.items.map((i: { relatedId: string }) => i.relatedId);
    expect(new Set(transfer.body.items.map((i: { mandateId: string }) => i.mandateId))).toEqual(new Set(ids));

    // GLOBEX's representative signs everything that job made, in one action, without seeing the job itself.
    expectProblem(await call('GET', `/api/v1/batches/${transfer.body.job.id}`, { token: tokens[C] }), 404, 'BATCH_NOT_FOUND');
    const sign = await submit(C, { kind: 'sign-waiting', onBehalfOf: enterprise(GLOBEX), fromJob: transfer.body.job.id });
    expect(sign.status, JSON.stringify(sign.body)).toBe(200);
    expect(sign.body.job).toMatchObject({ total: 3, done: 3 });
    expect(new Set(sign.body.items.map((i: { mandateId: string }) => i.mandateId))).toEqual(new Set(successors));
    // The successors still wait for their mandators; each client signs all that waits for them
    // (client 1 also the other mandate ACME proposed).
    for (const n of [1, 2, 3]) {
      const mine = await submit(client(n), { kind: 'sign-waiting' });
      expect(mine.body.job.done, JSON.stringify(mine.body)).toBe(n === 1 ? 2 : 1);
    }
    for (const id of ids) {
      const old = await call('GET', `/api/v1/mandates/${id}`, { token: tokens[REP] });
      expect(old.body.mandate.status).toBe('transferred');
    }
    const nothingLeft = await submit(C, { kind: 'sign-waiting', onBehalfOf: enterprise(GLOBEX), fromJob: transfer.body.job.id });
    expectProblem(nothingLeft, 404, 'BATCH_NOT_FOUND', 'fromJob');
  });

  it('stops the selected mandates, and signs the selected ones', async () => {
    const created = await submit(A, {
      operations: [
        { op: 'create', mandate: { type: PIT, mandator: person(A), mandatee: person(B), validFrom: today() } },
        { op: 'create', mandate: { type: 'finance.e-depo', mandator: person(A), mandatee: person(B), validFrom: today() } },
      ],
    });
    const ids = created.body.items.map((i: { mandateId: string }) => i.mandateId);
    const signed = await submit(B, { kind: 'sign-selected', ids: [...ids, 'not-an-id'] });
    expect(signed.body.items.map((i: { status: string }) => i.status)).toEqual(['done', 'done', 'refused']);
    const stopped = await submit(A, { kind: 'stop-selected', ids, reason: 'moved abroad' });
    expect(stopped.body.job.done).toBe(2);
    const one = await call('GET', `/api/v1/mandates/${ids[0]}`, { token: tokens[A] });
    expect(one.body.mandate).toMatchObject({ status: 'stopped', endReason: 'moved abroad' });
  });
});

describe('CSV over HTTP', () => {
  const csv = (text: string, by = REP, query = `?onBehalfOf=${ACME}`, headers: Record<string, string> = {}) =>
    call('POST', `/api/v1/batches${query}`, { token: tokens[by], rawBody: text, headers: { 'content-type': 'text/csv', ...headers } });

  it('imports a CSV, reports each row, and serves the report as Excel-ready CSV', async () => {
    const text = [
      'type;mandator;mandatee;reference;validFrom',
      `${PIT};${client(40)};;=HYPERLINK("x");${today()}`,
      `${PIT};${client(41)};;ok;31/02/2030`,
      `${PIT};12345;;bad id;`,
    ].join('\r\n');
    const answer = await csv(text);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.job).toMatchObject({ source: 'csv', total: 3, done: 1, refused: 2 });
    expect(answer.body.items[1]).toMatchObject({ row: 3, line: 3, column: 'validFrom', code: 'DATE_INVALID' });
    expect(answer.body.items[2]).toMatchObject({ row: 4, column: 'mandator', code: 'IDENTIFIER_FORMAT' });
    const report = await fetch(`${server.url}/api/v1/batches/${answer.body.job.id}/report.csv`, {
      headers: { authorization: `Bearer ${tokens[REP]}`, 'accept-language': 'nl' },
    });
    expect(report.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await report.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'row;operation;type;mandator;mandatee;email;language;reference;validFrom;validUntil;id;reason;outcome;code;column;message;mandateId;relatedId',
    );
    expect(lines[1]).toContain(`;"'=HYPERLINK(""x"")";`);
    expect(lines[2]).toContain(';refused;DATE_INVALID;validFrom;Dit is geen geldige datum');
  });

  it('dry-runs a CSV: per-row problems in the asked language, nothing written', async () => {
    const before = await server.app.store.head();
    const text = `type,mandator\n${PIT},${client(50)}\n${PIT},${client(50)}\n${PIT},85073003399\n`;
    const answer = await csv(text, REP, `?onBehalfOf=${ACME}&dryRun=true`, { 'accept-language': 'de' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ dryRun: true, total: 3, wouldApply: 1, refused: 2 });
    expect(answer.body.items[0]).toMatchObject({ row: 3, code: 'MANDATE_DUPLICATE', column: 'type' });
    expect(answer.body.items[1]).toMatchObject({ row: 4, code: 'IDENTIFIER_CHECK_DIGIT', column: 'mandator' });
    expect(answer.body.items[1].message).toContain('Prüfziffern');
    expect(await server.app.store.head()).toEqual(before);
  });

  it('refuses an unreadable file with a clear problem', async () => {
    expectProblem(await csv(''), 400, 'CSV_EMPTY');
    expectProblem(await csv('type;mandator\r\n'), 400, 'CSV_NO_ROWS');
    expectProblem(await csv('type;mandator;colour\nx;y;z\n'), 400, 'CSV_HEADER', 'colour');
    const latin1 = Buffer.from(`type;mandator;reference\n${PIT};${client(60)};Société générale\n`, 'latin1');
    const answer = await fetch(`${server.url}/api/v1/batches?onBehalfOf=${ACME}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[REP]}`, 'content-type': 'text/csv' },
      body: latin1,
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { code: string }).code).toBe('CSV_ENCODING');
  });

  it('exports my mandates as Excel-ready CSV, filtered', async () => {
    const res = await fetch(`${server.url}/api/v1/mandates/export.csv?party=${ACME}&role=mandatee&status=pending`, {
      headers: { authorization: `Bearer ${tokens[REP]}` },
    });
    expect(res.status).toBe(200);
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\uFEFFid;type;domain;mandator;')).toBe(true);
    const rows = text.slice(1).split('\r\n').filter(Boolean);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.slice(1).every((r) => r.split(';')[7] === 'pending')).toBe(true);
    const refused = await fetch(`${server.url}/api/v1/mandates/export.csv?party=${ACME}`, {
      headers: { authorization: `Bearer ${tokens[A]}` },
    });
    expect(refused.status).toBe(403);
  });
});
