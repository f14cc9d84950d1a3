// The check engine over a real store on every dialect: expiry at Brussels midnight without any job,
// the follower (stop, transfer, read-your-writes), acting persons, and represented().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { signMandate, stopMandate, transferMandate } from '../../src/app/mandate-commands.js';
import type { CommandResult } from '../../src/app/run-command.js';
import { type CheckQuery, checkFromStore, createCheckEngine, type LiveCheckEngine } from '../../src/check/index.js';
import { addDays, type CalendarDate } from '../../src/core/dates.js';
import { effectiveState, type Mandate } from '../../src/core/mandate.js';
import { makeEnterpriseNumber, makeNationalNumber, type Party } from '../../src/core/party.js';
import { actorAt, enterprise, person, type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';

const PIT = 'finance.personal-income-tax';
const MYMINFIN = 'finance.myminfin';
const UBO = 'finance.ubo';
const CARE = 'ehealth.care-provider-administration';
const TODAY = '2026-12-01';

function ok(result: CommandResult): Mandate & { cursor: number } {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return { ...result.mandate, cursor: result.cursor };
}

let serial = 0;
/** A person no other test uses, so tests sharing a database never meet a duplicate. */
const newPerson = (): Party => person(makeNationalNumber('800101', ++serial));

describe.each(DIALECTS)('check engine on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;
  let engine: LiveCheckEngine;
  const REP = makeNationalNumber('650420', 789);
  const GLOBEX_REP = makeNationalNumber('640302', 77);
  const ACME = enterprise(makeEnterpriseNumber('04031707'));
  const GLOBEX = enterprise(makeEnterpriseNumber('10012345'));

  /** Acts for a party: a person for themself, an enterprise through its representative. */
  const as = (party: Party) => {
    const actorId = party.kind === 'person' ? party.id : party.id === ACME.id ? REP : GLOBEX_REP;
    return { actor: actorAt(app, actorId), as: party };
  };
  const propose = async (
    mandator: Party,
    mandatee: Party,
    type = PIT,
    validFrom: CalendarDate = TODAY,
    validUntil: CalendarDate | null = null,
  ) => ok(await createMandate(app, as(mandator).actor, mandator, { type, mandator, mandatee, validFrom, validUntil }));
  const signed = async (
    mandator: Party,
    mandatee: Party,
    type = PIT,
    validFrom: CalendarDate = TODAY,
    validUntil: CalendarDate | null = null,
  ) => {
    const m = await propose(mandator, mandatee, type, validFrom, validUntil);
    return ok(await signMandate(app, { ...as(mandatee), mandateId: m.id }));
  };
  const direct = (q: CheckQuery) => checkFromStore(app.store, q, { catalogue: app.catalogue, now: () => app.clock.now.getTime() });
  /** The engine's answer, once it has caught up with `cursor`, checked against the direct computation. */
  const answer = async (q: CheckQuery, cursor = 0) => {
    expect(await engine.waitFor(cursor, 5000)).toBe(true);
    const fromMemory = engine.check(q);
    expect({ ...fromMemory, cursor: 0 }).toEqual({ ...(await direct(q)), cursor: 0 });
    return fromMemory;
  };

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url);
    await app.store.addRepresentatives([
      { enterpriseId: ACME.id, personId: REP, source: 'test' },
      { enterpriseId: GLOBEX.id, personId: GLOBEX_REP, source: 'test' },
    ]);
    engine = await createCheckEngine({
      store: app.store,
      catalogue: app.catalogue,
      now: () => app.clock.now.getTime(),
      pollIntervalMs: 20,
    });
  });
  afterAll(async () => {
    await engine?.close();
    await app?.store.close();
    await db?.drop();
  });

  it('ends a mandate at Brussels midnight with no job running', async () => {
    const [mandator, mandatee] = [newPerson(), newPerson()];
    const m = await signed(mandator, mandatee, PIT, TODAY, '2026-12-31');
    const q = (iso: string): CheckQuery => ({ mandator, mandatee, type: PIT, at: Date.parse(iso) });
    const mandate = { id: m.id, validFrom: TODAY, validUntil: '2026-12-31' };
    expect(await answer(q('2026-11-30T22:59:59.999Z'), m.cursor)).toMatchObject({ allowed: false, reason: 'not-yet-valid', mandate });
    expect(await answer(q('2026-11-30T23:00:00.000Z'))).toMatchObject({ allowed: true, reason: 'active', mandate });
    expect(await answer(q('2026-12-31T22:59:59.999Z'))).toMatchObject({ allowed: true, reason: 'active', mandate });
    expect(await answer(q('2026-12-31T23:00:00.000Z'))).toMatchObject({ allowed: false, reason: 'expired', mandate });
    expect(engine.check(q('2026-12-31T22:59:59.999Z')).cursor).toBeGreaterThanOrEqual(m.cursor);
  });

  it('refuses a stopped mandate once it has caught up with the stop', async () => {
    const [mandator, mandatee] = [newPerson(), newPerson()];
    const m = await signed(mandator, mandatee);
    const q: CheckQuery = { mandator, mandatee, type: PIT };
    expect(await answer(q, m.cursor)).toMatchObject({ allowed: true, reason: 'active', mandate: { id: m.id } });
    const stopped = ok(await stopMandate(app, { ...as(mandator), mandateId: m.id }, 'no longer needed'));
    expect(await answer(q, stopped.cursor)).toEqual({ allowed: false, reason: 'no-mandate', mandate: undefined, cursor: engine.cursor });
  });

  it('moves the power to the new mandatee when the successor of a transfer is signed', async () => {
    const [mandator, oldMandatee, newMandatee] = [newPerson(), newPerson(), newPerson()];
    const m = await signed(mandator, oldMandatee, PIT, TODAY, '2027-06-30');
    const transfer = await transferMandate(app, { ...as(mandator), mandateId: m.id }, newMandatee);
    if (!transfer.ok) throw new Error(transfer.refusal.code);
    const successor = transfer.related[0] as Mandate;
    const toOld: CheckQuery = { mandator, mandatee: oldMandatee, type: PIT };
    const toNew: CheckQuery = { mandator, mandatee: newMandatee, type: PIT };
    expect(await answer(toOld, transfer.cursor)).toMatchObject({ allowed: true, mandate: { id: m.id } });
    expect(await answer(toNew)).toMatchObject({ allowed: false, reason: 'no-mandate' });
    const done = ok(await signMandate(app, { ...as(newMandatee), mandateId: successor.id }));
    expect(done.status).toBe('signed');
    expect(await answer(toOld, done.cursor)).toMatchObject({ allowed: false, reason: 'no-mandate' });
    expect(await answer(toNew)).toMatchObject({ allowed: true, mandate: { id: successor.id, validFrom: TODAY, validUntil: '2027-06-30' } });
  });

  it('sees its own write with checkAtLeast, from memory or, when the engine lags, from the store', async () => {
    const [mandator, mandatee] = [newPerson(), newPerson()];
    const lagging = await createCheckEngine({
      store: app.store,
      catalogue: app.catalogue,
      now: () => app.clock.now.getTime(),
      follow: false,
    });
    try {
      const m = await signed(mandator, mandatee);
      const q: CheckQuery = { mandator, mandatee, type: PIT };
      expect(await engine.checkAtLeast(q, m.cursor, 5000)).toMatchObject({ allowed: true, mandate: { id: m.id } });
      expect(lagging.engine.check(q)).toMatchObject({ allowed: false, reason: 'no-mandate' });
      const fallback = await lagging.checkAtLeast(q, m.cursor, 10);
      expect(fallback).toMatchObject({ allowed: true, reason: 'active', mandate: { id: m.id } });
      expect(fallback.cursor).toBeGreaterThanOrEqual(m.cursor);
      expect(await lagging.catchUp()).toBeGreaterThanOrEqual(m.cursor);
      expect(lagging.check(q)).toMatchObject({ allowed: true, mandate: { id: m.id } });
    } finally {
      await lagging.close();
    }
  });

  it('builds from the store the same index the follower keeps', async () => {
    const [mandator, mandatee] = [newPerson(), newPerson()];
    const m = await signed(mandator, mandatee, MYMINFIN, addDays(TODAY, 3), addDays(TODAY, 40));
    await engine.waitFor(m.cursor, 5000);
    const fresh = await createCheckEngine({ store: app.store, catalogue: app.catalogue, follow: false, pageSize: 3 });
    try {
      const sorted = (e: LiveCheckEngine) => [...e.engine.index.entries()].sort((a, b) => a.id.localeCompare(b.id));
      expect(sorted(fresh)).toEqual(sorted(engine));
      expect(fresh.size).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('drops long-expired mandates, and answers about instants before its horizon from the store', async () => {
    const [mandator, mandatee] = [newPerson(), newPerson()];
    const m = await signed(mandator, mandatee, PIT, TODAY, '2026-12-05');
    const started = app.clock.now;
    app.clock.now = new Date('2027-01-20T12:00:00Z');
    const pruned = await createCheckEngine({
      store: app.store,
      catalogue: app.catalogue,
      now: () => app.clock.now.getTime(),
      follow: false,
      expiredRetentionDays: 10,
    });
    try {
      const then = Date.parse('2026-12-03T12:00:00Z');
      expect(pruned.covers(then)).toBe(false);
      expect(pruned.covers(Date.parse('2027-01-15T00:00:00Z'))).toBe(true);
      expect([...pruned.engine.index.entries()].map((e) => e.id)).not.toContain(m.id);
      const q: CheckQuery = { mandator, mandatee, type: PIT, at: then };
      expect(await pruned.checkAtLeast(q, m.cursor, 10)).toMatchObject({ allowed: true, mandate: { id: m.id } });
      expect(await engine.checkAtLeast(q, m.cursor, 1000)).toMatchObject({ allowed: true, mandate: { id: m.id } });
      expect(pruned.check({ ...q, at: undefined })).toMatchObject({ allowed: false });
    } finally {
      await pruned.close();
      app.clock.now = started;
    }
  });

  it('follows representatives and executors as they change, removals included, without reloading them', async () => {
    const citizen = newPerson();
    const clerk = makeNationalNumber('751111', 321);
    const following = await createCheckEngine({
      store: app.store,
      catalogue: app.catalogue,
      now: () => app.clock.now.getTime(),
      // No periodic reload during the test: only the record of changes can bring them.
      partiesRefreshMs: 3_600_000,
      pollIntervalMs: 10,
    });
    try {
      const m = await signed(citizen, GLOBEX, MYMINFIN);
      const q: CheckQuery = { mandator: citizen, mandatee: GLOBEX, type: MYMINFIN, actingPerson: clerk };
      expect(await following.waitFor(m.cursor, 5000)).toBe(true);
      expect(following.check(q).reason).toBe('acting-person-not-allowed');
      await app.store.addRepresentatives([{ enterpriseId: GLOBEX.id, personId: clerk, source: 'test' }]);
      await expect.poll(() => following.check(q).reason, { timeout: 5000, interval: 20 }).toBe('active');
      await app.store.removeRepresentative(GLOBEX.id, clerk);
      await expect.poll(() => following.check(q).reason, { timeout: 5000, interval: 20 }).toBe('acting-person-not-allowed');
      await app.store.registry.setExecutorTypes(GLOBEX.id, clerk, [MYMINFIN], 'test', new Date().toISOString());
      await expect.poll(() => following.check(q).reason, { timeout: 5000, interval: 20 }).toBe('active');
      await app.store.registry.setExecutorTypes(GLOBEX.id, clerk, [], 'test', new Date().toISOString());
      await expect.poll(() => following.check(q).reason, { timeout: 5000, interval: 20 }).toBe('acting-person-not-allowed');
    } finally {
      await following.close();
    }
  });

  describe('acting person', () => {
    const C = makeNationalNumber('771231', 456);
    const D = makeNationalNumber('640302', 123);
    let cursor = 0;
    const citizen = newPerson();
    const other = newPerson();
    const [assistant, stranger] = [newPerson(), newPerson()];

    beforeAll(async () => {
      await app.store.addExecutors([{ enterpriseId: ACME.id, personId: C, type: PIT }]);
      await signed(citizen, ACME, PIT);
      await signed(other, ACME, MYMINFIN);
      await signed(GLOBEX, ACME, UBO);
      cursor = (await signed(citizen, assistant, PIT)).cursor;
      await engine.reloadParties();
    });

    const acting = async (mandator: Party, type: string, actingPerson: string, mandatee = ACME) =>
      (await answer({ mandator, mandatee, type, actingPerson }, cursor)).reason;

    it('lets an executor act for its types only', async () => {
      expect(await acting(citizen, PIT, C)).toBe('active');
      expect(await acting(other, MYMINFIN, C)).toBe('acting-person-not-allowed');
      expect(await acting(GLOBEX, UBO, C)).toBe('acting-person-not-allowed');
    });

    it('lets a representative act for the non-sensitive types only', async () => {
      expect(await acting(citizen, PIT, REP)).toBe('active');
      expect(await acting(other, MYMINFIN, REP)).toBe('active');
      expect(app.catalogue.type(UBO)?.sensitive).toBe(true);
      expect(await acting(GLOBEX, UBO, REP)).toBe('acting-person-not-allowed');
    });

    it('refuses anyone else, and a person mandatee acts only as themself', async () => {
      expect(await acting(citizen, PIT, D)).toBe('acting-person-not-allowed');
      expect(await acting(citizen, PIT, GLOBEX_REP)).toBe('acting-person-not-allowed');
      expect(await acting(citizen, PIT, assistant.id, assistant)).toBe('active');
      expect(await acting(citizen, PIT, stranger.id, assistant)).toBe('acting-person-not-allowed');
      // Without an acting person the enterprise itself is asked about.
      expect((await answer({ mandator: citizen, mandatee: ACME, type: PIT }, cursor)).reason).toBe('active');
    });

    it('sees a new executor once it catches up with the record of changes', async () => {
      expect(await acting(GLOBEX, UBO, D)).toBe('acting-person-not-allowed');
      await app.store.addExecutors([{ enterpriseId: ACME.id, personId: D, type: UBO }]);
      expect(engine.check({ mandator: GLOBEX, mandatee: ACME, type: UBO, actingPerson: D }).reason).toBe('acting-person-not-allowed');
      await engine.catchUp();
      expect(engine.check({ mandator: GLOBEX, mandatee: ACME, type: UBO, actingPerson: D }).reason).toBe('active');
      expect(await acting(GLOBEX, UBO, REP)).toBe('acting-person-not-allowed');
    });
  });

  it('lists for represented() exactly the mandators in force at the instant', async () => {
    const accountant = newPerson();
    const [active, scheduled, expiring, stopped] = [newPerson(), newPerson(), newPerson(), newPerson()];
    const [pending, otherType, otherDomain] = [newPerson(), newPerson(), newPerson()];
    const ids = {
      active: (await signed(active, accountant, PIT)).id,
      scheduled: (await signed(scheduled, accountant, PIT, addDays(TODAY, 10))).id,
      expiring: (await signed(expiring, accountant, PIT, TODAY, addDays(TODAY, 2))).id,
      otherType: (await signed(otherType, accountant, MYMINFIN)).id,
      otherDomain: (await signed(otherDomain, accountant, CARE)).id,
    };
    const s = await signed(stopped, accountant, PIT);
    ok(await stopMandate(app, { ...as(stopped), mandateId: s.id }));
    const last = await propose(pending, accountant, PIT);
    await engine.waitFor(last.cursor, 5000);

    const all = (await app.store.listMandates({ party: accountant, role: 'mandatee', limit: 100 })).items;
    const expected = (at: number, keep: (m: Mandate) => boolean) =>
      all
        .filter((m) => effectiveState(m, at) === 'active' && keep(m))
        .map((m) => m.id)
        .sort();
    const listed = (filter: { type: string } | { domain: string }, at: number) =>
      engine
        .represented(accountant, filter, at)
        .mandators.map((r) => r.mandate.id)
        .sort();

    const in5Days = Date.parse('2026-12-06T12:00:00Z');
    const in11Days = Date.parse('2026-12-12T12:00:00Z');
    expect(listed({ type: PIT }, in5Days)).toEqual([ids.active]);
    expect(listed({ type: PIT }, in5Days)).toEqual(expected(in5Days, (m) => m.type === PIT));
    expect(listed({ type: PIT }, in11Days)).toEqual([ids.active, ids.scheduled].sort());
    expect(listed({ domain: 'finance' }, in5Days)).toEqual([ids.active, ids.otherType].sort());
    expect(listed({ domain: 'finance' }, in5Days)).toEqual(expected(in5Days, (m) => m.domain === 'finance'));
    expect(listed({ domain: 'ehealth' }, in5Days)).toEqual([ids.otherDomain]);
    expect(listed({ type: PIT }, Date.parse('2026-12-02T12:00:00Z'))).toEqual([ids.active, ids.expiring].sort());
    expect(listed({ type: 'finance.no-such-type' }, in5Days)).toEqual([]);
    expect(listed({ domain: 'flanders' }, in5Days)).toEqual([]);
    const [first] = engine.represented(accountant, { type: CARE }, in5Days).mandators;
    expect(first).toEqual({ mandator: otherDomain, type: CARE, mandate: { id: ids.otherDomain, validFrom: TODAY, validUntil: null } });
  });
});
