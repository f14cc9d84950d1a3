// DESIGN §3 "Transfer": a successor mandate to a new mandatee; the predecessor ends when it is signed.
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/command.js';
import { contentHash, effectiveState, missingSigners } from '../../src/core/mandate.js';
import type { Party } from '../../src/core/party.js';
import { ACME, ANN, accepted, BOB, CAROL, DAVE, enterprise, minutesBefore, person, REP, refused, T, World } from './fixtures.js';

const TEN_DEC = '2026-12-10T10:00:00.000Z';
const transfer = (to: Party, successorId = 's1'): Command => ({ kind: 'transfer', successorId, newMandatee: to });

/** A signed mandate ANN → BOB (from 1 December 2026 to 31 December 2027 by default), seen on 10 December 2026. */
function world(overrides = {}) {
  const w = new World();
  w.signed('m1', { validUntil: '2027-12-31', ...overrides });
  w.at(TEN_DEC);
  return w;
}

describe('transfer by the mandator', () => {
  it('proposes a successor signed by the mandator; the predecessor stays signed and links to it', () => {
    const w = world({ reference: 'file 42', language: 'fr' });
    const events = accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    expect(events.map((e) => [e.type, e.mandateId, e.version])).toEqual([
      ['TransferProposed', 'm1', 3],
      ['MandateProposed', 's1', 1],
    ]);
    expect(events[0]).toMatchObject({ data: { role: 'mandator', successorId: 's1', newMandatee: person(CAROL) } });
    const s = w.get('s1');
    expect(s).toMatchObject({
      status: 'pending',
      type: T.pit,
      mandator: person(ANN),
      mandatee: person(CAROL),
      validFrom: '2026-12-10',
      validUntil: '2027-12-31',
      reference: 'file 42',
      language: 'fr',
      predecessorId: 'm1',
      proposalExpiresAt: '2027-01-09T10:00:00.000Z',
    });
    expect(s.signatures).toMatchObject([{ role: 'mandator', party: person(ANN), signer: ANN, version: 1, contentHash: contentHash(s) }]);
    expect(missingSigners(s)).toEqual(['mandatee']);
    expect(w.get('m1')).toMatchObject({ status: 'signed', successorId: 's1' });
    expect(effectiveState(w.get('m1'), w.now)).toBe('active');
  });

  it('the new mandatee signs the successor: it is signed and the predecessor is transferred in the same decision', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    w.at('2026-12-12T09:00:00Z');
    const events = accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL }));
    expect(events.map((e) => [e.type, e.mandateId, e.version])).toEqual([
      ['MandateSigned', 's1', 2],
      ['TransferCompleted', 'm1', 4],
    ]);
    expect(w.get('s1').status).toBe('signed');
    expect(w.get('m1')).toMatchObject({
      status: 'transferred',
      successorId: 's1',
      endedAt: '2026-12-12T09:00:00.000Z',
      endedBy: null,
    });
    expect(w.get('s1').predecessorId).toBe('m1');
  });

  it('the successor of a scheduled mandate keeps the original start', () => {
    const w = world({ validFrom: '2027-03-01' });
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    expect(w.get('s1').validFrom).toBe('2027-03-01');
  });

  it('needs a recent sign-in, since the mandator signs the successor', () => {
    const w = world();
    refused(w.as('mandator', transfer(person(CAROL)), 'm1', { authTime: minutesBefore(TEN_DEC, 11) }), 'SIGNATURE_AUTH_TOO_OLD');
  });

  it('the initiator cannot sign the successor again; an outsider of the successor cannot act on it', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    refused(w.run({ kind: 'sign' }, 's1', { actor: ANN }), 'MANDATE_ALREADY_SIGNED');
    refused(w.run({ kind: 'sign' }, 's1', { actor: BOB }), 'MANDATE_NOT_PARTY');
  });
});

describe('transfer by the mandatee', () => {
  it('proposes an unsigned successor that needs both its mandator and its new mandatee', () => {
    const w = world();
    const events = accepted(w.as('mandatee', transfer(person(CAROL)), 'm1', { authTime: minutesBefore(TEN_DEC, 60) }));
    expect(events[1]).toMatchObject({ type: 'MandateProposed', data: { initiator: null, signature: null, predecessorId: 'm1' } });
    expect(w.get('s1').signatures).toEqual([]);
    expect(missingSigners(w.get('s1'))).toEqual(['mandator', 'mandatee']);
    // The old mandatee is no party to the successor.
    refused(w.run({ kind: 'sign' }, 's1', { actor: BOB }), 'MANDATE_NOT_PARTY');
    const first = accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL }));
    expect(first.map((e) => e.type)).toEqual(['MandateSigned']);
    expect(w.get('s1').status).toBe('pending');
    expect(w.get('m1').status).toBe('signed');
    refused(w.run({ kind: 'sign' }, 's1', { actor: CAROL }), 'MANDATE_ALREADY_SIGNED');
    const second = accepted(w.run({ kind: 'sign' }, 's1', { actor: ANN }));
    expect(second.map((e) => [e.type, e.mandateId])).toEqual([
      ['MandateSigned', 's1'],
      ['TransferCompleted', 'm1'],
    ]);
    expect(w.get('m1').status).toBe('transferred');
  });

  it('nobody can withdraw an unsigned successor (ACTOR_NOT_SIGNER); either party can refuse it', () => {
    const w = world();
    accepted(w.as('mandatee', transfer(person(CAROL)), 'm1'));
    refused(w.run({ kind: 'withdraw' }, 's1', { actor: ANN }), 'ACTOR_NOT_SIGNER');
    accepted(w.run({ kind: 'refuse', reason: null }, 's1', { actor: ANN }));
  });
});

describe('transfer refused', () => {
  it('to the current mandatee: TRANSFER_SAME_MANDATEE', () => {
    const w = world();
    refused(w.as('mandator', transfer(person(BOB)), 'm1'), 'TRANSFER_SAME_MANDATEE', 'mandatee');
  });

  it('to the mandator: PARTIES_IDENTICAL', () => {
    const w = world();
    refused(w.as('mandatee', transfer(person(ANN)), 'm1'), 'PARTIES_IDENTICAL', 'mandatee');
  });

  it('a second transfer while one pends: TRANSFER_PENDING naming the successor', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    const r = refused(w.as('mandatee', transfer(person(DAVE), 's2'), 'm1'), 'TRANSFER_PENDING');
    expect(r.details).toEqual({ successorId: 's1' });
    refused(w.as('mandator', { kind: 'amend', validUntil: '2027-06-30' }, 'm1'), 'TRANSFER_PENDING');
  });

  it('to a party kind the type does not allow: PARTY_KIND_NOT_ALLOWED', () => {
    const w = world({ type: T.consent });
    refused(w.as('mandator', transfer(enterprise(ACME)), 'm1'), 'PARTY_KIND_NOT_ALLOWED', 'mandatee.kind');
  });

  it('while an amendment pends: AMENDMENT_PENDING', () => {
    const w = world();
    accepted(w.as('mandator', { kind: 'amend', validUntil: null }, 'm1'));
    refused(w.as('mandator', transfer(person(CAROL)), 'm1'), 'AMENDMENT_PENDING');
  });

  it('when the new triple already has an overlapping live mandate: MANDATE_DUPLICATE', () => {
    const w = world();
    accepted(w.create('m2', { mandatee: person(CAROL), validFrom: '2027-06-01' }));
    expect(refused(w.as('mandator', transfer(person(CAROL)), 'm1'), 'MANDATE_DUPLICATE').details).toEqual({ mandateId: 'm2' });
    accepted(w.as('mandator', transfer(person(DAVE)), 'm1'));
  });

  it('of a pending mandate: MANDATE_STATUS; of a stopped, expired or transferred one: MANDATE_ENDED', () => {
    const w = world();
    accepted(w.create('p', { type: T.consent }));
    refused(w.as('mandator', transfer(person(CAROL)), 'p'), 'MANDATE_STATUS');
    w.signed('stopped', { type: T.vouchers, validUntil: '2027-12-31' });
    accepted(w.as('mandatee', { kind: 'stop', reason: null }, 'stopped'));
    refused(w.as('mandator', transfer(person(CAROL)), 'stopped'), 'MANDATE_ENDED');
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL }));
    refused(w.as('mandator', transfer(person(DAVE), 's2'), 'm1'), 'MANDATE_ENDED');
    w.at('2028-01-01T10:00:00Z');
    refused(w.as('mandator', transfer(person(DAVE), 's3'), 's1'), 'MANDATE_ENDED');
  });

  it('by an outsider: MANDATE_NOT_PARTY', () => {
    const w = world();
    refused(w.run(transfer(person(CAROL)), 'm1', { actor: CAROL }), 'MANDATE_NOT_PARTY');
  });
});

describe('a successor that ends unsigned cancels the transfer', () => {
  it('refused by the new mandatee: TransferCancelled on the predecessor, which stays signed', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    const events = accepted(w.run({ kind: 'refuse', reason: 'no thanks' }, 's1', { actor: CAROL }));
    expect(events.map((e) => [e.type, e.mandateId, e.version])).toEqual([
      ['MandateRefused', 's1', 2],
      ['TransferCancelled', 'm1', 4],
    ]);
    expect(events[1]).toMatchObject({ data: { successorId: 's1' } });
    expect(w.get('m1')).toMatchObject({ status: 'signed', successorId: null });
    expect(effectiveState(w.get('m1'), w.now)).toBe('active');
    // A new transfer may follow.
    accepted(w.as('mandatee', transfer(person(DAVE), 's2'), 'm1'));
  });

  it('withdrawn by the mandator who signed it: TransferCancelled', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    const events = accepted(w.run({ kind: 'withdraw' }, 's1', { actor: ANN }));
    expect(events.map((e) => e.type)).toEqual(['MandateWithdrawn', 'TransferCancelled']);
    expect(w.get('m1').successorId).toBeNull();
  });

  it('lapsed: TransferCancelled by the system', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    w.at('2027-01-10T10:00:00Z');
    const events = accepted(w.run({ kind: 'lapse' }, 's1', 'system'));
    expect(events.map((e) => [e.type, e.actor.kind])).toEqual([
      ['MandateLapsed', 'system'],
      ['TransferCancelled', 'system'],
    ]);
    expect(w.get('m1')).toMatchObject({ status: 'signed', successorId: null });
  });

  it('a predecessor stopped meanwhile is neither cancelled nor transferred', () => {
    const w = world();
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    accepted(w.as('mandatee', { kind: 'stop', reason: null }, 'm1'));
    expect(accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL })).map((e) => e.type)).toEqual(['MandateSigned']);
    expect(w.get('m1').status).toBe('stopped');
  });

  it('a predecessor that expired meanwhile is not transferred: it ended by expiry, not by this signature', () => {
    // lifecycle-commands.ts: "The transfer completes at the instant the successor is signed, if the predecessor is still in force then."
    const w = world({ validUntil: '2026-12-31' });
    accepted(w.as('mandator', transfer(person(CAROL)), 'm1'));
    w.at('2027-01-05T10:00:00Z');
    expect(effectiveState(w.get('m1'), w.now)).toBe('expired');
    expect(accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL })).map((e) => e.type)).toEqual(['MandateSigned']);
    expect(w.get('m1').status).toBe('signed');
    expect(effectiveState(w.get('m1'), w.now)).toBe('expired');
  });
});

describe('transfer with enterprises', () => {
  it('a representative transfers for the mandator enterprise to another person', () => {
    const w = new World();
    w.signed('m1', { type: T.vat, mandator: enterprise(ACME), mandatee: person(BOB) });
    const by = { actor: REP, as: enterprise(ACME), represents: [ACME] };
    accepted(w.run(transfer(person(CAROL)), 'm1', by));
    expect(w.get('s1').signatures).toMatchObject([{ role: 'mandator', party: enterprise(ACME), signer: REP }]);
    accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL }));
    expect(w.get('m1').status).toBe('transferred');
  });
});
