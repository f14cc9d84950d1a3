// API clients and the domain change feed over a real store, on every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addWebhook,
  BusinessInputError,
  createApiClient,
  disableWebhook,
  hashClientSecret,
  redeliverDead,
  revokeApiClient,
  rotateClientSecret,
  setClientQuota,
  verifyClientCredentials,
} from '../../src/app/api-clients.js';
import { readDomainFeed } from '../../src/app/change-feed.js';
import { issueClientToken, verifyClientToken } from '../../src/app/client-tokens.js';
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

  /** A new secret for an active client (the test fails if there is none). */
  const rotate = async (clientId: string, overlapMinutes: number, as: typeof app = app) => {
    const secret = await rotateClientSecret(as, clientId, overlapMinutes);
    if (secret === undefined) throw new Error(`no active client ${clientId}`);
    return secret;
  };

  it('rotates a secret: the old one works for the overlap and no longer, a leaked one stops at once', async () => {
    const { client, secret: first } = await createApiClient(app, { name: 'rotating', domain: 'finance' });
    const accepts = async (secret: string) => (await verifyClientCredentials(app, client.id, secret))?.client.id === client.id;
    const started = app.clock.now;
    try {
      const second = await rotate(client.id, 60);
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
      const third = await rotate(client.id, 60);
      const fourth = await rotate(client.id, 60);
      expect([await accepts(second), await accepts(third), await accepts(fourth)]).toEqual([false, true, true]);
      const fifth = await rotate(client.id, 0);
      expect([await accepts(third), await accepts(fourth), await accepts(fifth)]).toEqual([false, false, true]);
      expect((await app.store.business.getClient(client.id))?.previousSecret).toBeNull();

      await expect(rotateClientSecret(app, client.id, -1)).rejects.toMatchObject({ field: 'overlap' });
      await expect(rotateClientSecret(app, client.id, 10_081)).rejects.toMatchObject({ field: 'overlap' });
      expect(await rotateClientSecret(app, 'no-such-client', 60)).toBeUndefined();
      await revokeApiClient(app, client.id);
      expect(await rotateClientSecret(app, client.id, 60)).toBeUndefined();
      expect(await accepts(fifth)).toBe(false);
    } finally {
      app.clock.now = started;
    }
  });

  it('ends access tokens with the secret they were traded for', async () => {
    const url = 'https://ssm.example.be';
    const { client, secret: first } = await createApiClient(app, { name: 'tokens', domain: 'finance' });
    const started = app.clock.now;
    try {
      const early = await issueClientToken(app, client, url);
      app.advance(0, 1000);
      await rotate(client.id, 5);
      // Issued before the rotation: it lasts as long as the old secret now does (five minutes), not its ten.
      expect((await verifyClientToken(app, early.token, url))?.expiresAt).toBe(app.now().getTime() + 300_000);
      // Traded for the old secret during the overlap (as the token endpoint does): it ends with the secret.
      const old = await verifyClientCredentials(app, client.id, first);
      if (!old) throw new Error('the old secret should still work');
      const during = await issueClientToken(app, old.client, url, undefined, old.until);
      expect(during.expiresIn).toBe(300);
      app.advance(0, 299_999);
      expect(await verifyClientToken(app, early.token, url)).toBeDefined();
      expect(await verifyClientToken(app, during.token, url)).toBeDefined();
      app.advance(0, 1);
      expect(await verifyClientToken(app, early.token, url)).toBeUndefined();
      expect(await verifyClientToken(app, during.token, url)).toBeUndefined();
    } finally {
      app.clock.now = started;
    }
  });

  it("records who changed a client or its webhooks and when, in the change's own transaction; refusals leave no record", async () => {
    const alice = { ...app, actor: 'cli:alice' };
    const { client, secret } = await createApiClient(alice, { name: 'recorded', domain: 'ehealth', types: ['ehealth.consent-management'] });
    expect(await setClientQuota(alice, client.id, 50)).toBe(true);
    const w = await addWebhook(alice, { clientId: client.id, url: 'https://consents.example.be/ssm' });
    const rotated = await rotate(client.id, 0, alice);
    await expect(redeliverDead(alice, { webhookId: w.id, deliveryIds: ['no-such-delivery'] })).rejects.toMatchObject({ field: 'delivery' });
    expect(await redeliverDead(alice, { webhookId: w.id })).toBe(0);
    expect(await disableWebhook(alice, w.id)).toBe(true);
    expect(await disableWebhook(alice, w.id)).toBe(false);
    expect(await revokeApiClient(alice, client.id)).toBe(true);
    expect(await revokeApiClient(alice, client.id)).toBe(false);
    expect(await rotateClientSecret(alice, client.id, 60)).toBeUndefined();

    const changes = await app.store.business.clientChanges({ clientId: client.id, limit: 100 });
    expect(changes.map((c) => c.action)).toEqual([
      'client-revoked',
      'webhook-disabled',
      'deliveries-redelivered',
      'secret-rotated',
      'webhook-added',
      'quota-set',
      'client-created',
    ]);
    expect(changes.every((c) => c.actor === 'cli:alice' && c.clientId === client.id && c.at === app.now().toISOString())).toBe(true);
    expect(changes.map((c) => c.webhookId)).toEqual([null, w.id, w.id, null, w.id, null, null]);
    expect(changes.at(-1)?.details).toEqual({
      name: 'recorded',
      domain: 'ehealth',
      types: ['ehealth.consent-management'],
      quotaPerSecond: null,
    });
    expect(changes[4]?.details).toMatchObject({ url: 'https://consents.example.be/ssm' });
    expect(changes[2]?.details).toEqual({ requeued: 0, named: null });
    for (const s of [secret, rotated]) {
      expect(JSON.stringify(changes)).not.toContain(s);
      expect(JSON.stringify(changes)).not.toContain(hashClientSecret(s));
    }
    expect((await app.store.business.clientChanges({ limit: 1000 })).filter((c) => c.clientId === client.id)).toHaveLength(7);

    // The change and its record are one: when the record cannot be written, the change is not made.
    const { client: other } = await createApiClient(alice, { name: 'other', domain: 'finance' });
    const taken = { id: (changes[0] as { id: string }).id, at: app.now().toISOString(), actor: 'cli:alice' };
    await expect(app.store.business.revokeClient(other.id, taken)).rejects.toThrow();
    expect((await app.store.business.getClient(other.id))?.revokedAt).toBeNull();
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
