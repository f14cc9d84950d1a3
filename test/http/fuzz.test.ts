// A few thousand random requests: no 5xx, and nothing changes that the caller had no right to change.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeNationalNumber } from '../../src/core/party.js';
import { startServer } from '../fixtures/server.js';
import { httpClient } from './client.js';

const A = makeNationalNumber('850730', 33);
const B = makeNationalNumber('900115', 123);
const MALLORY = makeNationalNumber('771231', 456);
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
let victimId: string;

beforeAll(async () => {
  server = await startServer({ env: { SSM_RATE_LIMIT: '1000000' } });
  call = httpClient(server.url);
  const a = await server.tokenFor(A);
  const created = await call('POST', '/api/v1/mandates', {
    token: a,
    body: {
      type: 'finance.personal-income-tax',
      validFrom: today(),
      mandator: { kind: 'person', id: A },
      mandatee: { kind: 'person', id: B },
    },
  });
  expect(created.status).toBe(201);
  victimId = created.body.mandate.id;
});
afterAll(async () => server?.close());

it('survives random requests from an outsider without a 5xx or a change to others’ data', async () => {
  const token = await server.tokenFor(MALLORY);
  const before = (await call('GET', `/api/v1/mandates/${victimId}`, { token: await server.tokenFor(A) })).body;
  const id = fc.oneof(fc.constant(victimId), fc.uuid(), fc.string({ maxLength: 40 }));
  const party = fc.record({
    kind: fc.oneof(fc.constantFrom('person', 'enterprise'), fc.string()),
    id: fc.oneof(fc.constantFrom(A, B, MALLORY, '0403170701'), fc.string()),
  });
  const body = fc.oneof(
    fc.anything(),
    fc.record(
      {
        type: fc.oneof(fc.constant('finance.personal-income-tax'), fc.string()),
        mandator: party,
        mandatee: party,
        validFrom: fc.oneof(fc.constant(today()), fc.string()),
        validUntil: fc.oneof(fc.constant(null), fc.string()),
        reference: fc.string(),
        onBehalfOf: party,
        reason: fc.string(),
      },
      { requiredKeys: [] },
    ),
  );
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST'),
    path: fc.oneof(
      fc.constant('/api/v1/mandates'),
      id.map((i) => `/api/v1/mandates/${encodeURIComponent(i)}`),
      fc
        .tuple(id, fc.constantFrom('sign', 'refuse', 'withdraw', 'stop', 'amendments', 'transfer'))
        .map(([i, verb]) => `/api/v1/mandates/${encodeURIComponent(i)}/${verb}`),
      fc.string().map((q) => `/api/v1/mandates?${encodeURIComponent(q)}=${encodeURIComponent(q)}`),
    ),
    body,
    ifMatch: fc.oneof(fc.constant('"v1"'), fc.string({ maxLength: 12 })),
  });
  const codes = new Set<string>();
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const answer = await call(r.method, r.path, {
        token,
        ifMatch: /^[\x20-\x7e]*$/.test(r.ifMatch) && r.ifMatch.trim() ? r.ifMatch : undefined,
        ...(r.method === 'POST' ? { rawBody: JSON.stringify(r.body) ?? 'null' } : {}),
      });
      expect(answer.status, `${r.method} ${r.path} → ${JSON.stringify(answer.body)}`).toBeLessThan(500);
      if (answer.status >= 400) {
        expect(answer.body.code).toBeTypeOf('string');
        codes.add(answer.body.code);
      }
    }),
    { numRuns: 2500 },
  );
  const after = (await call('GET', `/api/v1/mandates/${victimId}`, { token: await server.tokenFor(A) })).body;
  expect(after).toEqual(before);
  // The run must have exercised refusals of several kinds, not just one early exit.
  expect(codes.size, [...codes].join(', ')).toBeGreaterThanOrEqual(5);
}, 120_000);
