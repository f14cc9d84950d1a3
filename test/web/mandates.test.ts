// What the dashboard and the detail page derive from a mandate: its section, the actions offered,
// whether an amendment narrows or widens, search, and whose eyes the person looks through.
import { describe, expect, it } from 'vitest';
import { validateAction } from '../../web/src/actions/action-draft.js';
import { amendmentEffect, availableActions, matchesSearch, sectionOf, viewerParty } from '../../web/src/lib/mandates.js';
import type { Mandate, MandateType } from '../../web/src/lib/types.js';

const A = { kind: 'person' as const, id: '85073003328' };
const B = { kind: 'person' as const, id: '90011512363' };
const ACME = { kind: 'enterprise' as const, id: '0403170701' };

function mandate(overrides: Partial<Mandate> = {}): Mandate {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type: 'finance.personal-income-tax',
    domain: 'finance',
    mandator: A,
    mandatee: B,
    validFrom: '2026-12-01',
    validUntil: null,
    reference: 'file 42',
    language: 'nl',
    status: 'pending',
    state: 'pending',
    waitingFor: ['mandatee'],
    version: 1,
    contentHash: 'h1',
    signatures: [],
    pendingAmendment: null,
    proposalExpiresAt: null,
    predecessorId: null,
    successorId: null,
    createdAt: '2026-12-01T10:00:00Z',
    updatedAt: '2026-12-01T10:00:00Z',
    endedAt: null,
    endedBy: null,
    endReason: null,
    ...overrides,
  };
}
const active = (o: Partial<Mandate> = {}) => mandate({ status: 'signed', state: 'active', waitingFor: [], version: 2, ...o });

describe('dashboard sections', () => {
  it('puts a proposal under "waiting for my signature" for the party that must sign, "waiting for the other party" for the other', () => {
    expect(sectionOf(mandate(), 'mandatee')).toBe('waitingMine');
    expect(sectionOf(mandate(), 'mandator')).toBe('waitingOther');
  });

  it('treats a pending amendment like a proposal, and a pending transfer as its own section', () => {
    const amended = active({
      pendingAmendment: { validFrom: '2026-12-01', validUntil: null, proposedBy: 'mandator', contentHash: 'h2', at: '' },
      waitingFor: ['mandatee'],
    });
    expect(sectionOf(amended, 'mandatee')).toBe('waitingMine');
    expect(sectionOf(amended, 'mandator')).toBe('waitingOther');
    expect(sectionOf(active({ successorId: 'next' }), 'mandator')).toBe('transfer');
  });

  it('files in-force mandates as active and every ending as ended', () => {
    expect(sectionOf(active(), 'mandator')).toBe('active');
    expect(sectionOf(active({ state: 'scheduled' }), 'mandator')).toBe('active');
    for (const state of ['expired', 'refused', 'withdrawn', 'lapsed', 'stopped', 'transferred'] as const) {
      expect(sectionOf(mandate({ state, waitingFor: [] }), 'mandator')).toBe('ended');
    }
  });
});

describe('available actions', () => {
  it('lets the missing signer sign or refuse, and the proposer withdraw', () => {
    expect(availableActions(mandate(), 'mandatee')).toEqual(['sign', 'refuse']);
    expect(availableActions(mandate(), 'mandator')).toEqual(['withdraw']);
  });

  it('offers amend, transfer and stop on an active mandate to either party', () => {
    expect(availableActions(active(), 'mandator')).toEqual(['amend', 'transfer', 'stop']);
    expect(availableActions(active(), 'mandatee')).toEqual(['amend', 'transfer', 'stop']);
  });

  it('offers no second amendment or transfer while one is pending', () => {
    const amended = active({
      pendingAmendment: { validFrom: '2026-12-01', validUntil: null, proposedBy: 'mandator', contentHash: 'h2', at: '' },
      waitingFor: ['mandatee'],
    });
    expect(availableActions(amended, 'mandatee')).toEqual(['sign', 'refuse', 'transfer', 'stop']);
    expect(availableActions(amended, 'mandator')).toEqual(['withdraw', 'transfer', 'stop']);
    expect(availableActions(active({ successorId: 'next' }), 'mandator')).toEqual(['amend', 'stop']);
  });

  it('offers nothing on an ended mandate', () => {
    expect(availableActions(mandate({ status: 'stopped', state: 'stopped', waitingFor: [] }), 'mandator')).toEqual([]);
    expect(availableActions(active({ state: 'expired' }), 'mandator')).toEqual([]);
  });

  it('offers a transfer successor that waits for both to both (none withdraw)', () => {
    const successor = mandate({ waitingFor: ['mandator', 'mandatee'], predecessorId: 'old' });
    expect(availableActions(successor, 'mandator')).toEqual(['sign', 'refuse']);
  });
});

describe('amendments', () => {
  it('narrows with an earlier end, widens with a later or no end', () => {
    expect(amendmentEffect('2027-12-31', '2027-06-30')).toBe('narrows');
    expect(amendmentEffect(null, '2027-06-30')).toBe('narrows');
    expect(amendmentEffect('2027-06-30', '2027-12-31')).toBe('widens');
    expect(amendmentEffect('2027-06-30', null)).toBe('widens');
    expect(amendmentEffect('2027-06-30', '2027-06-30')).toBe('same');
  });

  it('validates the new end date before the check page', () => {
    const type: MandateType = {
      id: 'flanders.service-vouchers',
      domain: 'flanders',
      label: { nl: '', fr: '', de: '', en: '' },
      description: { nl: '', fr: '', de: '', en: '' },
      mandatorKinds: ['person'],
      mandateeKinds: ['person'],
      unlimitedAllowed: false,
      maxDurationMonths: 24,
      sensitive: false,
    };
    const m = active({ validUntil: '2027-06-30' });
    const draft = (day: string, month: string, year: string) => ({ reason: '', newId: '', until: { day, month, year } });
    expect(validateAction('amend', draft('30', '6', '2027'), m, type, '2026-12-05')).toEqual([
      { field: 'new-until', key: 'actions.amendPage.same' },
    ]);
    expect(validateAction('amend', draft('1', '12', '2026'), m, type, '2026-12-05')[0]?.key).toBe('date.past');
    expect(validateAction('amend', draft('1', '12', '2028'), m, type, '2026-12-05')[0]?.key).toBe('date.tooLate');
    expect(validateAction('amend', draft('31', '3', '2027'), m, type, '2026-12-05')).toEqual([]);
  });

  it('validates a transfer: a valid, different new mandatee', () => {
    const m = active();
    const to = (newId: string) => ({ reason: '', newId, newKind: 'person' as const, until: { day: '', month: '', year: '' } });
    expect(validateAction('transfer', to(''), m, undefined, '2026-12-05')[0]?.key).toBe('wizard.party.idRequiredPerson');
    expect(validateAction('transfer', to(B.id), m, undefined, '2026-12-05')[0]?.key).toBe('errors.TRANSFER_SAME_MANDATEE');
    expect(validateAction('transfer', to(A.id), m, undefined, '2026-12-05')[0]?.key).toBe('errors.PARTIES_IDENTICAL');
    expect(validateAction('transfer', to('77123145624'), m, undefined, '2026-12-05')).toEqual([]);
  });
});

describe('search and viewer', () => {
  it('finds by counterparty number in any format, type label or reference', () => {
    const m = mandate();
    expect(matchesSearch(m, 'mandator', '90.01.15-123.63', 'Personal income tax')).toBe(true);
    expect(matchesSearch(m, 'mandator', 'income', 'Personal income tax')).toBe(true);
    expect(matchesSearch(m, 'mandator', 'FILE 42', 'Personal income tax')).toBe(true);
    expect(matchesSearch(m, 'mandator', 'vat', 'Personal income tax')).toBe(false);
    // Searching one's own number does not match every mandate.
    expect(matchesSearch(m, 'mandator', A.id, 'Personal income tax')).toBe(false);
  });

  it('looks at a mandate as the acting party when it is a party, else as the person or their enterprise', () => {
    const m = mandate({ mandatee: ACME });
    expect(viewerParty(m, A, [ACME.id], ACME)).toEqual(ACME);
    expect(viewerParty(m, A, [ACME.id], A)).toEqual(A);
    expect(viewerParty(mandate({ mandator: B, mandatee: ACME }), A, [ACME.id], A)).toEqual(ACME);
    expect(viewerParty(mandate({ mandator: B, mandatee: ACME }), A, [], A)).toBeUndefined();
  });
});
