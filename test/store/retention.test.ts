// Housekeeping on every dialect: what has served its purpose goes, everything else stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prune } from '../../src/app/retention.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';

const NOW = Date.parse('2027-03-01T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

describe.each(DIALECTS)('pruning on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url, new Date(NOW).toISOString());
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('deletes expired sessions, day-old idempotency keys and old finished deliveries and e-mails, and nothing else', async () => {
    const k = (app.store as KyselyStore).db;
    const keys = [
      ['old', ago(2)],
      ['fresh', ago(0.5)],
    ] as const;
    for (const [key, at] of keys) {
      await k
        .insertInto('idempotency_keys')
        .values({ scope: 'person:x', key, fingerprint: 'f', status: 201, headers: '{}', body: '{}', created_at: at })
        .execute();
    }
    for (const [id, expires] of [
      ['expired', ago(1)],
      ['alive', ago(-1)],
    ] as const) {
      await k
        .insertInto('sessions')
        .values({
          id_hash: id,
          national_number: '85073003328',
          name: null,
          auth_time: ago(2),
          acr: null,
          created_at: ago(2),
          last_seen_at: ago(1),
          expires_at: expires,
        })
        .execute();
      await k
        .insertInto('pending_logins')
        .values({
          id_hash: id,
          state: 's',
          nonce: 'n',
          code_verifier: 'v',
          return_to: '/',
          max_age: null,
          created_at: ago(2),
          expires_at: expires,
        })
        .execute();
    }
    await k
      .insertInto('clients')
      .values({
        id: 'c1',
        name: 'tax',
        domain: 'finance',
        types: null,
        secret_hash: 'h',
        created_at: ago(200),
        revoked_at: null,
        quota_per_second: null,
      })
      .execute();
    await k
      .insertInto('webhooks')
      .values({
        id: 'w1',
        client_id: 'c1',
        url: 'https://example.org/hook',
        secret: 's',
        after_seq: 0,
        created_at: ago(200),
        disabled_at: null,
      })
      .execute();
    const deliveries = [
      ['old-delivered', 'delivered', 100],
      ['old-dead', 'dead', 100],
      ['old-pending', 'pending', 100],
      ['new-delivered', 'delivered', 10],
    ] as const;
    for (const [i, [id, status, days]] of deliveries.entries()) {
      await k
        .insertInto('webhook_deliveries')
        .values({
          id,
          webhook_id: 'w1',
          seq: i + 1,
          mandate_id: 'm',
          attempts: 1,
          next_attempt_at: ago(days),
          status,
          last_error: null,
          created_at: ago(days),
          delivered_at: status === 'delivered' ? ago(days) : null,
        })
        .execute();
    }
    const messages = [
      ['old-sent', 'sent', 100],
      ['old-pending', 'pending', 100],
      ['new-sent', 'sent', 10],
    ] as const;
    for (const [key, status, days] of messages) {
      await k
        .insertInto('mail_messages')
        .values({
          key,
          message_id: `<${key}@ssm>`,
          kind: 'digest',
          recipient_kind: 'person',
          recipient_id: '85073003328',
          to_address: 'a@example.org',
          language: 'nl',
          subject: 's',
          text_body: 't',
          html_body: 'h',
          items: 1,
          status,
          attempts: 1,
          next_attempt_at: ago(days),
          lease_until: null,
          last_error: null,
          created_at: ago(days),
          sent_at: status === 'sent' ? ago(days) : null,
        })
        .execute();
    }
    const eventsBefore = (await app.store.head()).seq;

    const counts = await prune(app, 90);

    expect(counts).toEqual({ idempotencyKeys: 1, sessions: 1, pendingLogins: 1, webhookDeliveries: 2, mailMessages: 1 });
    const left = async (
      table: 'idempotency_keys' | 'sessions' | 'pending_logins' | 'webhook_deliveries' | 'mail_messages',
      column: string,
    ) =>
      (
        await k
          .selectFrom(table)
          .select(`${column} as id` as never)
          .execute()
      )
        .map((r) => (r as { id: string }).id)
        .sort();
    expect(await left('idempotency_keys', 'key')).toEqual(['fresh']);
    expect(await left('sessions', 'id_hash')).toEqual(['alive']);
    expect(await left('pending_logins', 'id_hash')).toEqual(['alive']);
    expect(await left('webhook_deliveries', 'id')).toEqual(['new-delivered', 'old-pending']);
    expect(await left('mail_messages', 'key')).toEqual(['new-sent', 'old-pending']);
    expect((await app.store.head()).seq).toBe(eventsBefore);
    expect(await prune(app, 90)).toEqual({ idempotencyKeys: 0, sessions: 0, pendingLogins: 0, webhookDeliveries: 0, mailMessages: 0 });
  });
});
