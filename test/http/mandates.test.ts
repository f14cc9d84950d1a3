// Black-box tests of the self-service API against a started server with real sign-in tokens.
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.js';
import { A, ACME, B, C, enterprise, inDays, PIT, person, REP, today } from '../fixtures/people.js';
import { startServer } from '../fixtures/server.js';
import { expectProblem, httpClient } from './client.js';

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
const tokens: Record<string, string> = {};

async function propose(by: string, body: Record<string, unknown>) {
  const answer = await call('POST', '/api/v1/mandates', { token: tokens[by], body: { type: PIT, validFrom: today(), ...body } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer;
}

async function act(by: string, id: string, path: string, etag: string, body: Record<string, unknown> = {}) {
  return call('POST', `/api/v1/mandates/${id}/${path}`, { token: tokens[by], ifMatch: etag, body });
}

beforeAll(async () => {
  server = await startServer();
  call = httpClient(server.url);
  await server.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  for (const p of [A, B, C, REP]) tokens[p] = await server.tokenFor(p);
});
afterAll(async () => server?.close());

describe('the two-party flow', () => {
  it('A proposes to B, B signs, the mandate is active, A stops it', async () => {
    const created = await propose(A, { mandator: person(A), mandatee: person(B), validUntil: null, reference: 'file 42' });
    const id = created.body.mandate.id;
    expect(created.headers.get('etag')).toBe('"v1"');
    expect(created.headers.get('location')).toBe(`/api/v1/mandates/${id}`);
    expect(created.body.mandate).toMatchObject({ status: 'pending', state: 'pending', waitingFor: ['mandatee'], reference: 'file 42' });
    expect(created.body.cursor).toBeGreaterThan(0);

    const inbox = await call('GET', '/api/v1/mandates?role=mandatee&status=pending', { token: tokens[B] });
    expect(inbox.body.items.map((m: { id: string }) => m.id)).toContain(id);

    const signed = await act(B, id, 'sign', '"v1"');
    expect(signed.status).toBe(200);
    expect(signed.body.mandate).toMatchObject({ status: 'signed', state: 'active', waitingFor: [] });
    expect(signed.body.cursor).toBeGreaterThan(created.body.cursor);

    const stopped = await act(A, id, 'stop', signed.headers.get('etag') as string, { reason: 'no longer needed' });
    expect(stopped.body.mandate).toMatchObject({ status: 'stopped', endedBy: 'mandator', endReason: 'no longer needed' });

    const detail = await call('GET', `/api/v1/mandates/${id}`, { token: tokens[B] });
    expect(detail.body.history.map((h: { type: string }) => h.type)).toEqual(['MandateProposed', 'MandateSigned', 'MandateStopped']);
  });

  it('a representative signs for the enterprise; someone who is not one is refused', async () => {
    const created = await propose(A, { mandator: person(A), mandatee: enterprise(ACME) });
    const id = created.body.mandate.id;
    expectProblem(await act(C, id, 'sign', '"v1"', { onBehalfOf: enterprise(ACME) }), 403, 'ACTOR_NOT_REPRESENTATIVE', 'onBehalfOf');
    const signed = await act(REP, id, 'sign', '"v1"', { onBehalfOf: enterprise(ACME) });
    expect(signed.body.mandate.status).toBe('signed');
    expect(signed.body.mandate.signatures[1]).toMatchObject({ signer: REP, party: enterprise(ACME), role: 'mandatee' });
    const list = await call('GET', `/api/v1/mandates?party=${ACME}&role=mandatee`, { token: tokens[REP] });
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(id);
    expectProblem(await call('GET', `/api/v1/mandates?party=${ACME}`, { token: tokens[C] }), 403, 'ACTOR_NOT_REPRESENTATIVE', 'party');
  });

  it('amends: narrowing applies at once, widening waits for the other party', async () => {
    const created = await propose(B, { mandator: person(B), mandatee: person(C), validUntil: inDays(200), type: 'finance.myminfin' });
    const id = created.body.mandate.id;
    const signed = await act(C, id, 'sign', '"v1"');
    const narrowed = await act(B, id, 'amendments', signed.headers.get('etag') as string, { validUntil: inDays(100) });
    expect(narrowed.body.mandate).toMatchObject({ validUntil: inDays(100), pendingAmendment: null, version: 3 });
    const widened = await act(C, id, 'amendments', '"v3"', { validUntil: null });
    expect(widened.body.mandate).toMatchObject({ validUntil: inDays(100), waitingFor: ['mandator'] });
    expect(widened.body.mandate.pendingAmendment).toMatchObject({ validUntil: null, proposedBy: 'mandatee' });
    expectProblem(await act(C, id, 'sign', '"v4"'), 409, 'MANDATE_ALREADY_SIGNED');
    const accepted = await act(B, id, 'sign', '"v4"');
    expect(accepted.body.mandate).toMatchObject({ validUntil: null, pendingAmendment: null, version: 5 });
  });

  it('transfers to a new mandatee once both sign the successor', async () => {
    const created = await propose(C, { mandator: person(C), mandatee: person(A), type: 'finance.e-depo' });
    const id = created.body.mandate.id;
    await act(A, id, 'sign', '"v1"');
    expectProblem(await act(C, id, 'transfer', '"v2"', { mandatee: person(A) }), 422, 'TRANSFER_SAME_MANDATEE', 'mandatee');
    const transfer = await act(C, id, 'transfer', '"v2"', { mandatee: person(B) });
    expect(transfer.status).toBe(200);
    const successor = transfer.body.related[0];
    expect(successor).toMatchObject({ status: 'pending', predecessorId: id, mandatee: person(B), waitingFor: ['mandatee'] });
    expect(transfer.body.mandate.successorId).toBe(successor.id);
    const done = await act(B, successor.id, 'sign', '"v1"');
    expect(done.body.mandate.status).toBe('signed');
    expect(done.body.related[0]).toMatchObject({ id, status: 'transferred', successorId: successor.id });
  });
});

describe('protection', () => {
  let id: string;
  let snapshot: unknown;
  beforeAll(async () => {
    const created = await propose(A, {
      mandator: person(A),
      mandatee: person(B),
      type: 'finance.vat'.replace('vat', 'non-resident-income-tax'),
    });
    id = created.body.mandate.id;
    snapshot = (await call('GET', `/api/v1/mandates/${id}`, { token: tokens[A] })).body;
  });

  it('shows an outsider 404 on every route, and changes nothing', async () => {
    expectProblem(await call('GET', `/api/v1/mandates/${id}`, { token: tokens[C] }), 404, 'MANDATE_NOT_FOUND');
    for (const [path, body] of [
      ['sign', {}],
      ['refuse', { reason: 'x' }],
      ['withdraw', {}],
      ['stop', {}],
      ['amendments', { validUntil: inDays(10) }],
      ['transfer', { mandatee: person(C) }],
    ] as const) {
      expectProblem(await act(C, id, path, '"v1"', body), 404, 'MANDATE_NOT_FOUND');
      expectProblem(await act(C, id, path, '"v9"', body), 404, 'MANDATE_NOT_FOUND');
    }
    expectProblem(await act(C, '01a20e1c-0000-7000-8000-000000000000', 'sign', '"v1"'), 404, 'MANDATE_NOT_FOUND');
    expect((await call('GET', `/api/v1/mandates/${id}`, { token: tokens[A] })).body).toEqual(snapshot);
  });

  it('refuses a stale If-Match with 412 and a missing one with 428, changing nothing', async () => {
    expectProblem(await act(B, id, 'sign', '"v7"'), 412, 'MANDATE_VERSION_STALE', 'If-Match');
    expectProblem(
      await call('POST', `/api/v1/mandates/${id}/sign`, { token: tokens[B], body: {} }),
      428,
      'PRECONDITION_REQUIRED',
      'If-Match',
    );
    expect((await call('GET', `/api/v1/mandates/${id}`, { token: tokens[A] })).body).toEqual(snapshot);
  });

  it('replays the first answer for the same Idempotency-Key, and refuses the key for another request', async () => {
    const body = { type: 'ehealth.consent-management', validFrom: today(), mandator: person(B), mandatee: person(C) };
    const first = await call('POST', '/api/v1/mandates', { token: tokens[B], body, headers: { 'idempotency-key': 'k-1' } });
    const again = await call('POST', '/api/v1/mandates', { token: tokens[B], body, headers: { 'idempotency-key': 'k-1' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await call('POST', '/api/v1/mandates', {
      token: tokens[B],
      body: { ...body, reference: 'x' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key');
    const mine = await call('GET', '/api/v1/mandates?type=ehealth.consent-management', { token: tokens[B] });
    expect(mine.body.items).toHaveLength(1);
  });

  it('requires authentication', async () => {
    expectProblem(await call('GET', '/api/v1/mandates'), 401, 'AUTHENTICATION_REQUIRED');
    expectProblem(await call('GET', '/api/v1/mandates', { token: 'not-a-token' }), 401, 'AUTHENTICATION_REQUIRED');
  });
});

describe('malformed input', () => {
  const valid = () => ({ type: PIT, validFrom: today(), mandator: person(A), mandatee: person(C) });
  const cases: [string, Record<string, unknown> | string, number, string, string | undefined][] = [
    ['wrong type of a field', { ...valid(), mandator: 'A' }, 400, 'REQUEST_INVALID', 'mandator'],
    ['an extra property', { ...valid(), admin: true }, 400, 'REQUEST_UNKNOWN_FIELD', 'admin'],
    ['an extra nested property', { ...valid(), mandatee: { ...person(C), name: 'x' } }, 400, 'REQUEST_UNKNOWN_FIELD', 'mandatee.name'],
    ['a missing field', { type: PIT, mandator: person(A), mandatee: person(C) }, 400, 'REQUEST_FIELD_MISSING', 'validFrom'],
    ['bad check digits', { ...valid(), mandatee: person('77123145699') }, 400, 'IDENTIFIER_CHECK_DIGIT', 'mandatee.id'],
    ['a 30th of February', { ...valid(), validFrom: '2027-02-30' }, 400, 'DATE_INVALID', 'validFrom'],
    ['an absurd year', { ...valid(), validFrom: '0000-01-01' }, 400, 'DATE_INVALID', 'validFrom'],
    ['a back-dated start', { ...valid(), validFrom: '2020-01-01' }, 422, 'VALIDITY_BACKDATED', 'validFrom'],
    ['an unknown type', { ...valid(), type: 'finance.nothing' }, 422, 'TYPE_UNKNOWN', 'type'],
    ['an unknown language', { ...valid(), language: 'xx' }, 400, 'REQUEST_INVALID', 'language'],
    ['not JSON', '{"type": ', 400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'body'],
  ];
  it.each(cases)('refuses %s with a problem naming the field', async (_name, body, status, code, field) => {
    const answer = await call('POST', '/api/v1/mandates', {
      token: tokens[A],
      ...(typeof body === 'string' ? { rawBody: body } : { body }),
    });
    expectProblem(answer, status, code, field);
  });

  it('refuses an oversized body with 413', async () => {
    const answer = await call('POST', '/api/v1/mandates', { token: tokens[A], body: { ...valid(), reference: 'x'.repeat(1_100_000) } });
    expectProblem(answer, 413, 'REQUEST_TOO_LARGE');
  });

  it('refuses a malformed id and query with 400', async () => {
    expectProblem(await call('GET', '/api/v1/mandates/not-a-uuid', { token: tokens[A] }), 400, 'REQUEST_INVALID', 'id');
    expectProblem(await call('GET', '/api/v1/mandates?limit=100000', { token: tokens[A] }), 400, 'REQUEST_INVALID', 'limit');
    expectProblem(await call('GET', '/api/v1/mandates?status=happy', { token: tokens[A] }), 400, 'REQUEST_INVALID');
  });
});

describe('signatures', () => {
  it('verify with the published JWKS, and fail once any signed field is changed', async () => {
    const created = await propose(B, { mandator: person(B), mandatee: person(A), type: 'flanders.energy-premium' });
    const signed = await act(A, created.body.mandate.id, 'sign', '"v1"');
    const jwks = (await call('GET', '/.well-known/jwks.json')).body;
    const keys = createLocalJWKSet(jwks);
    for (const s of signed.body.mandate.signatures) {
      const { payload } = await compactVerify(s.jws, keys);
      const claims = JSON.parse(new TextDecoder().decode(payload));
      expect(claims).toMatchObject({
        mandateId: created.body.mandate.id,
        contentHash: signed.body.mandate.contentHash,
        signer: s.signer,
        onBehalfOf: s.party,
      });
      for (const field of Object.keys(claims)) {
        const [header, , sig] = s.jws.split('.');
        const forged = Buffer.from(canonicalJson({ ...claims, [field]: `${claims[field]}x` })).toString('base64url');
        await expect(compactVerify(`${header}.${forged}.${sig}`, keys)).rejects.toThrow();
      }
    }
  });
});
