// DESIGN §3: create, sign, refuse, withdraw, lapse, stop; who may act; versions; effective state.
import { describe, expect, it } from 'vitest';
import { contentHash, effectiveState, isInForce, isLive, missingSigners } from '../../src/core/mandate.js';
import { ACME, ANN, accepted, BOB, CAROL, enterprise, minutesBefore, NOW, person, REP, refused, T, World } from './fixtures.js';

const create = (w: World, overrides = {}) => ({ kind: 'create' as const, id: 'm1', input: w.input(overrides) });

describe('create', () => {
  it('by the mandator: pending, signed by the mandator, waiting for the mandatee', () => {
    const w = new World();
    const [event, ...rest] = accepted(w.run(create(w), undefined, { actor: ANN }));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'MandateProposed', mandateId: 'm1', version: 1, at: NOW, actor: { kind: 'person', id: ANN } });
    expect(event?.onBehalfOf).toEqual(person(ANN));
    const m = w.get('m1');
    expect(m).toMatchObject({ status: 'pending', version: 1, domain: 'finance', predecessorId: null, successorId: null });
    expect(m.proposalExpiresAt).toBe('2026-12-31T10:00:00.000Z');
    expect(m.contentHash).toBe(contentHash(m));
    expect(m.signatures).toEqual([
      {
        role: 'mandator',
        party: person(ANN),
        signer: ANN,
        version: 1,
        contentHash: m.contentHash,
        at: NOW,
        authTime: NOW,
        authLevel: null,
      },
    ]);
    expect(missingSigners(m)).toEqual(['mandatee']);
    expect(effectiveState(m, w.now)).toBe('pending');
  });

  it('by the mandatee: signed by the mandatee, waiting for the mandator', () => {
    const w = new World();
    const [event] = accepted(w.run(create(w), undefined, { actor: BOB }));
    expect(event?.type === 'MandateProposed' && event.data.initiator).toBe('mandatee');
    expect(w.get('m1').signatures.map((s) => [s.role, s.signer])).toEqual([['mandatee', BOB]]);
    expect(missingSigners(w.get('m1'))).toEqual(['mandator']);
  });

  it('by a representative of an enterprise party, who signs for it', () => {
    const w = new World();
    const cmd = create(w, { type: T.vat, mandator: enterprise(ACME), mandatee: person(BOB) });
    const [event] = accepted(w.run(cmd, undefined, { actor: REP, as: enterprise(ACME), represents: [ACME] }));
    expect(event).toMatchObject({ actor: { kind: 'person', id: REP }, onBehalfOf: enterprise(ACME) });
    expect(w.get('m1').signatures).toMatchObject([{ role: 'mandator', party: enterprise(ACME), signer: REP }]);
  });

  it('by someone who is not a party: ACTOR_NOT_REPRESENTATIVE', () => {
    const w = new World();
    refused(w.run(create(w), undefined, { actor: CAROL }), 'ACTOR_NOT_REPRESENTATIVE', 'onBehalfOf');
  });

  it('for an enterprise one does not represent: ACTOR_NOT_REPRESENTATIVE', () => {
    const w = new World();
    const cmd = create(w, { type: T.vat, mandator: enterprise(ACME) });
    refused(w.run(cmd, undefined, { actor: REP, as: enterprise(ACME), represents: [] }), 'ACTOR_NOT_REPRESENTATIVE', 'onBehalfOf');
    refused(w.run(cmd, undefined, { actor: CAROL, as: enterprise(ACME) }), 'ACTOR_NOT_REPRESENTATIVE');
  });

  it('as another person, or for nobody: ACTOR_NOT_REPRESENTATIVE', () => {
    const w = new World();
    refused(w.run(create(w), undefined, { actor: CAROL, as: person(ANN) }), 'ACTOR_NOT_REPRESENTATIVE', 'onBehalfOf');
    refused(w.run(create(w), undefined, { actor: ANN, as: null }), 'ACTOR_NOT_REPRESENTATIVE');
    refused(w.run(create(w), undefined, 'system'), 'ACTOR_NOT_REPRESENTATIVE');
  });

  it('with the mandator as mandatee: PARTIES_IDENTICAL', () => {
    const w = new World();
    refused(w.run(create(w, { mandatee: person(ANN) }), undefined, { actor: ANN }), 'PARTIES_IDENTICAL', 'mandatee');
  });

  it('of an unknown type: TYPE_UNKNOWN', () => {
    const w = new World();
    refused(w.run(create(w, { type: 'finance.nope' }), undefined, { actor: ANN }), 'TYPE_UNKNOWN', 'type');
  });

  it('with a party kind the type does not allow: PARTY_KIND_NOT_ALLOWED', () => {
    const w = new World();
    const byAcme = { actor: REP, as: enterprise(ACME), represents: [ACME] };
    refused(w.run(create(w, { mandator: enterprise(ACME) }), undefined, byAcme), 'PARTY_KIND_NOT_ALLOWED', 'mandator.kind');
    refused(
      w.run(create(w, { type: T.consent, mandatee: enterprise(ACME) }), undefined, byAcme),
      'PARTY_KIND_NOT_ALLOWED',
      'mandatee.kind',
    );
    accepted(w.run(create(w, { mandatee: enterprise(ACME) }), undefined, byAcme));
  });

  it('back-dated (before today in Brussels): VALIDITY_BACKDATED', () => {
    const w = new World();
    const r = refused(w.run(create(w, { validFrom: '2026-11-30' }), undefined, { actor: ANN }), 'VALIDITY_BACKDATED', 'validFrom');
    expect(r.details).toEqual({ today: '2026-12-01' });
    // 23:30 UTC on 1 December is already 2 December in Brussels.
    w.at('2026-12-01T23:30:00Z');
    refused(w.run(create(w, { validFrom: '2026-12-01' }), undefined, { actor: ANN }), 'VALIDITY_BACKDATED');
    accepted(w.run(create(w, { validFrom: '2026-12-02' }), undefined, { actor: ANN }));
  });

  it('ending before it starts: VALIDITY_END_BEFORE_START; a one-day validity is fine', () => {
    const w = new World();
    const cmd = create(w, { validFrom: '2027-01-10', validUntil: '2027-01-09' });
    refused(w.run(cmd, undefined, { actor: ANN }), 'VALIDITY_END_BEFORE_START', 'validUntil');
    accepted(w.run(create(w, { validFrom: '2027-01-10', validUntil: '2027-01-10' }), undefined, { actor: ANN }));
  });

  it('with an invalid date: DATE_INVALID', () => {
    const w = new World();
    refused(w.run(create(w, { validFrom: '2027-02-30' }), undefined, { actor: ANN }), 'DATE_INVALID', 'validFrom');
    refused(w.run(create(w, { validUntil: '2027-1-1' }), undefined, { actor: ANN }), 'DATE_INVALID', 'validUntil');
  });

  it('unlimited, of a type that needs an end date: VALIDITY_UNLIMITED_FORBIDDEN', () => {
    const w = new World();
    const r = refused(w.run(create(w, { type: T.disputes }), undefined, { actor: ANN }), 'VALIDITY_UNLIMITED_FORBIDDEN', 'validUntil');
    expect(r.details).toEqual({ maxDurationMonths: 60 });
  });

  it('longer than the type allows: VALIDITY_TOO_LONG, the end being inclusive', () => {
    const w = new World();
    // 60 months from 1 December 2026 end on 30 November 2031.
    const tooLong = refused(
      w.run(create(w, { type: T.disputes, validUntil: '2031-12-01' }), undefined, { actor: ANN }),
      'VALIDITY_TOO_LONG',
      'validUntil',
    );
    expect(tooLong.details).toEqual({ latest: '2031-11-30' });
    accepted(w.run(create(w, { type: T.disputes, validUntil: '2031-11-30' }), undefined, { actor: ANN }));
    // 24 months from 1 March end on the last day of February.
    const vouchers = { type: T.vouchers, validFrom: '2027-03-01' };
    refused(w.run({ ...create(w, { ...vouchers, validUntil: '2029-03-01' }), id: 'm2' }, undefined, { actor: ANN }), 'VALIDITY_TOO_LONG');
    accepted(w.run({ ...create(w, { ...vouchers, validUntil: '2029-02-28' }), id: 'm2' }, undefined, { actor: ANN }));
  });

  it('with a reference over 500 characters: REFERENCE_TOO_LONG', () => {
    const w = new World();
    refused(w.run(create(w, { reference: 'x'.repeat(501) }), undefined, { actor: ANN }), 'REFERENCE_TOO_LONG', 'reference');
    accepted(w.run(create(w, { reference: 'x'.repeat(500) }), undefined, { actor: ANN }));
  });

  it('with a sign-in older than signMaxAgeSeconds: SIGNATURE_AUTH_TOO_OLD (the creator signs)', () => {
    const w = new World();
    refused(w.run(create(w), undefined, { actor: ANN, authTime: minutesBefore(NOW, 10.01) }), 'SIGNATURE_AUTH_TOO_OLD');
    accepted(w.run(create(w), undefined, { actor: ANN, authTime: minutesBefore(NOW, 10) }));
  });
});

describe('no duplicates', () => {
  it('a second live mandate of the same triple with overlapping validity: MANDATE_DUPLICATE naming the first', () => {
    const w = new World();
    accepted(w.create('m1', { validUntil: '2027-06-30' }));
    const r = refused(w.create('m2', { validFrom: '2027-06-30' }, 'mandatee'), 'MANDATE_DUPLICATE', 'type');
    expect(r.details).toEqual({ mandateId: 'm1' });
    accepted(w.run({ kind: 'sign' }, 'm1', { actor: BOB }));
    expect(refused(w.create('m2', { validFrom: '2027-01-01', validUntil: '2027-01-31' }), 'MANDATE_DUPLICATE').details).toEqual({
      mandateId: 'm1',
    });
  });

  it('non-overlapping validity, another type or another mandatee is allowed', () => {
    const w = new World();
    accepted(w.create('m1', { validUntil: '2027-06-30' }));
    accepted(w.create('m2', { validFrom: '2027-07-01' }));
    accepted(w.create('m3', { type: T.consent }));
    accepted(w.create('m4', { mandatee: person(CAROL) }));
  });

  it('an ended mandate does not count: refused, withdrawn, stopped, expired', () => {
    const w = new World();
    accepted(w.create('m1'));
    accepted(w.run({ kind: 'refuse', reason: null }, 'm1', { actor: BOB }));
    accepted(w.create('m2'));
    accepted(w.run({ kind: 'withdraw' }, 'm2', { actor: ANN }));
    w.signed('m3');
    accepted(w.run({ kind: 'stop', reason: null }, 'm3', { actor: ANN }));
    w.signed('m4', { validUntil: '2026-12-31' });
    w.at('2027-01-01T10:00:00Z');
    expect(effectiveState(w.get('m4'), w.now)).toBe('expired');
    accepted(w.create('m5'));
  });
});

describe('pending: sign, refuse, withdraw, lapse', () => {
  it('the other party signs: signed, both signatures bind the same content', () => {
    const w = new World();
    accepted(w.create('m1'));
    const events = accepted(w.run({ kind: 'sign' }, 'm1', { actor: BOB }));
    expect(events.map((e) => [e.type, e.mandateId, e.version])).toEqual([['MandateSigned', 'm1', 2]]);
    const m = w.get('m1');
    expect(m).toMatchObject({ status: 'signed', version: 2, proposalExpiresAt: null });
    expect(m.signatures.map((s) => [s.role, s.signer, s.contentHash])).toEqual([
      ['mandator', ANN, m.contentHash],
      ['mandatee', BOB, m.contentHash],
    ]);
    expect(effectiveState(m, w.now)).toBe('active');
  });

  it('a representative signs for the enterprise mandatee', () => {
    const w = new World();
    accepted(w.create('m1', { mandatee: enterprise(ACME) }));
    refused(w.run({ kind: 'sign' }, 'm1', { actor: REP, as: enterprise(ACME) }), 'ACTOR_NOT_REPRESENTATIVE');
    accepted(w.run({ kind: 'sign' }, 'm1', { actor: REP, as: enterprise(ACME), represents: [ACME] }));
    expect(w.get('m1').signatures[1]).toMatchObject({ role: 'mandatee', party: enterprise(ACME), signer: REP });
  });

  it('the initiator signing its own proposal again, or signing twice: MANDATE_ALREADY_SIGNED', () => {
    const w = new World();
    accepted(w.create('m1'));
    refused(w.run({ kind: 'sign' }, 'm1', { actor: ANN }), 'MANDATE_ALREADY_SIGNED');
    accepted(w.run({ kind: 'sign' }, 'm1', { actor: BOB }));
    refused(w.run({ kind: 'sign' }, 'm1', { actor: BOB }), 'MANDATE_ALREADY_SIGNED');
  });

  it('signing needs a recent sign-in; refusing does not', () => {
    const w = new World();
    accepted(w.create('m1'));
    const old = { actor: BOB, authTime: minutesBefore(NOW, 11) };
    expect(refused(w.run({ kind: 'sign' }, 'm1', old), 'SIGNATURE_AUTH_TOO_OLD').details).toEqual({ maxAgeSeconds: 600 });
    accepted(w.run({ kind: 'refuse', reason: null }, 'm1', old));
  });

  it('the missing party refuses, with a reason: refused', () => {
    const w = new World();
    accepted(w.create('m1'));
    accepted(w.run({ kind: 'refuse', reason: 'not my accountant' }, 'm1', { actor: BOB }));
    expect(w.get('m1')).toMatchObject({ status: 'refused', endedAt: NOW, endedBy: 'mandatee', endReason: 'not my accountant' });
    expect(w.get('m1').proposalExpiresAt).toBeNull();
  });

  it('the initiator cannot refuse its own proposal (MANDATE_ALREADY_SIGNED); a long reason is REASON_TOO_LONG', () => {
    const w = new World();
    accepted(w.create('m1'));
    refused(w.run({ kind: 'refuse', reason: null }, 'm1', { actor: ANN }), 'MANDATE_ALREADY_SIGNED');
    refused(w.run({ kind: 'refuse', reason: 'x'.repeat(501) }, 'm1', { actor: BOB }), 'REASON_TOO_LONG', 'reason');
  });

  it('the signer withdraws: withdrawn; the non-signer cannot: ACTOR_NOT_SIGNER', () => {
    const w = new World();
    accepted(w.create('m1'));
    refused(w.run({ kind: 'withdraw' }, 'm1', { actor: BOB }), 'ACTOR_NOT_SIGNER');
    accepted(w.run({ kind: 'withdraw' }, 'm1', { actor: ANN, authTime: minutesBefore(NOW, 60) }));
    expect(w.get('m1')).toMatchObject({ status: 'withdrawn', endedBy: 'mandator', endedAt: NOW });
  });

  it('lapse: refused before proposalExpiresAt, done by the system at or after it', () => {
    const w = new World();
    accepted(w.create('m1'));
    w.at('2026-12-31T09:59:59.999Z');
    const early = refused(w.run({ kind: 'lapse' }, 'm1', 'system'), 'MANDATE_NOT_LAPSABLE');
    expect(early.details).toEqual({ proposalExpiresAt: '2026-12-31T10:00:00.000Z' });
    w.at('2026-12-31T10:00:00.000Z');
    const [event] = accepted(w.run({ kind: 'lapse' }, 'm1', 'system'));
    expect(event).toMatchObject({ type: 'MandateLapsed', actor: { kind: 'system' }, onBehalfOf: null, version: 2 });
    expect(w.get('m1')).toMatchObject({ status: 'lapsed', endedBy: 'system', proposalExpiresAt: null });
  });

  it('lapse by a person, even a party, is refused: MANDATE_STATUS', () => {
    const w = new World();
    accepted(w.create('m1'));
    w.at('2027-02-01T10:00:00Z');
    refused(w.run({ kind: 'lapse' }, 'm1', { actor: ANN }), 'MANDATE_STATUS');
    refused(w.run({ kind: 'lapse' }, 'm1', { actor: BOB }), 'MANDATE_STATUS');
  });

  it('the system cannot act as a party', () => {
    const w = new World();
    accepted(w.create('m1'));
    refused(w.run({ kind: 'sign' }, 'm1', 'system'), 'MANDATE_STATUS');
  });
});

describe('stop', () => {
  it('either party stops a signed mandate, with or without a reason; effective at once', () => {
    for (const role of ['mandator', 'mandatee'] as const) {
      const w = new World();
      w.signed('m1');
      w.at('2026-12-05T08:00:00Z');
      accepted(w.as(role, { kind: 'stop', reason: role === 'mandator' ? 'moved abroad' : null }, 'm1', { authTime: NOW }));
      const m = w.get('m1');
      expect(m).toMatchObject({ status: 'stopped', endedBy: role, endedAt: '2026-12-05T08:00:00.000Z', version: 3 });
      expect(m.endReason).toBe(role === 'mandator' ? 'moved abroad' : null);
      expect(isInForce(m, w.now)).toBe(false);
    }
  });

  it('a scheduled mandate can be stopped', () => {
    const w = new World();
    w.signed('m1', { validFrom: '2027-03-01' });
    accepted(w.as('mandatee', { kind: 'stop', reason: null }, 'm1'));
  });

  it('stopping an expired or stopped mandate: MANDATE_ENDED; a pending one: MANDATE_STATUS', () => {
    const w = new World();
    w.signed('m1', { validUntil: '2026-12-31' });
    w.at('2027-01-01T00:00:00Z');
    refused(w.as('mandator', { kind: 'stop', reason: null }, 'm1'), 'MANDATE_ENDED');
    w.signed('m2');
    accepted(w.as('mandator', { kind: 'stop', reason: null }, 'm2'));
    refused(w.as('mandatee', { kind: 'stop', reason: null }, 'm2'), 'MANDATE_ENDED');
    accepted(w.create('m3', { type: T.consent }));
    refused(w.as('mandator', { kind: 'stop', reason: null }, 'm3'), 'MANDATE_STATUS');
  });
});

describe('access and concurrency', () => {
  it('a stale expectedVersion: MANDATE_VERSION_STALE; the current one is fine', () => {
    const w = new World();
    w.signed('m1');
    const r = refused(w.run({ kind: 'stop', reason: null }, 'm1', { actor: ANN, expectedVersion: 1 }), 'MANDATE_VERSION_STALE', 'If-Match');
    expect(r.details).toEqual({ version: 2 });
    accepted(w.run({ kind: 'stop', reason: null }, 'm1', { actor: ANN, expectedVersion: 2 }));
  });

  it('an outsider gets MANDATE_NOT_PARTY whatever the status, never a status', () => {
    const w = new World();
    accepted(w.create('pending'));
    w.signed('stopped', { type: T.consent, validUntil: '2027-01-31' });
    accepted(w.as('mandator', { kind: 'stop', reason: null }, 'stopped'));
    w.signed('expired', { type: T.vouchers, validUntil: '2026-12-31' });
    w.at('2027-02-01T10:00:00Z');
    for (const id of ['pending', 'stopped', 'expired']) {
      for (const command of [
        { kind: 'sign' },
        { kind: 'stop', reason: null },
        { kind: 'withdraw' },
        { kind: 'amend', validUntil: null },
      ] as const) {
        refused(w.run(command, id, { actor: CAROL }), 'MANDATE_NOT_PARTY', 'id');
        refused(w.run(command, id, { actor: CAROL, expectedVersion: 99 }), 'MANDATE_NOT_PARTY');
      }
    }
  });

  it('a representative acting for an enterprise that is not a party: MANDATE_NOT_PARTY', () => {
    const w = new World();
    accepted(w.create('m1'));
    refused(w.run({ kind: 'sign' }, 'm1', { actor: REP, as: enterprise(ACME), represents: [ACME] }), 'MANDATE_NOT_PARTY');
  });

  it('a command on no mandate: MANDATE_NOT_FOUND', () => {
    const w = new World();
    refused(w.run({ kind: 'sign' }, 'nope', { actor: ANN }), 'MANDATE_NOT_FOUND');
  });
});

describe('effective state across Brussels midnights', () => {
  it('scheduled → active → expired at Brussels midnight in winter', () => {
    const w = new World();
    const m = w.signed('m1', { validFrom: '2027-01-01', validUntil: '2027-01-31' });
    expect(effectiveState(m, new Date('2026-12-31T22:59:59Z'))).toBe('scheduled');
    expect(effectiveState(m, new Date('2026-12-31T23:00:00Z'))).toBe('active');
    expect(effectiveState(m, new Date('2027-01-31T22:59:59Z'))).toBe('active');
    expect(effectiveState(m, new Date('2027-01-31T23:00:00Z'))).toBe('expired');
    expect(isLive(m, new Date('2026-12-31T22:59:59Z'))).toBe(true);
    expect(isLive(m, new Date('2027-01-31T23:00:00Z'))).toBe(false);
  });

  it('expires at 22:00 UTC in summer; unlimited never expires', () => {
    const w = new World();
    const m = w.signed('m1', { validFrom: '2027-03-01', validUntil: '2027-07-31' });
    expect(effectiveState(m, new Date('2027-02-28T22:59:59Z'))).toBe('scheduled');
    expect(effectiveState(m, new Date('2027-02-28T23:00:00Z'))).toBe('active');
    expect(effectiveState(m, new Date('2027-07-31T21:59:59Z'))).toBe('active');
    expect(effectiveState(m, new Date('2027-07-31T22:00:00Z'))).toBe('expired');
    const forever = w.signed('m2', { type: T.consent });
    expect(effectiveState(forever, new Date('2099-12-31T12:00:00Z'))).toBe('active');
  });

  it('statuses other than signed are their own effective state', () => {
    const w = new World();
    accepted(w.create('m1'));
    expect(effectiveState(w.get('m1'), new Date('2030-01-01'))).toBe('pending');
    expect(isLive(w.get('m1'), new Date('2030-01-01'))).toBe(true);
    expect(isInForce(w.get('m1'), w.now)).toBe(false);
  });
});
