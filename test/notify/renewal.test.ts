// Renew on the same terms, on the application clock: the successor starts the day after the end
// (or today once ended), lasts as long, is signed by the renewing party and waits for the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { signMandate } from '../../src/app/mandate-commands.js';
import { sendDueReminders } from '../../src/app/notifications/reminders.js';
import { type RenewResult, renewedValidity, renewMandate } from '../../src/app/renew-mandate.js';
import { brusselsMidnight } from '../../src/core/dates.js';
import type { Mandate } from '../../src/core/mandate.js';
import { A, actorAt, B, C, D, person, type TestApp, testApp } from '../fixtures/app.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';

let db: TestDatabase;
let app: TestApp;

const at = (iso: string) => {
  app.clock.now = new Date(iso);
};
async function signed(
  mandator: string,
  mandatee: string,
  validFrom: string,
  validUntil: string | null,
  type = 'flanders.service-vouchers',
) {
  const proposed = await createMandate(app, actorAt(app, mandator), person(mandator), {
    type,
    mandator: person(mandator),
    mandatee: person(mandatee),
    validFrom,
    validUntil,
    reference: 'file 7',
    language: 'fr',
  });
  if (!proposed.ok) throw new Error(proposed.refusal.code);
  const done = await signMandate(app, { actor: actorAt(app, mandatee), as: person(mandatee), mandateId: proposed.mandate.id });
  if (!done.ok) throw new Error(done.refusal.code);
  return done.mandate;
}
const renew = (by: string, m: Pick<Mandate, 'id' | 'version'>) =>
  renewMandate(app, { actor: actorAt(app, by) as never, as: person(by), mandateId: m.id, expectedVersion: m.version });
const created = (r: RenewResult) => {
  if (!r.ok) throw new Error('renewal' in r ? r.renewal.code : r.refusal.code);
  return r.mandate;
};
const codeOf = (r: RenewResult) => (r.ok ? 'ok' : 'renewal' in r ? r.renewal.code : r.refusal.code);

beforeAll(async () => {
  db = sqliteDatabase();
  app = await testApp(db.url, '2026-11-01T08:00:00.000Z');
});
afterAll(async () => {
  await app?.store.close();
  await db?.drop();
});

describe('the renewed validity', () => {
  it('keeps whole calendar months, or else the number of days', () => {
    expect(renewedValidity('2026-11-01', '2027-10-31', '2027-10-20')).toEqual({ validFrom: '2027-11-01', validUntil: '2028-10-31' });
    expect(renewedValidity('2026-12-29', '2027-03-28', '2027-03-20')).toEqual({ validFrom: '2027-03-29', validUntil: '2027-06-28' });
    expect(renewedValidity('2027-01-31', '2027-02-27', '2027-02-01')).toEqual({ validFrom: '2027-02-28', validUntil: '2027-03-27' });
    expect(renewedValidity('2027-01-01', '2027-01-10', '2027-01-05')).toEqual({ validFrom: '2027-01-11', validUntil: '2027-01-20' });
    // Ended: from today.
    expect(renewedValidity('2026-12-29', '2027-03-28', '2027-04-02')).toEqual({ validFrom: '2027-04-02', validUntil: '2027-07-01' });
  });
});

describe('renewing a mandate', () => {
  it('across the autumn clock change: the successor waits only for the other party, and the old one is not reminded again', async () => {
    const m = await signed(A, B, '2026-11-01', '2027-10-31');
    at('2027-10-20T09:00:00.000Z');
    const successor = created(await renew(B, m));
    expect(successor).toMatchObject({
      status: 'pending',
      type: m.type,
      mandator: m.mandator,
      mandatee: m.mandatee,
      reference: 'file 7',
      language: 'fr',
      validFrom: '2027-11-01',
      validUntil: '2028-10-31',
    });
    expect(successor.signatures.map((s) => [s.role, s.signer])).toEqual([['mandatee', B]]);
    expect(successor.id).not.toBe(m.id);
    const told = await app.store.notifications.inbox(person(A), { limit: 10 });
    expect(told.items[0]).toMatchObject({ kind: 'proposal-awaits-signature', mandateId: successor.id });
    // A second renewal would overlap the first: the no-duplicate rule of create applies.
    expect(codeOf(await renew(A, m))).toBe('MANDATE_DUPLICATE');

    // Renewed: no 7-day reminder for the old one (its end is covered).
    at(new Date(brusselsMidnight('2027-10-24') + 3_600_000).toISOString());
    await sendDueReminders(app, { reminderDays: [60, 30, 7], proposalReminderDays: [] });
    const reminders = (await app.store.notifications.inbox(person(A), { limit: 50 })).items.filter((n) => n.kind === 'mandate-ends-soon');
    expect(reminders.map((n) => n.data.threshold)).not.toContain(7);

    const countersigned = await signMandate(app, { actor: actorAt(app, A), as: person(A), mandateId: successor.id });
    expect(countersigned.ok && countersigned.mandate.status).toBe('signed');
    expect((await app.store.getMandate(m.id))?.status).toBe('signed');
  });

  it('an ended mandate is renewed from today; before its end, from the day after (spring clock change)', async () => {
    at('2026-12-29T08:00:00.000Z');
    const m = await signed(C, D, '2026-12-29', '2027-03-28');
    at('2027-04-02T10:00:00.000Z');
    const renewed = created(await renew(D, m));
    expect([renewed.validFrom, renewed.validUntil]).toEqual(['2027-04-02', '2027-07-01']);

    at('2027-03-01T08:00:00.000Z');
    const other = await signed(C, A, '2027-03-01', '2027-03-28');
    at('2027-03-27T23:30:00.000Z'); // 28 March, 00:30 in Brussels: the last valid day.
    const next = created(await renew(C, other));
    expect([next.validFrom, next.validUntil]).toEqual(['2027-03-29', '2027-04-25']);
  });

  it('refuses an unlimited mandate, a pending one, a stale version, and outsiders (as not found)', async () => {
    at('2027-05-01T08:00:00.000Z');
    const unlimited = await signed(B, C, '2027-05-01', null, 'finance.myminfin');
    expect(codeOf(await renew(B, unlimited))).toBe('RENEWAL_UNLIMITED');
    expect(codeOf(await renew(D, unlimited))).toBe('MANDATE_NOT_FOUND');
    expect(codeOf(await renew(B, { id: unlimited.id, version: 1 }))).toBe('MANDATE_VERSION_STALE');
    const pending = await createMandate(app, actorAt(app, B), person(B), {
      type: 'flanders.study-grants',
      mandator: person(B),
      mandatee: person(D),
      validFrom: '2027-05-01',
      validUntil: '2027-12-31',
    });
    if (!pending.ok) throw new Error(pending.refusal.code);
    expect(codeOf(await renew(B, pending.mandate))).toBe('MANDATE_STATUS');
  });
});
