// Proposals lapse when their period ends, on every dialect, and only then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { lapseDueProposals } from '../../src/app/lapse-proposals.js';
import { signMandate } from '../../src/app/mandate-commands.js';
import { A, actorAt, B, C, person, self, type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';

describe.each(DIALECTS)('lapsing proposals on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url);
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('lapses a proposal 30 days after it was made, not a minute earlier, and not one that was signed', async () => {
    const propose = (to: string) =>
      createMandate(app, actorAt(app, A), person(A), {
        type: 'finance.personal-income-tax',
        mandator: person(A),
        mandatee: person(to),
        validFrom: '2026-12-01',
        validUntil: null,
      });
    const waiting = await propose(B);
    const countersigned = await propose(C);
    if (!waiting.ok || !countersigned.ok) throw new Error('setup');
    await signMandate(app, { ...self(app, C), mandateId: countersigned.mandate.id });
    app.advance(30, -60_000);
    expect(await lapseDueProposals(app)).toBe(0);
    app.advance(0, 60_000);
    expect(await lapseDueProposals(app)).toBe(1);
    expect((await app.store.getMandate(waiting.mandate.id))?.status).toBe('lapsed');
    expect((await app.store.getMandate(countersigned.mandate.id))?.status).toBe('signed');
    expect(await lapseDueProposals(app)).toBe(0);
  });
});
