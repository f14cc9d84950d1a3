// API clients and the domain change feed over a real store, on every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BusinessInputError,
  createApiClient,
  revokeApiClient,
  rotateClientSecret,
  verifyClientCredentials,
} from '../../src/app/api-clients.js';
import { readDomainFeed } from '../../src/app/change-feed.js';
import type { EventScope } from '../../src/store/business-port.js';
import { type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';
import { EHEALTH_OTHER_TYPE, loggedEvents, makeMandates } from './workload.js';

describe.each(DIALECTS)('business store on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;

  /** Pages through the whole feed, returning every event and the cursors seen. */
  async function readAll(scope: EventScope, limit: number) {
    const seen = [];
    const cursors: number[] = [];
    let after = 0;
    for (let page = 0; page < 1000; page += 1) {
      const { events, next } = await readDomainFeed(app.store.business, scope, after, limit);
      expect(events.length).toBeLessThanOrEqual(limit);
      expect(next).toBeGreaterThanOrEqual(after);
      seen.push(...events);
      cursors.push(next);
      if (events.length === 0 && next === after) return { events: seen, cursors };
      after = next;
    }
    throw new Error('the feed never ended');
  }

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url);
    await makeMandates(app, 40);
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('creates a client whose secret verifies, lists it without exposing the secret, and revokes it', async () => {
    const { client, secret } = await createApiClient(app, { name: 'Tax on web', domain: 'finance', types: ['finance.vat', 'finance.vat'] });
    expect(client.types).toEqual(['finance.vat']);
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(client.secretHash).not.toContain(secret);
    expect((await verifyClientCredentials(app, client.id, secret))?.client.id).toBe(client.id);
    expect(await verifyClientCredentials(app, client.id, `${secret}x`)).toBeUndefined();
    expect(await verifyClientCredentials(app, 'no-such-client', secret)).toBeUndefined();
    const listed = (await app.store.business.listClients()).find((c) => c.id === client.id);
    expect(listed).toMatchObject({ name: 'Tax on web', domain: 'finance', types: ['finance.vat'], revokedAt: null, quotaPerSecond: null });

    expect(await revokeApiClient(app, client.id)).toBe(true);
    expect(await revokeApiClient(app, client.id)).toBe(false);
    expect(await verifyClientCredentials(app, client.id, secret)).toBeUndefined();
    expect((await app.store.business.getClient(client.id))?.revokedAt).toBe(app.now().toISOString());
  });

  it('rotates a secret: the old one works for the overlap and no longer, a leaked one stops at once', async () => {
    const { client, secret: first } = await createApiClient(app, { name: 'rotating', domain: 'finance' });
    const accepts = async (secret: string) => (await verifyClientCredentials(app, client.id, secret))?.client.id === client.id;
    const started = app.clock.now;
    try {
      const second = await rotateClientSecret(app, client.id, 60);
      expect(second).not.toBe(first);
      expect(await accepts(second)).toBe(true);
      expect(await accepts(first)).toBe(true);
      // The old secret is trusted (and cached) only until the overlap ends; the new one without limit.
      expect((await verifyClientCredentials(app, client.id, first))?.until).toBe(app.now().getTime() + 3_600_000);
      expect((await verifyClientCredentials(app, client.id, second))?.until).toBe(Number.POSITIVE_INFINITY);
      app.advance(0, 3_599_999);
      expect(await accepts(first)).toBe(true);
      app.advance(0, 1);
      expect(await accepts(first)).toBe(false);
      expect(await accepts(second)).toBe(true);

      // Rotating again within an overlap drops the oldest secret at once; overlap 0 leaves only the newest.
      const third = await rotateClientSecret(app, client.id, 60);
      const fourth = await rotateClientSecret(app, client.id, 60);
      expect([await accepts(second), await accepts(third), await accepts(fourth)]).toEqual([false, true, true]);
      const fifth = await rotateClientSecret(app, client.id, 0);
      expect([await accepts(third), await accepts(fourth), await accepts(fifth)]).toEqual([false, false, true]);
      expect((await app.store.business.getClient(client.id))?.previousSecret).toBeNull();

      await expect(rotateClientSecret(app, client.id, -1)).rejects.toMatchObject({ field: 'overlap' });
      await expect(rotateClientSecret(app, client.id, 10_081)).rejects.toMatchObject({ field: 'overlap' });
      await expect(rotateClientSecret(app, 'no-such-client', 60)).rejects.toMatchObject({ field: 'client' });
      await revokeApiClient(app, client.id);
      await expect(rotateClientSecret(app, client.id, 60)).rejects.toMatchObject({ field: 'client' });
      expect(await accepts(fifth)).toBe(false);
    } finally {
      app.clock.now = started;
    }
  });

  it('refuses a domain outside the catalogue and types of another domain, naming the field', async () => {
    await expect(createApiClient(app, { name: 'x', domain: 'nowhere' })).rejects.toMatchObject({ field: 'domain' });
    await expect(createApiClient(app, { name: 'x', domain: 'finance', types: ['ehealth.consent-management'] })).rejects.toBeInstanceOf(
      BusinessInputError,
    );
    await expect(createApiClient(app, { name: 'x', domain: 'finance', types: ['finance.nope'] })).rejects.toMatchObject({ field: 'types' });
    await expect(createApiClient(app, { name: ' ', domain: 'finance' })).rejects.toMatchObject({ field: 'name' });
  });

  it("returns every event of the client's domain exactly once across pages, in log order, and nothing of another domain", async () => {
    const log = await loggedEvents(app);
    const head = (await app.store.head()).seq;
    for (const domain of ['finance', 'ehealth']) {
      const expected = log.filter((e) => e.domain === domain).map((e) => e.seq);
      expect(expected.length).toBeGreaterThan(20);
      for (const limit of [1, 7, 1000]) {
        const { events, cursors } = await readAll({ domain, types: null }, limit);
        expect(events.map((e) => e.data.seq)).toEqual(expected);
        expect(events.every((e) => e.data.domain === domain)).toBe(true);
        expect(cursors.at(-1)).toBe(head);
      }
    }
  });

  it('restricts the feed to the client types', async () => {
    const log = await loggedEvents(app);
    const { events } = await readAll({ domain: 'ehealth', types: [EHEALTH_OTHER_TYPE] }, 10);
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => e.data.seq)).toEqual(log.filter((e) => e.mandateType === EHEALTH_OTHER_TYPE).map((e) => e.seq));
  });

  it('moves the cursor of a quiet domain to the last position scanned, a bounded window at a time', async () => {
    const head = (await app.store.head()).seq;
    const first = await app.store.business.domainEvents({ domain: 'flanders', types: null }, 0, 100, 10);
    expect(first).toEqual({ events: [], scannedTo: 10 });
    const quiet = await readDomainFeed(app.store.business, { domain: 'flanders', types: null }, 0, 100);
    expect(quiet).toEqual({ events: [], next: head });
    // A full page stops at its last event, so nothing after it is skipped.
    const page = await app.store.business.domainEvents({ domain: 'finance', types: null }, 0, 3, 10_000);
    expect(page.scannedTo).toBe(page.events.at(-1)?.seq);
  });

  it("carries the mandate's state after each event in CloudEvents shape", async () => {
    const { events } = await readAll({ domain: 'finance', types: null }, 1000);
    const first = events[0];
    expect(first).toMatchObject({
      specversion: '1.0',
      id: String(first?.data.seq),
      source: 'ssm',
      type: 'be.ssm.mandate-proposed',
      datacontenttype: 'application/json',
      data: { eventType: 'MandateProposed', status: 'pending', signedBy: ['mandator'], domain: 'finance' },
    });
    expect(first?.subject).toBe(first?.data.mandateId);
    // A mandate proposed, signed and stopped shows each status in turn.
    const stopped = events.find((e) => e.data.status === 'stopped');
    const history = events.filter((e) => e.data.mandateId === stopped?.data.mandateId);
    expect(history.map((e) => [e.type, e.data.status, e.data.version])).toEqual([
      ['be.ssm.mandate-proposed', 'pending', 1],
      ['be.ssm.mandate-signed', 'signed', 2],
      ['be.ssm.mandate-stopped', 'stopped', 3],
    ]);
    expect(history[1]?.data.signedBy).toEqual(['mandatee', 'mandator']);
    expect(history[2]?.data.endedBy).toBe('mandator');
  });
});
