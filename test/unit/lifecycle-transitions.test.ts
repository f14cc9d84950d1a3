// The TRANSITIONS table, exhaustively: each command works from its status and is refused from every other.
import { describe, expect, it } from 'vitest';
import type { Command, CommandKind } from '../../src/core/command.js';
import { TRANSITIONS } from '../../src/core/lifecycle.js';
import { MANDATE_STATUSES, type Mandate, type MandateStatus, missingSigners, type Role } from '../../src/core/mandate.js';
import type { RefusalCode } from '../../src/core/refusal.js';
import { accepted, CAROL, DAVE, person, refused, type Who, World, whoFor } from './fixtures.js';

type Kind = Exclude<CommandKind, 'create'>;

const COMMANDS: Record<Kind, Command> = {
  sign: { kind: 'sign' },
  refuse: { kind: 'refuse', reason: null },
  withdraw: { kind: 'withdraw' },
  lapse: { kind: 'lapse' },
  stop: { kind: 'stop', reason: null },
  amend: { kind: 'amend', validUntil: '2027-06-30' },
  signAmendment: { kind: 'signAmendment' },
  refuseAmendment: { kind: 'refuseAmendment' },
  withdrawAmendment: { kind: 'withdrawAmendment' },
  transfer: { kind: 'transfer', successorId: 's9', newMandatee: person(DAVE) },
};
const KINDS = Object.keys(TRANSITIONS) as Kind[];

/** Mandate m1, ANN → BOB, proposed by ANN on 1 December 2026, brought into `status`. */
function inStatus(status: MandateStatus): World {
  const w = new World();
  accepted(w.create('m1'));
  const sign = () => accepted(w.as('mandatee', { kind: 'sign' }, 'm1'));
  switch (status) {
    case 'pending':
      break;
    case 'signed':
      sign();
      break;
    case 'refused':
      accepted(w.as('mandatee', { kind: 'refuse', reason: null }, 'm1'));
      break;
    case 'withdrawn':
      accepted(w.as('mandator', { kind: 'withdraw' }, 'm1'));
      break;
    case 'lapsed':
      w.at('2027-01-01T10:00:00Z');
      accepted(w.run({ kind: 'lapse' }, 'm1', 'system'));
      break;
    case 'stopped':
      sign();
      accepted(w.as('mandator', { kind: 'stop', reason: null }, 'm1'));
      break;
    case 'transferred':
      sign();
      accepted(w.as('mandator', { kind: 'transfer', successorId: 's1', newMandatee: person(CAROL) }, 'm1'));
      accepted(w.run({ kind: 'sign' }, 's1', { actor: CAROL }));
      break;
  }
  expect(w.get('m1').status).toBe(status);
  return w;
}

/** The role the table would let issue `kind` if the status were right. */
function issuer(kind: Kind, m: Mandate): Role | 'system' {
  const { who } = TRANSITIONS[kind];
  if (who === 'system') return 'system';
  if (who === 'missing-signer') return missingSigners(m)[0] ?? 'mandatee';
  if (who === 'signer') return (['mandator', 'mandatee'] as const).find((r) => !missingSigners(m).includes(r)) ?? 'mandator';
  return 'mandator';
}

/** The refusal for `kind` on a mandate in `status`: the status is checked before who may issue the command (MANDATE_ENDED when a signed mandate's command meets an ended one). */
function expectedCode(kind: Kind, status: MandateStatus): RefusalCode {
  if (TRANSITIONS[kind].who === 'missing-signer' && status === 'signed') return 'MANDATE_ALREADY_SIGNED';
  return TRANSITIONS[kind].from === 'signed' && status !== 'pending' ? 'MANDATE_ENDED' : 'MANDATE_STATUS';
}

describe('TRANSITIONS', () => {
  it('covers every command on an existing mandate', () => {
    expect([...KINDS].sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const rule of Object.values(TRANSITIONS)) expect(['pending', 'signed']).toContain(rule.from);
  });

  for (const kind of KINDS) {
    const rule = TRANSITIONS[kind];
    for (const status of MANDATE_STATUSES.filter((s) => s !== rule.from)) {
      it(`${kind} is refused from ${status}`, () => {
        const w = inStatus(status);
        const m = w.get('m1');
        const role = issuer(kind, m);
        const who: Who = role === 'system' ? 'system' : whoFor(m[role]);
        const r = refused(w.decide(COMMANDS[kind], 'm1', who), expectedCode(kind, status));
        expect(r.details).toMatchObject({ status });
      });
    }
  }

  for (const kind of KINDS.filter((k) => k !== 'lapse')) {
    it(`${kind} by an outsider is MANDATE_NOT_PARTY from every status`, () => {
      for (const status of MANDATE_STATUSES) {
        const w = inStatus(status);
        refused(w.decide(COMMANDS[kind], 'm1', { actor: CAROL }), 'MANDATE_NOT_PARTY');
      }
    });
  }
});

describe('TRANSITIONS: each command from its own status', () => {
  /** A signed mandate ANN → BOB until 31 December 2027; with `amendment`, ANN has proposed to make it unlimited. */
  function signedWorld(amendment = false): World {
    const w = new World();
    w.signed('m1', { validUntil: '2027-12-31' });
    if (amendment) accepted(w.as('mandator', { kind: 'amend', validUntil: null }, 'm1'));
    return w;
  }

  const cases: Record<Kind, { world: () => World; who: Role | 'system'; after: Partial<Mandate> }> = {
    sign: { world: () => inStatus('pending'), who: 'mandatee', after: { status: 'signed' } },
    refuse: { world: () => inStatus('pending'), who: 'mandatee', after: { status: 'refused', endedBy: 'mandatee' } },
    withdraw: { world: () => inStatus('pending'), who: 'mandator', after: { status: 'withdrawn', endedBy: 'mandator' } },
    lapse: { world: () => inStatus('pending').at('2026-12-31T10:00:00Z'), who: 'system', after: { status: 'lapsed', endedBy: 'system' } },
    stop: { world: () => signedWorld(), who: 'mandatee', after: { status: 'stopped', endedBy: 'mandatee' } },
    amend: { world: () => signedWorld(), who: 'mandatee', after: { status: 'signed', validUntil: '2027-06-30' } },
    signAmendment: { world: () => signedWorld(true), who: 'mandatee', after: { validUntil: null, pendingAmendment: null } },
    refuseAmendment: { world: () => signedWorld(true), who: 'mandatee', after: { validUntil: '2027-12-31', pendingAmendment: null } },
    withdrawAmendment: { world: () => signedWorld(true), who: 'mandator', after: { validUntil: '2027-12-31', pendingAmendment: null } },
    transfer: { world: () => signedWorld(), who: 'mandatee', after: { status: 'signed', successorId: 's9' } },
  };

  for (const kind of KINDS) {
    it(`${kind} from ${TRANSITIONS[kind].from} by ${cases[kind].who}`, () => {
      const { world, who, after } = cases[kind];
      const w = world();
      const before = w.get('m1');
      expect(before.status).toBe(TRANSITIONS[kind].from);
      const events = accepted(w.run(COMMANDS[kind], 'm1', who === 'system' ? 'system' : whoFor(before[who])));
      expect(events[0]).toMatchObject({ mandateId: 'm1', version: before.version + 1, at: w.now.toISOString() });
      expect(w.get('m1')).toMatchObject({ ...after, version: before.version + 1 });
    });
  }
});
