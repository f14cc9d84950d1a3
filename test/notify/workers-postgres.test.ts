// Two instances on one PostgreSQL database run their notification workers at the same time: every
// reminder is recorded once and every message is sent exactly once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { signMandate } from '../../src/app/mandate-commands.js';
import type { NotificationWorker } from '../../src/app/notifications/worker.js';
import { makeNationalNumber } from '../../src/core/party.js';
import { A, actorAt, person, type TestApp, testApp } from '../fixtures/app.js';
import { postgresDatabase, type TestDatabase } from '../fixtures/databases.js';
import { confirmedContacts, workerFor } from './fixtures.js';
import { startSmtp, type TestSmtp } from './smtp.js';

const PEOPLE = Array.from({ length: 40 }, (_, i) => makeNationalNumber('800202', 200 + i));
const START = '2026-12-01T10:00:00.000Z';
const LANGS = ['nl', 'fr', 'de', 'en'] as const;
const langOf = (i: number) => LANGS[i % 4] as (typeof LANGS)[number];

let db: TestDatabase;
let one: TestApp;
let two: TestApp;
let smtp: TestSmtp;
let workers: NotificationWorker[];

beforeAll(async () => {
  db = await postgresDatabase();
  one = await testApp(db.url, START);
  two = await testApp(db.url, START);
  smtp = await startSmtp();
  workers = [workerFor(one, smtp, { batch: 3 }), workerFor(two, smtp, { batch: 3 })];
  await confirmedContacts(
    one,
    smtp,
    workers[0] as NotificationWorker,
    PEOPLE.map((p, i) => ({ party: person(p), email: `person${i}@example.be`, language: langOf(i), by: p })),
  );
  // A proposes a short mandate to each; each signs: everyone has news and a reminder (it ends within 60 days).
  for (const p of PEOPLE) {
    const proposed = await createMandate(one, actorAt(one, A), person(A), {
      type: 'flanders.service-vouchers',
      mandator: person(A),
      mandatee: person(p),
      validFrom: '2026-12-01',
      validUntil: '2027-01-15',
    });
    if (!proposed.ok) throw new Error(proposed.refusal.code);
    const signed = await signMandate(two, { actor: actorAt(two, p), as: person(p), mandateId: proposed.mandate.id });
    if (!signed.ok) throw new Error(signed.refusal.code);
  }
});
afterAll(async () => {
  await smtp?.close();
  await one?.store.close();
  await two?.store.close();
  await db?.drop();
});

it('sends each message exactly once, with both workers running rounds at the same time', async () => {
  const rounds = [];
  for (let i = 0; i < 4; i += 1) rounds.push(...(await Promise.all(workers.map((w) => w.runOnce()))));
  expect(rounds.reduce((n, r) => n + r.reminders, 0)).toBe(40);
  expect(rounds.reduce((n, r) => n + r.planned, 0)).toBe(40);
  expect(rounds.reduce((n, r) => n + r.sent, 0)).toBe(40);

  expect(smtp.received).toHaveLength(40);
  expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(40);
  for (const [i, p] of PEOPLE.entries()) {
    const mails = smtp.to(`person${i}@example.be`);
    expect(mails, p).toHaveLength(1);
    // One digest: asked to sign, and reminded that it ends soon.
    expect(mails[0]?.subject).toBe(
      {
        nl: 'Mandaten: 2 meldingen over uw mandaten',
        fr: 'Mandats: 2 notifications concernant vos mandats',
        de: 'Mandate: 2 Mitteilungen zu Ihren Mandaten',
        en: 'Mandates: 2 updates on your mandates',
      }[langOf(i)],
    );
  }
  const reminders = await one.store.notifications.inbox(person(A), { limit: 200 });
  expect(reminders.items.filter((n) => n.kind === 'mandate-ends-soon')).toHaveLength(40);
  expect(await one.store.notifications.listMessages({ status: 'pending', limit: 10 })).toEqual([]);
});
