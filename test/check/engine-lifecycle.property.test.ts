// Property: whatever lifecycle the real application services go through (create, sign, refuse,
// withdraw, lapse, stop, amend, transfer, with the clock moved across days, Brussels midnights and
// the DST changes of 2027), the engine, fed only by the event log, answers every check like a direct
// computation from the store: allowed exactly when a stored mandate of the triple is `active`.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import {
  amendMandate,
  lapseMandate,
  refuseMandate,
  signMandate,
  stopMandate,
  transferMandate,
  withdrawMandate,
} from '../../src/app/mandate-commands.js';
import { type CheckQuery, checkFromStore, createCheckEngine, type LiveCheckEngine } from '../../src/check/index.js';
import { addDays, brusselsDay, brusselsMidnight, type CalendarDate } from '../../src/core/dates.js';
import { effectiveState, missingSigners, otherRole } from '../../src/core/mandate.js';
import { makeEnterpriseNumber, makeNationalNumber, type Party } from '../../src/core/party.js';
import { actorAt, enterprise, person, type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';

const TYPES = ['finance.personal-income-tax', 'finance.myminfin'] as const;
const DST_DAYS = ['2027-03-27', '2027-03-28', '2027-03-29', '2027-10-30', '2027-10-31', '2027-11-01'];
/** Runs start before, on and after the 2027 daylight saving changes. */
const STARTS = ['2026-12-01T10:00:00.000Z', '2027-03-26T22:30:00.000Z', '2027-10-29T23:15:00.000Z', '2026-12-31T22:59:59.999Z'];
const DAY_MS = 86_400_000;

/** A day some days after a base day (today, or the start), or one of the DST days (if in the past, the command is refused). */
const dayChoice = fc.oneof(
  { weight: 3, arbitrary: fc.record({ offset: fc.integer({ min: 0, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ special: fc.constantFrom(...DST_DAYS) }) },
);
type DayChoice = { offset: number } | { special: string };

const step = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      mandator: fc.nat(1),
      mandatee: fc.nat(2),
      type: fc.nat(TYPES.length - 1),
      from: dayChoice,
      until: fc.option(dayChoice, { freq: 3 }),
    }),
  },
  // Signed by the party whose signature is missing.
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('sign' as const), k: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('refuse' as const, 'withdraw' as const, 'lapse' as const),
      k: fc.nat(),
      byMandatee: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stop' as const), k: fc.nat(), byMandatee: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('amend' as const), k: fc.nat(), byMandatee: fc.boolean(), until: fc.option(dayChoice) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), k: fc.nat(), byMandatee: fc.boolean(), to: fc.nat(2) }) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 0, max: 45 }), ms: fc.nat(DAY_MS - 1) }),
      // To a Brussels midnight soon, exactly or one millisecond before.
      fc.record({ kind: fc.constant('midnight' as const), days: fc.integer({ min: 1, max: 20 }), before: fc.boolean() }),
    ),
  },
);

const scenario = fc.record({
  start: fc.constantFrom(...STARTS),
  steps: fc.array(step, { minLength: 8, maxLength: 30, size: 'max' }),
  // Extra instants to check, as offsets from the start.
  instants: fc.array(fc.integer({ min: -2 * DAY_MS, max: 400 * DAY_MS }), { maxLength: 8 }),
  // Engine and store are also compared after this step, mid-way.
  compareAfter: fc.nat(),
});

describe.each(DIALECTS.map((d) => ({ ...d, numRuns: d.name === 'sqlite' ? 50 : 10 })))(
  'engine and store agree on $name',
  ({ create, numRuns }) => {
    let db: TestDatabase;
    let app: TestApp;
    let engine: LiveCheckEngine;
    const REP = makeNationalNumber('650420', 789);
    const ACME = enterprise(makeEnterpriseNumber('04031707'));
    let run = 0;

    beforeAll(async () => {
      db = await create();
      app = await testApp(db.url);
      await app.store.addRepresentatives([{ enterpriseId: ACME.id, personId: REP, source: 'test' }]);
      engine = await createCheckEngine({
        store: app.store,
        catalogue: app.catalogue,
        now: () => app.clock.now.getTime(),
        pollIntervalMs: 10,
        expiredRetentionDays: null,
      });
    });
    afterAll(async () => {
      await engine?.close();
      await app?.store.close();
      await db?.drop();
    });

    const as = (party: Party) => ({ actor: actorAt(app, party.kind === 'person' ? party.id : REP), as: party });
    const today = () => brusselsDay(app.clock.now);
    const day = (choice: DayChoice, base = today()): CalendarDate => ('special' in choice ? choice.special : addDays(base, choice.offset));

    it('answers every check like the store, at every instant', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ start, steps, instants, compareAfter }) => {
          run += 1;
          // Fresh mandators each run keep runs apart in the shared database.
          const mandators = [person(makeNationalNumber('700101', 2 * run)), person(makeNationalNumber('700101', 2 * run + 1))];
          const mandatees = [person(makeNationalNumber('900101', 2 * run)), person(makeNationalNumber('900101', 2 * run + 1)), ACME];
          app.clock.now = new Date(start);
          const created: string[] = [];
          const target = async (k: number) =>
            created.length === 0 ? undefined : app.store.getMandate(created[k % created.length] as string);

          const compare = async () => {
            const { seq } = await app.store.head();
            expect(await engine.waitFor(seq, 10_000)).toBe(true);
            const startMs = Date.parse(start);
            const rows = (
              await Promise.all(mandators.map((p) => app.store.listMandates({ party: p, role: 'mandator', limit: 500 })))
            ).flatMap((page) => page.items);
            const bounds = [
              ...new Set([...rows.flatMap((m) => [m.validFrom, ...(m.validUntil ? [addDays(m.validUntil, 1)] : [])]), ...DST_DAYS]),
            ];
            const atList = [
              ...bounds.flatMap((d) => [brusselsMidnight(d), brusselsMidnight(d) - 1]),
              ...instants.map((offset) => startMs + offset),
              app.clock.now.getTime(),
            ];
            const asked: CheckQuery[] = [];
            for (const mandator of mandators) {
              for (const mandatee of mandatees) {
                for (const type of TYPES) {
                  const stored = rows.filter(
                    (m) =>
                      m.mandator.id === mandator.id &&
                      m.mandatee.id === mandatee.id &&
                      m.mandatee.kind === mandatee.kind &&
                      m.type === type,
                  );
                  for (const at of atList) {
                    const q: CheckQuery = { mandator, mandatee, type, at };
                    asked.push(q);
                    const fromMemory = engine.check(q);
                    const fromStore = await checkFromStore(app.store, q, { catalogue: app.catalogue });
                    const context = `${type} ${mandator.id}→${mandatee.id} at ${new Date(at).toISOString()}`;
                    expect({ ...fromMemory, cursor: 0 }, context).toEqual({ ...fromStore, cursor: 0 });
                    expect(fromMemory.allowed, context).toBe(stored.some((m) => effectiveState(m, at) === 'active'));
                  }
                }
              }
            }
            // A batch is answered like its checks one by one, unknown types and malformed identifiers included.
            const odd = asked
              .slice(0, 3)
              .map((q, i) =>
                i === 0
                  ? { ...q, type: 'finance.unknown' }
                  : i === 1
                    ? { ...q, mandator: { kind: 'person' as const, id: '123' } }
                    : { ...q, mandatee: { kind: 'enterprise' as const, id: 'x'.repeat(10) } },
              );
            const batch = [...asked, ...odd];
            expect(engine.checkAll(batch)).toEqual(batch.map((q) => engine.check(q)));
          };

          for (const [n, s] of steps.entries()) {
            if (n === compareAfter % steps.length) await compare();
            if (s.kind === 'advance') app.advance(s.days, s.ms);
            else if (s.kind === 'midnight') {
              app.clock.now = new Date(brusselsMidnight(addDays(today(), s.days)) - (s.before ? 1 : 0));
            } else if (s.kind === 'create') {
              const mandator = mandators[s.mandator] as Party;
              const result = await createMandate(app, as(mandator).actor, mandator, {
                type: TYPES[s.type],
                mandator,
                mandatee: mandatees[s.mandatee],
                validFrom: day(s.from),
                validUntil: s.until === null ? null : day(s.until, day(s.from)),
              });
              if (result.ok) created.push(result.mandate.id);
            } else if (s.kind === 'lapse') {
              const m = await target(s.k);
              if (m) await lapseMandate(app, m.id);
            } else if (s.kind === 'sign') {
              // One of the mandates waiting for a signature, by the party it waits for.
              const waiting = (await app.store.getMandates(created)).filter((m) => m.status === 'pending' || m.pendingAmendment);
              const m = waiting[s.k % Math.max(1, waiting.length)];
              const signer =
                m && (m.status === 'pending' ? missingSigners(m)[0] : m.pendingAmendment && otherRole(m.pendingAmendment.proposedBy));
              if (m && signer) await signMandate(app, { ...as(m[signer]), mandateId: m.id });
            } else {
              const m = await target(s.k);
              if (!m) continue;
              const t = { ...as(s.byMandatee ? m.mandatee : m.mandator), mandateId: m.id };
              if (s.kind === 'refuse') await refuseMandate(app, t);
              else if (s.kind === 'withdraw') await withdrawMandate(app, t);
              else if (s.kind === 'stop') await stopMandate(app, t);
              else if (s.kind === 'amend') await amendMandate(app, t, { validUntil: s.until === null ? null : day(s.until) });
              else if (s.kind === 'transfer') {
                const result = await transferMandate(app, t, mandatees[s.to]);
                if (result.ok) created.push(...result.related.map((r) => r.id));
              }
            }
          }

          await compare();
        }),
        { numRuns },
      );
      // A fresh build from the store (scan, then the log) holds exactly what the follower holds.
      const fresh = await createCheckEngine({ store: app.store, catalogue: app.catalogue, follow: false, expiredRetentionDays: null });
      const sorted = (e: LiveCheckEngine) => [...e.engine.index.entries()].sort((a, b) => a.id.localeCompare(b.id));
      expect(sorted(fresh)).toEqual(sorted(engine));
      await fresh.close();
    }, 180_000);
  },
);
