// DESIGN §3 "Amend": narrowing takes effect at once; widening waits for the other party.
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/command.js';
import { contentHash, effectiveState, signedRoles } from '../../src/core/mandate.js';
import { accepted, minutesBefore, refused, T, World } from './fixtures.js';

const amend = (change: { validFrom?: string; validUntil?: string | null }): Command => ({ kind: 'amend', ...change });
const TEN_DEC = '2026-12-10T10:00:00.000Z';

/** A signed, active mandate ANN → BOB from 1 December 2026 to 31 December 2027, seen on 10 December 2026. */
function active(overrides = {}) {
  const w = new World();
  w.signed('m1', { validUntil: '2027-12-31', ...overrides });
  w.at(TEN_DEC);
  return w;
}

/** A signed mandate that starts on 1 February 2027, seen on 10 December 2026. */
function scheduled() {
  const w = new World();
  w.signed('m1', { validFrom: '2027-02-01', validUntil: '2027-12-31' });
  w.at(TEN_DEC);
  expect(effectiveState(w.get('m1'), w.now)).toBe('scheduled');
  return w;
}

describe('amend: narrowing takes effect at once', () => {
  it('an earlier validUntil: MandateAmended, a new version in force at once, signed by the amending party', () => {
    const w = active();
    const before = w.get('m1');
    const [event, ...rest] = accepted(w.as('mandatee', amend({ validUntil: '2027-06-30' }), 'm1'));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'MandateAmended',
      version: 3,
      data: { role: 'mandatee', validFrom: '2026-12-01', validUntil: '2027-06-30' },
    });
    const m = w.get('m1');
    expect(m).toMatchObject({ status: 'signed', version: 3, validUntil: '2027-06-30', pendingAmendment: null });
    expect(m.contentHash).toBe(contentHash(m));
    expect(m.contentHash).not.toBe(before.contentHash);
    expect(m.signatures.at(-1)).toMatchObject({ role: 'mandatee', contentHash: m.contentHash, at: TEN_DEC });
    expect(effectiveState(m, new Date('2027-06-30T21:59:59Z'))).toBe('active');
    expect(effectiveState(m, new Date('2027-06-30T22:00:00Z'))).toBe('expired');
  });

  it('an end date on an unlimited mandate narrows it', () => {
    const w = active({ validUntil: null });
    accepted(w.as('mandator', amend({ validUntil: '2027-01-31' }), 'm1'));
    expect(w.get('m1').validUntil).toBe('2027-01-31');
  });

  it('ending today is allowed; ending before today is VALIDITY_BACKDATED', () => {
    const w = active();
    refused(w.as('mandator', amend({ validUntil: '2026-12-09' }), 'm1'), 'VALIDITY_BACKDATED', 'validUntil');
    accepted(w.as('mandator', amend({ validUntil: '2026-12-10' }), 'm1'));
    expect(effectiveState(w.get('m1'), w.now)).toBe('active');
    expect(effectiveState(w.get('m1'), new Date('2026-12-10T23:00:00Z'))).toBe('expired');
  });

  it('a later validFrom while scheduled takes effect at once', () => {
    const w = scheduled();
    const [event] = accepted(w.as('mandator', amend({ validFrom: '2027-03-01' }), 'm1'));
    expect(event?.type).toBe('MandateAmended');
    expect(w.get('m1')).toMatchObject({ validFrom: '2027-03-01', validUntil: '2027-12-31', pendingAmendment: null });
  });

  it('a validFrom after validUntil: VALIDITY_END_BEFORE_START', () => {
    const w = scheduled();
    refused(w.as('mandator', amend({ validFrom: '2028-01-01' }), 'm1'), 'VALIDITY_END_BEFORE_START');
  });

  it('changing validFrom once the mandate is active: AMENDMENT_START_LOCKED', () => {
    const w = active();
    refused(w.as('mandator', amend({ validFrom: '2027-01-01' }), 'm1'), 'AMENDMENT_START_LOCKED', 'validFrom');
    refused(w.as('mandatee', amend({ validFrom: '2026-12-10', validUntil: '2027-06-30' }), 'm1'), 'AMENDMENT_START_LOCKED');
    // Restating the same start is not a change of start.
    accepted(w.as('mandatee', amend({ validFrom: '2026-12-01', validUntil: '2027-06-30' }), 'm1'));
  });

  it('amending needs a recent sign-in (the amending party signs)', () => {
    const w = active();
    refused(
      w.as('mandator', amend({ validUntil: '2027-06-30' }), 'm1', { authTime: minutesBefore(TEN_DEC, 11) }),
      'SIGNATURE_AUTH_TOO_OLD',
    );
  });
});

describe('amend: widening waits for the other party', () => {
  it('a later validUntil: AmendmentProposed; the current validity stays in force', () => {
    const w = active();
    const before = w.get('m1');
    const [event] = accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    expect(event).toMatchObject({ type: 'AmendmentProposed', version: 3, data: { role: 'mandator', validUntil: '2028-06-30' } });
    const m = w.get('m1');
    expect(m).toMatchObject({ status: 'signed', validFrom: '2026-12-01', validUntil: '2027-12-31', contentHash: before.contentHash });
    expect(m.pendingAmendment).toEqual({
      validFrom: '2026-12-01',
      validUntil: '2028-06-30',
      proposedBy: 'mandator',
      contentHash: contentHash({ ...before, validUntil: '2028-06-30' }),
      at: TEN_DEC,
    });
    expect(signedRoles(m)).toEqual(new Set(['mandator', 'mandatee']));
    expect(effectiveState(m, new Date('2028-01-01T10:00:00Z'))).toBe('expired');
  });

  it('signAmendment by the proposer: MANDATE_ALREADY_SIGNED; by the other party: applied', () => {
    const w = active();
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    refused(w.as('mandator', { kind: 'signAmendment' }, 'm1'), 'MANDATE_ALREADY_SIGNED');
    const hash = w.get('m1').pendingAmendment?.contentHash;
    const [event] = accepted(w.as('mandatee', { kind: 'signAmendment' }, 'm1'));
    expect(event).toMatchObject({ type: 'AmendmentSigned', version: 4, data: { signature: { role: 'mandatee', contentHash: hash } } });
    const m = w.get('m1');
    expect(m).toMatchObject({ validUntil: '2028-06-30', pendingAmendment: null, contentHash: hash, version: 4 });
    expect(m.contentHash).toBe(contentHash(m));
    expect(signedRoles(m)).toEqual(new Set(['mandator', 'mandatee']));
    expect(effectiveState(m, new Date('2028-01-01T10:00:00Z'))).toBe('active');
  });

  it('unlimited validUntil is a widening', () => {
    const w = active();
    const [event] = accepted(w.as('mandatee', amend({ validUntil: null }), 'm1'));
    expect(event?.type).toBe('AmendmentProposed');
    accepted(w.as('mandator', { kind: 'signAmendment' }, 'm1'));
    expect(w.get('m1').validUntil).toBeNull();
  });

  it('signing an amendment needs a recent sign-in; refusing it does not', () => {
    const w = active();
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    const old = { authTime: minutesBefore(TEN_DEC, 30) };
    refused(w.as('mandatee', { kind: 'signAmendment' }, 'm1', old), 'SIGNATURE_AUTH_TOO_OLD');
    accepted(w.as('mandatee', { kind: 'refuseAmendment' }, 'm1', old));
  });

  it('refuseAmendment by the other party drops it and keeps the validity; not by the proposer', () => {
    const w = active();
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    refused(w.as('mandator', { kind: 'refuseAmendment' }, 'm1'), 'MANDATE_ALREADY_SIGNED');
    const [event] = accepted(w.as('mandatee', { kind: 'refuseAmendment' }, 'm1'));
    expect(event).toMatchObject({ type: 'AmendmentRefused', data: { role: 'mandatee' } });
    expect(w.get('m1')).toMatchObject({ status: 'signed', validUntil: '2027-12-31', pendingAmendment: null });
  });

  it('withdrawAmendment by the proposer drops it; the other party gets ACTOR_NOT_SIGNER', () => {
    const w = active();
    accepted(w.as('mandatee', amend({ validUntil: null }), 'm1'));
    refused(w.as('mandator', { kind: 'withdrawAmendment' }, 'm1'), 'ACTOR_NOT_SIGNER');
    accepted(w.as('mandatee', { kind: 'withdrawAmendment' }, 'm1'));
    expect(w.get('m1')).toMatchObject({ validUntil: '2027-12-31', pendingAmendment: null });
    // Once settled, a new amendment may be proposed.
    accepted(w.as('mandator', amend({ validUntil: '2028-01-31' }), 'm1'));
  });

  it('while an amendment pends, sign, refuse and withdraw answer it', () => {
    const w = active();
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    refused(w.as('mandator', { kind: 'sign' }, 'm1'), 'MANDATE_ALREADY_SIGNED');
    expect(accepted(w.as('mandatee', { kind: 'refuse', reason: null }, 'm1')).map((e) => e.type)).toEqual(['AmendmentRefused']);
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    expect(accepted(w.as('mandator', { kind: 'withdraw' }, 'm1')).map((e) => e.type)).toEqual(['AmendmentWithdrawn']);
    accepted(w.as('mandatee', amend({ validUntil: null }), 'm1'));
    expect(accepted(w.as('mandator', { kind: 'sign' }, 'm1')).map((e) => e.type)).toEqual(['AmendmentSigned']);
    expect(w.get('m1')).toMatchObject({ status: 'signed', validUntil: null, pendingAmendment: null });
  });

  it('answering when no amendment pends: AMENDMENT_NONE', () => {
    const w = active();
    for (const kind of ['signAmendment', 'refuseAmendment', 'withdrawAmendment'] as const) {
      refused(w.as('mandatee', { kind }, 'm1'), 'AMENDMENT_NONE');
    }
  });

  it('a second amendment while one pends, narrowing or widening: AMENDMENT_PENDING', () => {
    const w = active();
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    refused(w.as('mandatee', amend({ validUntil: '2027-06-30' }), 'm1'), 'AMENDMENT_PENDING');
    refused(w.as('mandator', amend({ validUntil: null }), 'm1'), 'AMENDMENT_PENDING');
  });

  it('a widening that would overlap another live mandate of the same triple: MANDATE_DUPLICATE', () => {
    const w = active({ validUntil: '2027-06-30' });
    accepted(w.create('m2', { validFrom: '2027-07-01' }));
    const r = refused(w.as('mandator', amend({ validUntil: '2027-07-01' }), 'm1'), 'MANDATE_DUPLICATE');
    expect(r.details).toEqual({ mandateId: 'm2' });
    // Narrowing never needs the duplicate check.
    accepted(w.as('mandator', amend({ validUntil: '2027-05-31' }), 'm1'));
  });

  it('a pending widening blocks a new mandate overlapping the widened validity', () => {
    const w = active({ validUntil: '2027-06-30' });
    accepted(w.as('mandator', amend({ validUntil: '2027-12-31' }), 'm1'));
    expect(refused(w.create('m2', { validFrom: '2027-09-01' }), 'MANDATE_DUPLICATE').details).toEqual({ mandateId: 'm1' });
    accepted(w.as('mandatee', { kind: 'refuseAmendment' }, 'm1'));
    accepted(w.create('m2', { validFrom: '2027-09-01' }));
  });

  it('a widening beyond the type maximum: VALIDITY_TOO_LONG', () => {
    const w = active({ type: T.disputes, validUntil: '2027-12-31' });
    refused(w.as('mandator', amend({ validUntil: '2031-12-01' }), 'm1'), 'VALIDITY_TOO_LONG');
    refused(w.as('mandator', amend({ validUntil: null }), 'm1'), 'VALIDITY_UNLIMITED_FORBIDDEN');
    accepted(w.as('mandator', amend({ validUntil: '2031-11-30' }), 'm1'));
  });

  it('an earlier validFrom while scheduled is a widening that needs the other signature', () => {
    const w = scheduled();
    const [event] = accepted(w.as('mandator', amend({ validFrom: '2027-01-15' }), 'm1'));
    expect(event?.type).toBe('AmendmentProposed');
    expect(w.get('m1').validFrom).toBe('2027-02-01');
    refused(w.as('mandatee', amend({ validFrom: '2026-12-09' }), 'm1'), 'AMENDMENT_PENDING');
  });

  it('an earlier validFrom before today: VALIDITY_BACKDATED', () => {
    const w = scheduled();
    refused(w.as('mandator', amend({ validFrom: '2026-12-09' }), 'm1'), 'VALIDITY_BACKDATED', 'validFrom');
  });

  it('signing an amendment whose new start has meanwhile passed would back-date the mandate: VALIDITY_BACKDATED', () => {
    // Proposed on 10 December: start on 15 January instead of 1 February. Countersigned on 20 January,
    // the mandate would start five days in the past, which no signature covered then.
    const w = scheduled();
    accepted(w.as('mandator', amend({ validFrom: '2027-01-15' }), 'm1'));
    w.at('2027-01-20T10:00:00Z');
    expect(effectiveState(w.get('m1'), w.now)).toBe('scheduled');
    refused(w.as('mandatee', { kind: 'signAmendment' }, 'm1'), 'VALIDITY_BACKDATED');
    expect(w.get('m1').validFrom).toBe('2027-02-01');
  });
});

describe('amend: what cannot be amended', () => {
  it('a change that changes nothing: AMENDMENT_NO_CHANGE', () => {
    const w = active();
    refused(w.as('mandator', amend({}), 'm1'), 'AMENDMENT_NO_CHANGE', 'validUntil');
    refused(w.as('mandator', amend({ validUntil: '2027-12-31' }), 'm1'), 'AMENDMENT_NO_CHANGE');
    refused(w.as('mandator', amend({ validFrom: '2026-12-01', validUntil: '2027-12-31' }), 'm1'), 'AMENDMENT_NO_CHANGE');
  });

  it('a stopped mandate: MANDATE_ENDED', () => {
    const w = active();
    accepted(w.as('mandatee', { kind: 'stop', reason: null }, 'm1'));
    refused(w.as('mandator', amend({ validUntil: '2027-06-30' }), 'm1'), 'MANDATE_ENDED');
  });

  it('an expired mandate: MANDATE_ENDED', () => {
    const w = active();
    w.at('2028-01-01T10:00:00Z');
    refused(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'), 'MANDATE_ENDED');
    refused(w.as('mandatee', amend({ validUntil: '2027-06-30' }), 'm1'), 'MANDATE_ENDED');
  });

  it('an amendment pending on a mandate that expires can no longer be signed: MANDATE_ENDED', () => {
    const w = active();
    accepted(w.as('mandator', amend({ validUntil: '2028-06-30' }), 'm1'));
    w.at('2028-01-01T10:00:00Z');
    refused(w.as('mandatee', { kind: 'signAmendment' }, 'm1'), 'MANDATE_ENDED');
  });

  it('a pending mandate: MANDATE_STATUS', () => {
    const w = new World();
    accepted(w.create('m1', { validUntil: '2027-12-31' }));
    refused(w.as('mandator', amend({ validUntil: '2027-06-30' }), 'm1'), 'MANDATE_STATUS');
  });

  it('a stale version: MANDATE_VERSION_STALE', () => {
    const w = active();
    refused(
      w.run(amend({ validUntil: '2027-06-30' }), 'm1', { actor: w.get('m1').mandator.id, expectedVersion: 1 }),
      'MANDATE_VERSION_STALE',
    );
  });
});
