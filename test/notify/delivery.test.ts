// Delivery: a burst becomes one digest after the window; a crash between the SMTP server's
// acceptance and the mark sends the same message again under the same Message-ID, never a new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { signMandate } from '../../src/app/mandate-commands.js';
import type { NotificationWorker } from '../../src/app/notifications/worker.js';
import { makeNationalNumber } from '../../src/core/party.js';
import { ACME, actorAt, enterprise, person, REP, type TestApp, testApp } from '../fixtures/app.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';
import { confirmedContacts, workerFor } from './fixtures.js';
import { startSmtp, type TestSmtp } from './smtp.js';

const OFFICE = 'mandates@acme.example.be';
const CLIENTS = Array.from({ length: 50 }, (_, i) => makeNationalNumber('700101', 100 + i));

let db: TestDatabase;
let app: TestApp;
let smtp: TestSmtp;
let worker: NotificationWorker;

/** The accountant ACME proposes to each client, and every client signs: 50 signatures for ACME. */
async function burstOfSignatures(clients: readonly string[], type: string) {
  for (const client of clients) {
    const proposed = await createMandate(app, actorAt(app, REP), enterprise(ACME), {
      type,
      mandator: person(client),
      mandatee: enterprise(ACME),
      validFrom: '2026-12-01',
      validUntil: null,
      reference: `dossier ${client.slice(-5)}`,
    });
    if (!proposed.ok) throw new Error(proposed.refusal.code);
    const signed = await signMandate(app, { actor: actorAt(app, client), as: person(client), mandateId: proposed.mandate.id });
    if (!signed.ok) throw new Error(signed.refusal.code);
    app.advance(0, 1_000);
  }
}

beforeAll(async () => {
  db = sqliteDatabase();
  app = await testApp(db.url);
  smtp = await startSmtp();
  worker = workerFor(app, smtp, { digestWindowSeconds: 300, leaseMs: 60_000 });
  await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  await confirmedContacts(app, smtp, workerFor(app, smtp), [{ party: enterprise(ACME), email: OFFICE, language: 'nl', by: REP }]);
});
afterAll(async () => {
  await smtp?.close();
  await app?.store.close();
  await db?.drop();
});

describe('digests', () => {
  it('50 signatures for an enterprise within the window become one message listing them', async () => {
    await burstOfSignatures(CLIENTS, 'finance.personal-income-tax');
    // Within the window (the first signature is 50 s old): nothing yet.
    expect((await worker.runOnce()).sent).toBe(0);
    expect(smtp.received).toEqual([]);
    app.advance(0, 300_000);
    const round = await worker.runOnce();
    expect(round).toMatchObject({ planned: 1, sent: 1 });
    const mails = smtp.to(OFFICE);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.subject).toBe('Mandaten: 50 meldingen over uw mandaten');
    expect(mail?.text).toContain('Ondertekend (50)');
    expect(mail?.text).toContain('Er is nieuws over de mandaten van onderneming 0403.170.701:');
    // The first 25 are listed, the rest counted and left to the inbox.
    expect(mail?.text.match(/heeft het mandaat „Personenbelasting \(Tax-on-web\)” ondertekend/g)).toHaveLength(25);
    expect(mail?.text).toContain('… en nog 25; u vindt ze allemaal in uw inbox: https://mandates.example.be/mandates?party=0403170701');
    expect(mail?.html).toContain('<h2 style="font-size: 1.1em">Ondertekend (50)</h2>');
    // The clients (no address) have it in their inbox only.
    const inbox = await app.store.notifications.inbox(person(CLIENTS[0] as string), { limit: 5 });
    expect(inbox.items.map((n) => [n.kind, n.mailStatus])).toEqual([['proposal-awaits-signature', 'none']]);
    const sent = await app.store.notifications.inbox(enterprise(ACME), { limit: 100 });
    expect(sent.items).toHaveLength(50);
    expect(new Set(sent.items.map((n) => n.mailStatus))).toEqual(new Set(['sent']));
    expect((await worker.runOnce()).sent).toBe(0);
  });
});

describe('a crash between the SMTP acceptance and the mark', () => {
  it('resends the same message under the same Message-ID, once the lease ran out; the receiver keeps one', async () => {
    smtp.clear();
    await burstOfSignatures(CLIENTS.slice(0, 3), 'finance.e-depo');
    app.advance(0, 300_000);
    let crashes = 0;
    const crashing = workerFor(app, smtp, {
      digestWindowSeconds: 300,
      leaseMs: 60_000,
      afterAccepted: () => {
        crashes += 1;
        throw new Error('process killed after the server accepted the message');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('process killed');
    expect(crashes).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const [message] = await app.store.notifications.listMessages({ recipient: enterprise(ACME), status: 'pending', limit: 5 });
    expect(message).toMatchObject({ attempts: 1, items: 3 });

    // Another instance (or the restarted one) does not touch it while the lease holds…
    expect((await worker.runOnce()).sent).toBe(0);
    expect(smtp.received).toHaveLength(1);
    // …and sends it again once the lease has run out.
    app.advance(0, 61_000);
    expect((await worker.runOnce()).sent).toBe(1);
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]?.messageId).toBe(smtp.received[0]?.messageId);
    expect(smtp.received[1]?.messageId).toBe(message?.messageId);
    expect(smtp.received[1]?.raw).toBe(smtp.received[0]?.raw);
    expect(smtp.deduplicated()).toHaveLength(1);

    const [after] = await app.store.notifications.listMessages({ recipient: enterprise(ACME), limit: 1 });
    expect(after).toMatchObject({ key: message?.key, status: 'sent', attempts: 2 });
    expect((await worker.runOnce()).sent).toBe(0);
    expect(smtp.received).toHaveLength(2);
  });

  it('retries a message the server refused, with back-off, under the same Message-ID', async () => {
    smtp.clear();
    const down = workerFor(app, smtp, { digestWindowSeconds: 0, baseDelayMs: 60_000 });
    await burstOfSignatures(CLIENTS.slice(3, 4), 'finance.e-depo');
    await smtp.close();
    const round = await down.runOnce();
    expect(round).toMatchObject({ planned: 1, sent: 0, retried: 1 });
    const [waiting] = await app.store.notifications.listMessages({ recipient: enterprise(ACME), status: 'pending', limit: 1 });
    expect(waiting?.lastError).toBeTruthy();
    smtp = await startSmtp();
    const up = workerFor(app, smtp, { digestWindowSeconds: 0 });
    expect((await up.runOnce()).sent).toBe(0);
    app.advance(0, 61_000);
    expect((await up.runOnce()).sent).toBe(1);
    expect(smtp.received.map((m) => m.messageId)).toEqual([waiting?.messageId]);
  });
});
