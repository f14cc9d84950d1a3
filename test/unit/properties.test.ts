// Properties of the core over random command sequences: replay equals the incremental fold, no two
// live mandates of a triple overlap, the hash chain detects tampering; and check digits never lie.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, verifyChain } from '../../src/core/chain.js';
import type { Command } from '../../src/core/command.js';
import { addDays, brusselsDay } from '../../src/core/dates.js';
import { type MandateEvent, replay, type StoredEvent } from '../../src/core/events.js';
import { TRANSITIONS } from '../../src/core/lifecycle.js';
import { isInForce, isLive, type Mandate, missingSigners, otherRole, type Role, validitiesOverlap } from '../../src/core/mandate.js';
import { type Party, parseEnterpriseNumber, parseNationalNumber, partyKey, sameParty } from '../../src/core/party.js';
import { ACME, ANN, BOB, CAROL, DAVE, enterprise, person, T, type Who, World, whoFor } from './fixtures.js';

const PARTIES: Party[] = [person(ANN), person(BOB), person(CAROL), enterprise(ACME)];
const TYPES = [T.pit, T.disputes, 'finance.myminfin'];
// Weighted by repetition: enough signing and amending for the later commands to have something to act on.
const OPS = [
  ...['create', 'create', 'create', 'sign', 'sign', 'sign', 'sign', 'refuse', 'withdraw', 'lapse', 'stop'],
  ...[
    'amend',
    'amend',
    'amend',
    'signAmendment',
    'signAmendment',
    'refuseAmendment',
    'refuseAmendment',
    'withdrawAmendment',
    'withdrawAmendment',
  ],
  ...['transfer', 'transfer', 'transfer'],
] as const;

const MINUTE = 60_000;
const DAY = 86_400_000;

const stepArb = fc.record({
  advance: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 120 }).map((n) => n * MINUTE), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 48 }).map((n) => n * 60 * MINUTE), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => n * DAY), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => n * 30 * DAY), weight: 1 },
  ),
  op: fc.constantFrom(...OPS),
  target: fc.nat({ max: 3 }),
  /** `auto`: the role the lifecycle expects to issue the command (e.g. the missing signer), so that sequences progress. */
  role: fc.constantFrom('auto', 'auto', 'auto', 'auto', 'mandator', 'mandatee', 'outsider'),
  mandator: fc.nat({ max: PARTIES.length - 1 }),
  /** Offset from the mandator in PARTIES (mostly another party; 0 tries the mandator itself). */
  mandatee: fc.oneof(fc.integer({ min: 1, max: PARTIES.length - 1 }), fc.integer({ min: 1, max: PARTIES.length - 1 }), fc.constant(0)),
  type: fc.nat({ max: TYPES.length - 1 }),
  fromOffset: fc.integer({ min: -2, max: 200 }),
  untilOffset: fc.option(fc.integer({ min: -3, max: 800 }), { nil: null }),
  amendFrom: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.integer({ min: -40, max: 60 }), weight: 1 }),
  staleAuth: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;

/** Who issues `op` on `m`: `auto` picks the role the lifecycle expects, so that sequences progress. */
function issuer(s: Step, m: Mandate): Role | 'outsider' | 'system' {
  if (s.role === 'outsider') return 'outsider';
  if (s.op === 'lapse') return 'system';
  if (s.role !== 'auto') return s.role;
  const missing = missingSigners(m);
  switch (s.op) {
    case 'sign':
    case 'refuse':
      return missing[0] ?? 'mandatee';
    case 'withdraw':
      return missing.includes('mandator') ? 'mandatee' : 'mandator';
    case 'signAmendment':
    case 'refuseAmendment':
      return m.pendingAmendment ? otherRole(m.pendingAmendment.proposedBy) : 'mandatee';
    case 'withdrawAmendment':
      return m.pendingAmendment?.proposedBy ?? 'mandator';
    default:
      return s.target % 2 === 0 ? 'mandator' : 'mandatee';
  }
}

/** Runs one random step against the world, remembering the ids of the mandates it creates. */
function runStep(w: World, s: Step, ids: string[], next: () => string): void {
  w.at(new Date(w.now.getTime() + s.advance).toISOString());
  const auth = s.staleAuth ? { authTime: new Date(w.now.getTime() - 3_600_000).toISOString() } : {};
  const outsider: Who = { actor: DAVE, ...auth };
  if (s.op === 'create' || ids.length === 0) {
    const mandator = PARTIES[s.mandator]!;
    const mandatee = PARTIES[(s.mandator + s.mandatee) % PARTIES.length]!;
    const validFrom = addDays(w.today, s.fromOffset);
    const input = w.input({
      type: TYPES[s.type]!,
      mandator,
      mandatee,
      validFrom,
      validUntil: s.untilOffset === null ? null : addDays(validFrom, s.untilOffset),
    });
    const initiator = s.role === 'mandatee' || (s.role === 'auto' && s.target % 2 === 1) ? mandatee : mandator;
    const id = next();
    if (w.run({ kind: 'create', id, input }, undefined, s.role === 'outsider' ? outsider : whoFor(initiator, auth)).ok) ids.push(id);
    return;
  }
  // Favour recent mandates and, for `auto`, those the command applies to, so that sequences progress.
  const op = s.op;
  const fits = (m: Mandate) =>
    op === 'signAmendment' || op === 'refuseAmendment' || op === 'withdrawAmendment'
      ? m.pendingAmendment !== null
      : m.status === TRANSITIONS[op].from;
  const candidates = s.role === 'auto' && ids.some((i) => fits(w.get(i))) ? ids.filter((i) => fits(w.get(i))) : ids;
  const id = candidates[candidates.length - 1 - (s.target % candidates.length)]!;
  const m = w.get(id);
  const role = issuer(s, m);
  const who: Who = role === 'system' ? 'system' : role === 'outsider' ? outsider : whoFor(m[role], auth);
  let command: Command;
  switch (s.op) {
    case 'refuse':
    case 'stop':
      command = { kind: s.op, reason: s.staleAuth ? 'a reason' : null };
      break;
    case 'amend':
      command = {
        kind: 'amend',
        ...(s.amendFrom === undefined ? {} : { validFrom: addDays(m.validFrom, s.amendFrom) }),
        validUntil: s.untilOffset === null ? null : addDays(w.today, s.untilOffset),
      };
      break;
    case 'transfer': {
      const successorId = next();
      const current = PARTIES.findIndex((p) => sameParty(p, m.mandatee));
      command = { kind: 'transfer', successorId, newMandatee: PARTIES[(current + s.mandatee) % PARTIES.length]! };
      if (w.run(command, id, who).ok) ids.push(successorId);
      return;
    }
    default:
      command = { kind: s.op };
  }
  w.run(command, id, who);
}

/** (b): no two live mandates of the same (mandator, mandatee, type) have overlapping validity. */
function assertNoLiveOverlap(w: World): void {
  const byTriple = new Map<string, Mandate[]>();
  for (const m of w.mandates.values()) {
    if (!isLive(m, w.now)) continue;
    const key = `${partyKey(m.mandator)}|${partyKey(m.mandatee)}|${m.type}`;
    byTriple.set(key, [...(byTriple.get(key) ?? []), m]);
  }
  for (const live of byTriple.values()) {
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const [a, b] = [live[i]!, live[j]!];
        expect(validitiesOverlap(a, b), `${a.id} [${a.validFrom}, ${a.validUntil}] vs ${b.id} [${b.validFrom}, ${b.validUntil}]`).toBe(
          false,
        );
      }
    }
  }
}

function buildChain(events: readonly MandateEvent[]): StoredEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((e, i) => {
    const seq = i + 1;
    const hash = chainHash(prevHash, seq, e);
    const stored = { ...e, seq, prevHash, hash } as StoredEvent;
    prevHash = hash;
    return stored;
  });
}

const sequenceArb = fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' });

/** Runs a sequence from 1 December 2026, checking after every step that versions step by one and (b) holds. */
function simulate(steps: readonly Step[]): World {
  const w = new World('2026-12-01T10:00:00.000Z');
  const ids: string[] = [];
  let counter = 0;
  const versions = new Map<string, number>();
  for (const s of steps) {
    const before = w.log.length;
    const previous = new Map(w.mandates);
    runStep(w, s, ids, () => `m${++counter}`);
    for (const e of w.log.slice(before)) {
      expect(e.version, `${e.type} on ${e.mandateId}`).toBe((versions.get(e.mandateId) ?? 0) + 1);
      versions.set(e.mandateId, e.version);
      const was = previous.get(e.mandateId);
      // No back-dating: a start that changes never moves before the day it changes on.
      if (was && w.get(e.mandateId).validFrom !== was.validFrom) {
        expect(w.get(e.mandateId).validFrom >= brusselsDay(w.now), `${e.type} moved the start of ${e.mandateId} into the past`).toBe(true);
      }
      // Only a mandate in force can become transferred.
      if (e.type === 'TransferCompleted') expect(was && isInForce(was, w.now), `${e.mandateId} transferred while not in force`).toBe(true);
    }
    assertNoLiveOverlap(w);
  }
  return w;
}

/** (c): the chain over all events verifies, and breaks exactly where it is tampered with. */
function checkChain(events: readonly MandateEvent[], pick1: number, pick2: number, tamper: number): void {
  const chain = buildChain(events);
  const head = { seq: chain.length, hash: chain.at(-1)!.hash };
  expect(verifyChain(chain)).toEqual({ ok: true, last: head });
  const k = pick2 % chain.length;
  expect(verifyChain(chain.slice(k), k === 0 ? undefined : { seq: k, hash: chain[k - 1]!.hash })).toEqual({ ok: true, last: head });
  const i = pick1 % chain.length;
  if (tamper === 0) {
    const altered = chain.map((e, n) => (n === i ? ({ ...e, data: { ...e.data, tampered: true } } as unknown as StoredEvent) : e));
    expect(verifyChain(altered)).toEqual({ ok: false, seq: i + 1, problem: 'hash-mismatch' });
    const redated = chain.map((e, n) => (n === i ? { ...e, at: new Date(0).toISOString() } : e));
    expect(verifyChain(redated)).toEqual({ ok: false, seq: i + 1, problem: 'hash-mismatch' });
  } else if (tamper === 1) {
    const deleted = chain.filter((_, n) => n !== i);
    if (i < chain.length - 1) expect(verifyChain(deleted)).toEqual({ ok: false, seq: i + 1, problem: 'sequence-gap' });
    // Deleting the last event leaves a valid shorter chain: only comparing with the known head reveals it.
    else expect(verifyChain(deleted)).toEqual({ ok: true, last: { seq: chain.length - 1, hash: chain.at(-2)?.hash ?? GENESIS_HASH } });
  } else if (chain.length >= 2) {
    const other = pick2 % chain.length === i ? (i + 1) % chain.length : pick2 % chain.length;
    const [lo, hi] = [Math.min(i, other), Math.max(i, other)];
    const swapped = chain.map((e, n) => (n === lo ? chain[hi]! : n === hi ? chain[lo]! : e));
    expect(verifyChain(swapped)).toEqual({ ok: false, seq: lo + 1, problem: 'sequence-gap' });
    // Even renumbered, the swapped events no longer link.
    const renumbered = swapped.map((e, n) => ({ ...e, seq: n + 1 }));
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, seq: lo + 1 });
  }
}

describe('random command sequences', () => {
  it('replay equals the fold, no live duplicates ever, versions step by one, and the chain detects tampering', () => {
    fc.assert(
      fc.property(sequenceArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 2 }), (steps, pick1, pick2, tamper) => {
        const w = simulate(steps);
        // (a) each mandate is the replay of its own events.
        for (const [id, m] of w.mandates) expect(replay(w.log.filter((e) => e.mandateId === id))).toEqual(m);
        if (w.log.length > 0) checkChain(w.log, pick1, pick2, tamper);
      }),
      { numRuns: 200 },
    );
  });

  it('the generator reaches every kind of event (so the property above is not vacuous)', () => {
    const seen = new Set<string>();
    for (const steps of fc.sample(sequenceArb, { numRuns: 200, seed: 20261201 })) {
      for (const e of simulate(steps).log) seen.add(e.type);
    }
    const all: MandateEvent['type'][] = [
      'MandateProposed',
      'MandateSigned',
      'MandateRefused',
      'MandateWithdrawn',
      'MandateLapsed',
      'MandateStopped',
      'MandateAmended',
      'AmendmentProposed',
      'AmendmentSigned',
      'AmendmentRefused',
      'AmendmentWithdrawn',
      'TransferProposed',
      'TransferCompleted',
      'TransferCancelled',
    ];
    expect(all.filter((t) => !seen.has(t))).toEqual([]);
  });
});

describe('check digits never lie', () => {
  const mod97 = (n: number) => 97 - (n % 97);

  it('(d) an 11-digit string whose check digits match neither formula is refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (digits) => {
        const base = Number(digits.slice(0, 9));
        const check = Number(digits.slice(9));
        fc.pre(check !== mod97(base) && check !== mod97(2_000_000_000 + base));
        const result = parseNationalNumber(digits);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['IDENTIFIER_CHECK_DIGIT', 'IDENTIFIER_DATE']).toContain(result.refusal.code);
      }),
      { numRuns: 1000 },
    );
  });

  it('a 10-digit enterprise number whose check digits do not match is refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[01]\d{9}$/), (digits) => {
        fc.pre(Number(digits.slice(8)) !== mod97(Number(digits.slice(0, 8))));
        expect(parseEnterpriseNumber(digits)).toMatchObject({ ok: false, refusal: { code: 'IDENTIFIER_CHECK_DIGIT' } });
      }),
      { numRuns: 1000 },
    );
  });
});
