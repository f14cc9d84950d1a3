// The webhook dispatcher against real databases and a real local receiver: exactly-once fan-out,
// signed deliveries in order per mandate, retries with back-off, dead letters, restarts, and two
// dispatchers sharing one database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addWebhook, createApiClient, disableWebhook, redeliverDead, revokeApiClient } from '../../src/app/api-clients.js';
import type { MandateCloudEvent } from '../../src/app/change-feed.js';
import { type DispatcherOptions, planDeliveries, WebhookDispatcher } from '../../src/app/webhook-dispatcher.js';
import { verifyWebhookSignature } from '../../src/app/webhook-signature.js';
import { WEBHOOK_FEED, type Webhook } from '../../src/store/business-port.js';
import { type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';
import { eventually, loggedEvents, makeMandates, type Receiver, startReceiver } from './workload.js';

const FAST: DispatcherOptions = { maxAttempts: 8, baseDelayMs: 5, pollMs: 10 };

describe.each(DIALECTS)('webhooks on $name', ({ name, create }) => {
  let db: TestDatabase;
  let app: TestApp;
  let mandateCount = 0;
  const receivers: Receiver[] = [];
  const dispatchers: WebhookDispatcher[] = [];
  const apps: TestApp[] = [];

  const receiver = async (answer?: (n: number) => number) => {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  };
  const dispatcher = (options: Partial<DispatcherOptions> = {}, on: TestApp = app) => {
    const d = new WebhookDispatcher(on.store, { ...FAST, ...options });
    dispatchers.push(d);
    return d;
  };
  /** A webhook of a new client of the domain on the receiver. */
  const hook = async (r: Receiver, domain = 'finance', types: string[] | null = null): Promise<Webhook> => {
    const { client } = await createApiClient(app, { name: `${domain} app`, domain, types });
    return addWebhook(app, { clientId: client.id, url: r.url });
  };
  const more = async (count: number, on: TestApp = app) => {
    await makeMandates(on, count, mandateCount);
    mandateCount += count;
  };
  const pending = async (webhookId: string) =>
    (await app.store.business.listDeliveries({ webhookId, status: 'pending', limit: 10_000 })).length;
  /** The events a webhook of the domain created at `afterSeq` should receive, in log order. */
  const expectedFor = async (w: Webhook, domain = 'finance') =>
    (await loggedEvents(app)).filter((e) => e.domain === domain && e.seq > w.afterSeq).map((e) => String(e.seq));
  const delivered = (r: Receiver) => r.requests.filter((q) => q.status < 300).map((q) => JSON.parse(q.body) as MandateCloudEvent);

  function expectOrderPerMandate(events: MandateCloudEvent[]) {
    const last = new Map<string, number>();
    for (const e of events) {
      expect(e.data.seq, `event ${e.id} of ${e.subject} after a later one`).toBeGreaterThan(last.get(e.subject) ?? 0);
      last.set(e.subject, e.data.seq);
    }
  }

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url);
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    // Each test looks at its own webhook only.
    for (const w of await app.store.business.listWebhooks()) await disableWebhook(app, w.id);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    for (const a of apps) await a.store.close();
    await app?.store.close();
    await db?.drop();
  });

  it("delivers every event of the client's domain once, signed, in order per mandate; none of another domain", async () => {
    const r = await receiver();
    const w = await hook(r);
    await more(24);
    const d = dispatcher();
    await eventually(async () => {
      await d.runOnce();
      return (await pending(w.id)) === 0;
    });
    const expected = await expectedFor(w);
    expect(expected.length).toBeGreaterThan(10);
    const events = delivered(r);
    expect(events.map((e) => e.id)).toHaveLength(expected.length);
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(expected));
    expect(events.every((e) => e.data.domain === 'finance')).toBe(true);
    expectOrderPerMandate(events);
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const q of r.requests) {
      expect(q.headers['content-type']).toContain('application/cloudevents+json');
      expect(q.headers['ssm-event-id']).toBe(JSON.parse(q.body).id);
      expect(verifyWebhookSignature(w.secret, q.body, String(q.headers['ssm-signature']), nowSeconds)).toBe(true);
      expect(verifyWebhookSignature(w.secret, `${q.body} `, String(q.headers['ssm-signature']), nowSeconds)).toBe(false);
      expect(verifyWebhookSignature('another secret', q.body, String(q.headers['ssm-signature']), nowSeconds)).toBe(false);
    }
    expect((await app.store.business.listDeliveries({ webhookId: w.id, limit: 1000 })).every((x) => x.status === 'delivered')).toBe(true);
  });

  it('retries after the receiver answered 500 a few times, keeping the order per mandate', async () => {
    const r = await receiver((n) => (n < 4 ? 500 : 200));
    const w = await hook(r);
    await more(12);
    const d = dispatcher();
    await eventually(async () => {
      await d.runOnce();
      return (await pending(w.id)) === 0;
    });
    const expected = await expectedFor(w);
    const events = delivered(r);
    expect(events.map((e) => e.id).sort()).toEqual([...expected].sort());
    expect(r.requests.filter((q) => q.status === 500)).toHaveLength(4);
    expect(r.requests).toHaveLength(expected.length + 4);
    expectOrderPerMandate(events);
    // A retried request says which attempt it is.
    expect(r.requests.some((q) => Number(q.headers['ssm-delivery-attempt']) > 1)).toBe(true);
  });

  it('marks a delivery dead after the configured number of tries', async () => {
    const r = await receiver(() => 503);
    const w = await hook(r);
    await more(3);
    const d = dispatcher({ maxAttempts: 3 });
    await eventually(async () => {
      await d.runOnce();
      return (await pending(w.id)) === 0;
    });
    const expected = await expectedFor(w);
    const dead = await app.store.business.listDeliveries({ webhookId: w.id, status: 'dead', limit: 1000 });
    expect(dead.map((x) => String(x.seq)).sort()).toEqual([...expected].sort());
    expect(dead.every((x) => x.attempts === 3 && x.lastError === 'HTTP 503')).toBe(true);
    expect(r.requests).toHaveLength(expected.length * 3);
  });

  it('sends dead deliveries again when the operator redelivers them: the named ones, then every other', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    const w = await hook(r);
    await more(4);
    const d = dispatcher({ maxAttempts: 2 });
    const drain = () =>
      eventually(async () => {
        await d.runOnce();
        return (await pending(w.id)) === 0;
      });
    await drain();
    const dead = await app.store.business.listDeliveries({ webhookId: w.id, status: 'dead', limit: 1000 });
    const expected = await expectedFor(w);
    expect(dead.map((x) => String(x.seq)).sort()).toEqual([...expected].sort());
    const [first, ...others] = dead.sort((a, b) => a.seq - b.seq);
    if (!first || others.length === 0) throw new Error('the workload made fewer than two events');
    // The dispatcher runs on the wall clock and the test app's clock stands a day ahead: redeliver "now".
    const requeue = async (input: Parameters<typeof redeliverDead>[1]) => {
      const saved = app.clock.now;
      app.clock.now = new Date();
      try {
        return await redeliverDead(app, input);
      } finally {
        app.clock.now = saved;
      }
    };

    // The receiver is fixed. Naming a delivery that is not a dead one of this webhook changes nothing.
    up = true;
    await expect(requeue({ webhookId: w.id, deliveryIds: [first.id, 'no-such-delivery'] })).rejects.toMatchObject({
      field: 'delivery',
      message: expect.stringContaining('no-such-delivery'),
    });
    expect(await pending(w.id)).toBe(0);

    expect(await requeue({ webhookId: w.id, deliveryIds: [first.id] })).toBe(1);
    await drain();
    expect(delivered(r).map((e) => e.id)).toEqual([String(first.seq)]);
    // A fresh set of tries: the first of them is attempt 1 again.
    expect(r.requests.at(-1)?.headers['ssm-delivery-attempt']).toBe('1');

    expect(await requeue({ webhookId: w.id })).toBe(others.length);
    await drain();
    const events = delivered(r);
    expect(events.map((e) => e.id).sort()).toEqual([...expected].sort());
    expectOrderPerMandate(events.slice(1));
    const after = await app.store.business.listDeliveries({ webhookId: w.id, limit: 1000 });
    expect(after.every((x) => x.status === 'delivered')).toBe(true);
    expect(await requeue({ webhookId: w.id })).toBe(0);

    // Nothing is re-queued for a webhook that no longer receives, or one that does not exist.
    await disableWebhook(app, w.id);
    await expect(requeue({ webhookId: w.id })).rejects.toMatchObject({ field: 'webhook', message: /disabled/ });
    await expect(requeue({ webhookId: 'no-such-webhook' })).rejects.toMatchObject({ field: 'webhook' });
  });

  it('reports the backlog of active webhooks: pending, dead, and since when the most overdue delivery is due', async () => {
    const r = await receiver(() => 503);
    const w = await hook(r);
    await more(3);
    // One try each (on the wall clock), the next one far off.
    await dispatcher({ baseDelayMs: 600_000 }).runOnce();
    const waiting = (await app.store.business.listDeliveries({ webhookId: w.id, limit: 1000 })).filter((x) => x.status === 'pending');
    expect(waiting.length).toBeGreaterThan(0);
    // Earlier tests' webhooks are disabled: only this one's deliveries count.
    const backlog = (at: number) => app.store.business.deliveryBacklog(new Date(at).toISOString());
    // Due by then: those tried once are not (backing off); later events of their mandates, never tried, are.
    const dueBy = (at: number) =>
      waiting
        .map((x) => x.nextAttemptAt)
        .filter((next) => next <= new Date(at).toISOString())
        .sort()[0] ?? null;
    const now = Date.now();
    expect(await backlog(now)).toEqual({ pending: waiting.length, dead: 0, oldestDueAt: dueBy(now) });
    expect(waiting.filter((x) => x.nextAttemptAt > new Date(now).toISOString()).length).toBeGreaterThan(0);
    expect((await backlog(now - 3_600_000)).oldestDueAt).toBeNull();
    const inAnHour = now + 3_600_000;
    expect(await backlog(inAnHour)).toEqual({ pending: waiting.length, dead: 0, oldestDueAt: dueBy(inAnHour) });
    await disableWebhook(app, w.id);
    expect(await backlog(inAnHour)).toEqual({ pending: 0, dead: 0, oldestDueAt: null });
  });

  it('sends a client only the types it is restricted to, and stops sending once the client is revoked', async () => {
    const r = await receiver();
    const { client } = await createApiClient(app, { name: 'consents', domain: 'ehealth', types: ['ehealth.consent-management'] });
    const w = await addWebhook(app, { clientId: client.id, url: r.url });
    await more(8);
    const d = dispatcher();
    await eventually(async () => {
      await d.runOnce();
      return (await pending(w.id)) === 0;
    });
    const expected = (await loggedEvents(app)).filter((e) => e.mandateType === 'ehealth.consent-management' && e.seq > w.afterSeq);
    expect(expected.length).toBeGreaterThan(0);
    expect(
      delivered(r)
        .map((e) => e.id)
        .sort(),
    ).toEqual(expected.map((e) => String(e.seq)).sort());

    await revokeApiClient(app, client.id);
    await more(8);
    const before = r.requests.length;
    await d.runOnce();
    await d.runOnce();
    expect(r.requests.length).toBe(before);
  });

  it('loses none and doubles none across a restart', async () => {
    const r = await receiver();
    const w = await hook(r);
    await more(10);
    // The first instance fans everything out but delivers only a few before it stops.
    const first = dispatcher({ deliveryBatch: 2 });
    await first.runOnce();
    await first.stop();
    expect(r.requests.length).toBeGreaterThan(0);
    expect(await pending(w.id)).toBeGreaterThan(0);

    // A new process on the same database: more events happen, then it catches up.
    const second = await testApp(db.url);
    apps.push(second);
    await more(10, second);
    const d = dispatcher({}, second);
    await eventually(async () => {
      await d.runOnce();
      return (await pending(w.id)) === 0;
    });
    const expected = await expectedFor(w);
    const ids = delivered(r).map((e) => e.id);
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    expectOrderPerMandate(delivered(r));
  });

  // Several instances share PostgreSQL; on SQLite two connections in one process would block each other's
  // event loop (better-sqlite3 waits synchronously for the lock), and instances are separate processes.
  // (Registered only for PostgreSQL, rather than reported as skipped on SQLite.)
  const concurrently = name === 'postgres' ? it : ((() => undefined) as unknown as typeof it);
  concurrently('with two dispatchers running on the same database, delivers each event exactly once', async () => {
    const r = await receiver((n) => (n % 7 === 3 ? 500 : 200));
    const w = await hook(r);
    const other = await testApp(db.url);
    apps.push(other);
    const calls = { a: 0, b: 0 };
    const counting =
      (who: 'a' | 'b'): typeof fetch =>
      (input, init) => {
        calls[who] += 1;
        return fetch(input, init);
      };
    const a = dispatcher({ deliveryBatch: 3, fetch: counting('a') });
    const b = dispatcher({ deliveryBatch: 3, fetch: counting('b') }, other);
    a.start();
    b.start();
    // Events keep coming while both run.
    await more(12);
    await more(12, other);
    await eventually(async () => (await pending(w.id)) === 0 && delivered(r).length === (await expectedFor(w)).length);
    await Promise.all([a.stop(), b.stop()]);
    const expected = await expectedFor(w);
    const ids = delivered(r).map((e) => e.id);
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    expectOrderPerMandate(delivered(r));
    const rows = await app.store.business.listDeliveries({ webhookId: w.id, limit: 10_000 });
    expect(rows).toHaveLength(expected.length);
    // Both took part.
    expect(calls.a).toBeGreaterThan(0);
    expect(calls.b).toBeGreaterThan(0);
    expect(calls.a + calls.b).toBe(r.requests.length);
  });

  concurrently('never hands the same delivery to two claims at once', async () => {
    const r = await receiver();
    await hook(r);
    await more(30);
    const other = await testApp(db.url);
    apps.push(other);
    // Fan out only, then claim concurrently from two connection pools.
    await app.store.business.fanOut(WEBHOOK_FEED, 10_000, new Date().toISOString(), (events, webhooks) =>
      planDeliveries(events, webhooks, Date.now()),
    );
    const now = new Date();
    const lease = new Date(now.getTime() + 30_000).toISOString();
    const claims = await Promise.all([
      ...[app, other, app, other].map((x) => x.store.business.claimDeliveries(now.toISOString(), lease, 4)),
    ]);
    const ids = claims.flat().map((c) => c.id);
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids).size).toBe(ids.length);
    // One per mandate at a time: the later events of a claimed mandate wait.
    const mandates = claims.flat().map((c) => c.mandateId);
    expect(new Set(mandates).size).toBe(mandates.length);
    // Leased: nothing claimed is claimable again until the lease ends.
    const again = await app.store.business.claimDeliveries(now.toISOString(), lease, 1000);
    expect(again.filter((c) => ids.includes(c.id))).toEqual([]);
  });
});
