// `ssm clients …` and `ssm webhooks …` as an operator runs them: the real binary over a SQLite file.
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWebhook, createApiClient, verifyClientCredentials } from '../../src/app/api-clients.js';
import { WebhookDispatcher } from '../../src/app/webhook-dispatcher.js';
import { type TestApp, testApp } from '../fixtures/app.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';
import { makeMandates } from './workload.js';

const run = promisify(execFile);
let db: TestDatabase;

async function ssm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ssm.js', ...args], {
      env: { ...process.env, SSM_DATABASE_URL: db.url, SSM_LOG_LEVEL: 'silent' },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Opens the same database file, as another process would. */
async function withStore<T>(fn: (app: TestApp) => Promise<T>): Promise<T> {
  const app = await testApp(db.url);
  try {
    return await fn(app);
  } finally {
    await app.store.close();
  }
}

beforeAll(() => {
  db = sqliteDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('ssm clients and ssm webhooks', { timeout: 120_000 }, () => {
  let clientId: string;

  it('creates a client and prints its id and secret once, as JSON', async () => {
    const created = await ssm(
      'clients',
      'create',
      '--domain',
      'finance',
      '--types',
      'finance.vat,finance.excise',
      '--name',
      'VAT app',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    const printed = JSON.parse(created.stdout);
    expect(Object.keys(printed)).toEqual(['clientId', 'clientSecret']);
    clientId = printed.clientId;
    const verified = await withStore((app) => verifyClientCredentials(app, printed.clientId, printed.clientSecret));
    expect(verified?.client).toMatchObject({ domain: 'finance', types: ['finance.vat', 'finance.excise'], name: 'VAT app' });
  });

  it('refuses a domain outside the catalogue and a type of another domain', async () => {
    const unknown = await ssm('clients', 'create', '--domain', 'defence', '--name', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown domain defence');
    const foreign = await ssm('clients', 'create', '--domain', 'finance', '--types', 'ehealth.consent-management', '--name', 'x');
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('not a type of the domain finance');
  });

  it('lists clients without their secret', async () => {
    const listed = await ssm('clients', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const clients = JSON.parse(listed.stdout);
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({ id: clientId, domain: 'finance', revokedAt: null });
    expect(listed.stdout).not.toMatch(/secret/i);
  });

  it('adds a webhook (printing its HMAC secret once) after checking the URL, and lists it without the secret', async () => {
    const bad = await ssm('webhooks', 'add', '--client', clientId, '--url', 'ftp://example.org/hook');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--url');
    const added = await ssm('webhooks', 'add', '--client', clientId, '--url', 'https://vat.example.be/ssm', '--json');
    expect(added.code, added.stderr).toBe(0);
    const { webhookId, secret } = JSON.parse(added.stdout);
    expect(secret).toMatch(/^[\w-]{43}$/);
    const listed = await ssm('webhooks', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: webhookId, clientId, url: 'https://vat.example.be/ssm', disabledAt: null }]);
    expect(listed.stdout).not.toContain(secret);
    const deliveries = await ssm('webhooks', 'deliveries', '--status', 'dead', '--json');
    expect(deliveries.code, deliveries.stderr).toBe(0);
    expect(JSON.parse(deliveries.stdout)).toEqual([]);
    expect((await ssm('webhooks', 'deliveries', '--status', 'lost')).code).toBe(2);
  });

  it('rotates a secret: prints the new one once; the old one works for the overlap; lists show no hash', async () => {
    const created = JSON.parse((await ssm('clients', 'create', '--domain', 'ehealth', '--name', 'rotating', '--json')).stdout);
    const bad = await ssm('clients', 'rotate', created.clientId, '--overlap', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--overlap');
    const unknown = await ssm('clients', 'rotate', 'no-such-client');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no active client no-such-client');
    expect((await ssm('clients', 'rotate', created.clientId, '--overlap=')).code).toBe(2);
    expect((await ssm('clients', 'rotate', '--json')).code).toBe(2);

    const rotated = await ssm('clients', 'rotate', created.clientId, '--overlap', '30', '--json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const printed = JSON.parse(rotated.stdout);
    expect(printed).toMatchObject({ clientId: created.clientId, overlapMinutes: 30 });
    expect(printed.clientSecret).toMatch(/^[\w-]{43}$/);
    // The test app's clock stands a day ahead; the overlap was set by the command's wall clock.
    const accepted = await withStore(async (app) => {
      app.clock.now = new Date();
      return {
        old: (await verifyClientCredentials(app, created.clientId, created.clientSecret)) !== undefined,
        new: (await verifyClientCredentials(app, created.clientId, printed.clientSecret)) !== undefined,
      };
    });
    expect(accepted).toEqual({ old: true, new: true });
    const listed = await ssm('clients', 'list', '--json');
    const entry = JSON.parse(listed.stdout).find((c: { id: string }) => c.id === created.clientId);
    expect(Date.parse(entry.rotatedOutUntil) - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(Object.keys(entry)).not.toContain('secretHash');
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);

    const leaked = JSON.parse((await ssm('clients', 'rotate', created.clientId, '--overlap', '0', '--json')).stdout);
    const after = await withStore(async (app) => ({
      previous: (await verifyClientCredentials(app, created.clientId, printed.clientSecret)) !== undefined,
      now: (await verifyClientCredentials(app, created.clientId, leaked.clientSecret)) !== undefined,
    }));
    expect(after).toEqual({ previous: false, now: true });
  });

  it('redelivers the dead deliveries of a webhook, the named ones or all, and refuses what it cannot', async () => {
    // A receiver that refuses connections, and one try per delivery: every delivery dies.
    const { webhookId, dead } = await withStore(async (app) => {
      const { client } = await createApiClient(app, { name: 'consents app', domain: 'ehealth' });
      const webhook = await addWebhook(app, { clientId: client.id, url: 'http://127.0.0.1:9/hook' });
      await makeMandates(app, 4);
      const dispatcher = new WebhookDispatcher(app.store, { maxAttempts: 1, baseDelayMs: 1 });
      // Later events of a mandate wait for its earlier ones: a round per event of a mandate at most.
      for (let round = 0; round < 10; round += 1) await dispatcher.runOnce();
      const list = await app.store.business.listDeliveries({ webhookId: webhook.id, status: 'dead', limit: 100 });
      return { webhookId: webhook.id, dead: list.map((d) => d.id) };
    });
    expect(dead.length).toBeGreaterThan(1);
    const statuses = () =>
      withStore(async (app) => (await app.store.business.listDeliveries({ webhookId, limit: 100 })).map((d) => d.status).sort());

    const unknown = await ssm('webhooks', 'redeliver', '--webhook', webhookId, '--delivery', dead[0] as string, '--delivery', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--delivery: not a dead delivery');
    expect(unknown.stderr).toContain('nope');
    expect(await statuses()).toEqual(dead.map(() => 'dead'));

    const one = await ssm('webhooks', 'redeliver', '--webhook', webhookId, '--delivery', dead[0] as string, '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ webhookId, requeued: 1 });
    const rest = await ssm('webhooks', 'redeliver', '--webhook', webhookId);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toContain(`re-queued ${dead.length - 1} dead deliveries`);
    expect(await statuses()).toEqual(dead.map(() => 'pending'));

    const missing = await ssm('webhooks', 'redeliver', '--webhook', 'no-such-webhook');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--webhook: no webhook no-such-webhook');
    expect((await ssm('webhooks', 'redeliver')).code).toBe(2);
  });

  it('shows who changed clients and webhooks: the account that ran each command', async () => {
    const history = await ssm('clients', 'history', clientId, '--json');
    expect(history.code, history.stderr).toBe(0);
    const changes = JSON.parse(history.stdout) as { action: string; actor: string; webhookId: string | null }[];
    expect(changes.map((c) => c.action)).toEqual(['webhook-added', 'client-created']);
    expect(new Set(changes.map((c) => c.actor))).toEqual(new Set([`cli:${userInfo().username}`]));
    const all = await ssm('clients', 'history');
    expect(all.stdout).toContain('deliveries-redelivered');
    expect(all.stdout).toContain('secret-rotated');
    expect((await ssm('clients', 'history', '--limit', '0')).code).toBe(2);
  });

  it('revokes a client once', async () => {
    const revoked = await ssm('clients', 'revoke', clientId);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await ssm('clients', 'revoke', clientId)).code).toBe(1);
    const clients = JSON.parse((await ssm('clients', 'list', '--json')).stdout);
    expect(clients[0].revokedAt).not.toBeNull();
    const refused = await ssm('webhooks', 'add', '--client', clientId, '--url', 'https://vat.example.be/other');
    expect(refused.code).toBe(2);
  });
});
