// The index against a naive model: random upserts, removals and prunes over few parties (long chains,
// hash collisions, table growth, backward-shift deletion), then every lookup compared.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart } from '../../src/check/day-table.js';
import { type IndexEntry, MandateIndex, Outcome } from '../../src/check/mandate-index.js';
import { partyCode, partyOfCode } from '../../src/check/party-code.js';
import type { MandateRef } from '../../src/check/types.js';
import { addDays } from '../../src/core/dates.js';
import { makeEnterpriseNumber, makeNationalNumber, type Party } from '../../src/core/party.js';

const PARTIES: Party[] = [
  ...Array.from({ length: 4 }, (_, i): Party => ({ kind: 'person', id: makeNationalNumber('850730', 10 + i) })),
  ...Array.from({ length: 3 }, (_, i): Party => ({ kind: 'enterprise', id: makeEnterpriseNumber(`0403170${i}`) })),
  { kind: 'person', id: makeNationalNumber('000101', 5, true) },
];
const TYPES = [
  ['finance.vat', 'finance'],
  ['finance.ubo', 'finance'],
  ['ehealth.consent-management', 'ehealth'],
] as const;
const DAYS = Array.from({ length: 12 }, (_, i) => addDays('2027-03-25', i * 3));

/** Each id has a fixed triple, as mandates do. */
const tripleOf = (n: number) => ({
  mandator: PARTIES[n % PARTIES.length] as Party,
  mandatee: PARTIES[(n * 3 + 1) % PARTIES.length] as Party,
  type: TYPES[n % TYPES.length] as (typeof TYPES)[number],
});

const entry = (n: number, version: number, from: number, length: number | null): IndexEntry => {
  const { mandator, mandatee, type } = tripleOf(n);
  const validFrom = DAYS[from] as string;
  return {
    id: `m${n}`,
    version,
    type: type[0],
    domain: type[1],
    mandator,
    mandatee,
    validFrom,
    validUntil: length === null ? null : addDays(validFrom, length),
  };
};

const op = fc.oneof(
  fc.record({
    kind: fc.constant('upsert' as const),
    n: fc.nat(60),
    version: fc.integer({ min: 1, max: 6 }),
    from: fc.nat(DAYS.length - 1),
    length: fc.option(fc.nat(20)),
  }),
  fc.record({ kind: fc.constant('remove' as const), n: fc.nat(60) }),
  fc.record({ kind: fc.constant('prune' as const), day: fc.nat(DAYS.length - 1) }),
);

describe('party codes', () => {
  it('round-trip and keep persons and enterprises apart', () => {
    for (const p of PARTIES) expect(partyOfCode(partyCode(p))).toEqual(p);
    expect(partyCode({ kind: 'person', id: '0403170701' })).toBe(-1);
    expect(partyCode({ kind: 'enterprise', id: '04031707O1' })).toBe(-1);
    expect(partyCode({ kind: 'enterprise', id: '0000000001' })).not.toBe(partyCode({ kind: 'person', id: '00000000001' }));
  });
});

describe('mandate index', () => {
  it('answers like a naive scan after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 150, size: 'max' }), (ops) => {
        const index = new MandateIndex(16);
        const model = new Map<string, IndexEntry>();
        let horizon = Number.NEGATIVE_INFINITY;
        for (const o of ops) {
          if (o.kind === 'upsert') {
            const e = entry(o.n, o.version, o.from, o.length);
            const known = model.get(e.id);
            if (dayEnd(e.validUntil) <= horizon) {
              index.apply({ ...e, status: 'signed' });
              model.delete(e.id);
            } else {
              expect(index.upsert(e)).toBe(!known || e.version > known.version);
              if (!known || e.version > known.version) model.set(e.id, e);
            }
          } else if (o.kind === 'remove') {
            expect(index.remove(entry(o.n, 1, 0, null))).toBe(model.delete(`m${o.n}`));
          } else {
            horizon = Math.max(horizon, dayStart(DAYS[o.day] as string));
            const gone = [...model.values()].filter((e) => dayEnd(e.validUntil) <= horizon);
            for (const e of gone) model.delete(e.id);
            expect(index.prune(horizon)).toBe(gone.length);
          }
          expect(index.size).toBe(model.size);
        }
        const byId = (entries: Iterable<IndexEntry>) => [...entries].sort((a, b) => a.id.localeCompare(b.id));
        expect(byId(index.entries())).toEqual(byId(model.values()));
        // Every triple (ids repeat their triple every 24) at the start and the last millisecond of days around every bound.
        const probes = Array.from({ length: 24 * (DAYS.length + 3) * 2 }, (_, i) => [i % 24, Math.floor(i / 48), i % 48 >= 24] as const);
        for (const [n, day, late] of probes) {
          const { mandator, mandatee, type } = tripleOf(n);
          const at = dayStart(addDays('2027-03-24', day * 3)) + (late ? 86_400_000 - 1 : 0);
          const same = [...model.values()].filter((e) => e.mandator === mandator && e.mandatee === mandatee && e.type === type[0]);
          const active = same.filter((e) => dayStart(e.validFrom) <= at && at < dayEnd(e.validUntil));
          const upcoming = same.filter((e) => at < dayStart(e.validFrom)).map((e) => dayStart(e.validFrom));
          const ended = same.filter((e) => at >= dayEnd(e.validUntil)).map((e) => dayEnd(e.validUntil));
          const found = index.select(partyCode(mandatee), partyCode(mandator), index.typeId(type[0]), at);
          if (index.typeId(type[0]) < 0) continue;
          if (active.length > 0) {
            expect(index.outcome).toBe(Outcome.active);
            expect(active.map((e) => e.id)).toContain(found?.id);
          } else if (upcoming.length > 0) {
            expect(index.outcome).toBe(Outcome.upcoming);
            expect(dayStart((found as MandateRef).validFrom)).toBe(Math.min(...upcoming));
          } else if (ended.length > 0) {
            expect(index.outcome).toBe(Outcome.ended);
            expect(dayEnd((found as MandateRef).validUntil)).toBe(Math.max(...ended));
          } else {
            expect(found).toBeUndefined();
            expect(index.outcome).toBe(Outcome.none);
          }
          const inForce = [...model.values()]
            .filter((e) => e.mandatee === mandatee && e.domain === type[1] && dayStart(e.validFrom) <= at && at < dayEnd(e.validUntil))
            .map((e) => e.id)
            .sort();
          const domainId = index.domainId(type[1]);
          const inForceFound =
            domainId < 0 ? [] : index.inForceOfMandatee(partyCode(mandatee), -1, domainId, at).map((s) => index.ref(s).id);
          expect(inForceFound.sort()).toEqual(inForce);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('makes room once for the mandates it is told to expect', () => {
    const index = new MandateIndex();
    index.reserve(5000);
    const bytes = index.arrayBytes;
    for (let n = 0; n < 200; n++) index.upsert(entry(n, 1, 0, null));
    expect(index.size).toBe(200);
    // The records did not move to a larger table (only the small mandatee table may grow).
    expect(index.arrayBytes - bytes).toBeLessThan(2048);
    expect(bytes).toBeGreaterThan(new MandateIndex().arrayBytes * 4);
  });

  it('bounds a validity by Brussels midnights, across daylight saving time', () => {
    const index = new MandateIndex();
    index.upsert({ ...entry(1, 1, 0, null), validFrom: '2027-03-28', validUntil: '2027-10-31' });
    const { mandator, mandatee, type } = tripleOf(1);
    const at = (iso: string) => index.select(partyCode(mandatee), partyCode(mandator), index.typeId(type[0]), Date.parse(iso));
    at('2027-03-27T22:59:59.999Z');
    expect(index.outcome).toBe(Outcome.upcoming);
    at('2027-03-27T23:00:00.000Z');
    expect(index.outcome).toBe(Outcome.active);
    at('2027-10-31T22:59:59.999Z');
    expect(index.outcome).toBe(Outcome.active);
    at('2027-10-31T23:00:00.000Z');
    expect(index.outcome).toBe(Outcome.ended);
  });
});
