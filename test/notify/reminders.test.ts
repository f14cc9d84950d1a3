// Reminders on the application clock, in Brussels days, across the daylight-saving changes:
// 60, 30 and 7 days before a mandate ends (each once), before a proposal lapses, then the lapse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { lapseDueProposals } from '../../src/app/lapse-proposals.js';
import { signMandate } from '../../src/app/mandate-commands.js';
import { sendDueReminders } from '../../src/app/notifications/reminders.js';
import { addDays, brusselsMidnight } from '../../src/core/dates.js';
import type { Party } from '../../src/core/party.js';
import { A, actorAt, B, C, D, person, type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';

const POLICY = { reminderDays: [60, 30, 7], proposalReminderDays: [7] };
const MINUTE = 60_000;

describe.each(DIALECTS)('reminders on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;
  const at = (instant: number) => {
    app.clock.now = new Date(instant);
  };
  /** Signed mandate from `mandator` to `mandatee`, made at the current clock. */
  async function signed(mandator: string, mandatee: string, validFrom: string, validUntil: string, type = 'flanders.service-vouchers') {
    const proposed = await createMandate(app, actorAt(app, mandator), person(mandator), {
      type,
      mandator: person(mandator),
      mandatee: person(mandatee),
      validFrom,
      validUntil,
    });
    if (!proposed.ok) throw new Error(proposed.refusal.code);
    const done = await signMandate(app, { actor: actorAt(app, mandatee), as: person(mandatee), mandateId: proposed.mandate.id });
    if (!done.ok) throw new Error(done.refusal.code);
    return done.mandate;
  }
  const remindersOf = async (party: Party, mandateId: string, kind = 'mandate-ends-soon') =>
    (await app.store.notifications.inbox(party, { limit: 500 })).items.filter((n) => n.kind === kind && n.mandateId === mandateId);

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url, '2027-01-10T10:00:00.000Z');
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('reminds both parties 60, 30 and 7 Brussels days before a mandate ending on the spring-forward day, once each', async () => {
    const m = await signed(A, B, '2027-01-10', '2027-03-28');
    const days: string[] = [];
    for (let day = '2027-01-10'; day <= '2027-03-30'; day = addDays(day, 1)) {
      // Half past midnight in Brussels: still the day before in UTC.
      at(brusselsMidnight(day) + 30 * MINUTE);
      const first = await sendDueReminders(app, POLICY);
      const again = await sendDueReminders(app, POLICY);
      expect(again).toBe(0);
      if (first > 0) days.push(`${day}:${first}`);
    }
    expect(days).toEqual(['2027-01-27:1', '2027-02-26:1', '2027-03-21:1']);
    for (const party of [person(A), person(B)]) {
      const got = await remindersOf(party, m.id);
      expect(got.map((n) => [n.createdAt.slice(0, 16), n.data.threshold, n.data.daysLeft])).toEqual([
        ['2027-03-20T23:30', 7, 7],
        ['2027-02-25T23:30', 30, 30],
        ['2027-01-26T23:30', 60, 60],
      ]);
    }
  });

  it.each([
    ['spring forward', '2027-04-04', '2027-03-28'],
    ['fall back', '2027-11-07', '2027-10-31'],
  ])('starts a Brussels day at its midnight on a daylight-saving day (%s)', async (_name, validUntil, reminderDay) => {
    at(Date.parse('2027-03-01T09:00:00Z'));
    const m = await signed(
      C,
      D,
      '2027-03-01',
      validUntil,
      validUntil > '2027-06-01' ? 'finance.tax-disputes' : 'flanders.service-vouchers',
    );
    // Jumping to a week before the end: only the nearest threshold is sent, not the missed 60 and 30.
    at(brusselsMidnight(reminderDay) - MINUTE);
    await sendDueReminders(app, POLICY);
    const before = await remindersOf(person(C), m.id);
    expect(before.map((n) => n.data.threshold)).not.toContain(7);
    at(brusselsMidnight(reminderDay));
    await sendDueReminders(app, POLICY);
    const after = await remindersOf(person(C), m.id);
    expect(after[0]).toMatchObject({ data: { threshold: 7, daysLeft: 7 } });
    await sendDueReminders(app, POLICY);
    expect(await remindersOf(person(D), m.id)).toHaveLength(after.length);
  });

  it('reminds the party that has not signed 7 days before the proposal lapses (across the clock change), then it lapses', async () => {
    at(Date.parse('2027-03-20T12:00:00Z'));
    const proposed = await createMandate(app, actorAt(app, B), person(B), {
      type: 'finance.myminfin',
      mandator: person(B),
      mandatee: person(C),
      validFrom: '2027-03-20',
      validUntil: null,
    });
    if (!proposed.ok) throw new Error(proposed.refusal.code);
    const id = proposed.mandate.id;
    expect(proposed.mandate.proposalExpiresAt).toBe('2027-04-19T12:00:00.000Z');
    at(Date.parse('2027-04-12T11:59:00Z'));
    await sendDueReminders(app, POLICY);
    expect(await remindersOf(person(C), id, 'proposal-lapses-soon')).toEqual([]);
    at(Date.parse('2027-04-12T12:00:00Z'));
    await sendDueReminders(app, POLICY);
    await sendDueReminders(app, POLICY);
    const reminded = await remindersOf(person(C), id, 'proposal-lapses-soon');
    expect(reminded).toHaveLength(1);
    expect(reminded[0]?.data.lapsesAt).toBe('2027-04-19T12:00:00.000Z');
    // The party that proposed it has signed: it is not reminded.
    expect(await remindersOf(person(B), id, 'proposal-lapses-soon')).toEqual([]);

    at(Date.parse('2027-04-19T11:59:00Z'));
    await lapseDueProposals(app);
    expect((await app.store.getMandate(id))?.status).toBe('pending');
    at(Date.parse('2027-04-19T12:00:00Z'));
    await lapseDueProposals(app);
    expect((await app.store.getMandate(id))?.status).toBe('lapsed');
    expect(await remindersOf(person(B), id, 'proposal-lapsed')).toHaveLength(1);
    expect(await remindersOf(person(C), id, 'proposal-lapsed')).toEqual([]);
  });
});
