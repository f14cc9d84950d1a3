// Acting on many mandates: selecting per section, which bulk actions a selection allows, the batch
// request each makes, the answers asked first, and a job's progress as shown and announced.
import { describe, expect, it } from 'vitest';
import {
  announcedPercent,
  bulkRequest,
  eligibleBy,
  isJobRunning,
  isSelectableSection,
  jobPercent,
  newIdempotencyKey,
  newMandateeOf,
  sectionSelection,
  setSection,
  toggle,
  validateBulk,
} from '../../web/src/lib/bulk.js';
import type { Mandate } from '../../web/src/lib/types.js';

const A = { kind: 'person' as const, id: '85073003328' };
const B = { kind: 'person' as const, id: '90011512363' };
const ACME = { kind: 'enterprise' as const, id: '0403170701' };

function mandate(id: string, overrides: Partial<Mandate> = {}): Mandate {
  return {
    id,
    type: 'finance.personal-income-tax',
    domain: 'finance',
    mandator: A,
    mandatee: B,
    validFrom: '2026-12-01',
    validUntil: null,
    reference: null,
    language: 'nl',
    status: 'pending',
    state: 'pending',
    waitingFor: ['mandatee'],
    version: 1,
    contentHash: 'h',
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

const waiting = mandate('m1');
const waiting2 = mandate('m2');
const active = mandate('m3', { status: 'signed', state: 'active', waitingFor: [], version: 4 });

describe('selection', () => {
  it('a section is selected not at all, partly or wholly', () => {
    expect(sectionSelection(['m1', 'm2'], new Set())).toBe('none');
    expect(sectionSelection(['m1', 'm2'], new Set(['m1', 'other']))).toBe('some');
    expect(sectionSelection(['m1', 'm2'], new Set(['m1', 'm2']))).toBe('all');
  });

  it('"select all in this section" leaves the other sections alone', () => {
    const start = new Set(['m3']);
    expect([...setSection(start, ['m1', 'm2'], true)].sort()).toEqual(['m1', 'm2', 'm3']);
    expect([...setSection(new Set(['m1', 'm2', 'm3']), ['m1', 'm2'], false)]).toEqual(['m3']);
    expect([...toggle(new Set(['m1']), 'm1')]).toEqual([]);
    expect([...toggle(new Set(['m1']), 'm2')]).toEqual(['m1', 'm2']);
  });

  it('ended mandates cannot be selected', () => {
    expect(isSelectableSection('ended')).toBe(false);
    expect(isSelectableSection('waitingMine')).toBe(true);
  });

  it('each action counts only the selected mandates it can be taken on', () => {
    const items = [
      { mandate: waiting, me: 'mandatee' as const },
      { mandate: waiting2, me: 'mandatee' as const },
      { mandate: active, me: 'mandator' as const },
    ];
    const eligible = eligibleBy(items, new Set(['m1', 'm3']));
    expect(eligible.sign.map((m) => m.id)).toEqual(['m1']);
    expect(eligible.stop.map((m) => m.id)).toEqual(['m3']);
    expect(eligible.transfer.map((m) => m.id)).toEqual(['m3']);
  });
});

describe('the batch request', () => {
  it('signs and stops selected ids, on behalf of the enterprise when acting for one', () => {
    expect(bulkRequest('sign', [waiting, waiting2], { reason: '' }, undefined)).toEqual({ kind: 'sign-selected', ids: ['m1', 'm2'] });
    expect(bulkRequest('stop', [active], { reason: '  moved  ' }, ACME)).toEqual({
      kind: 'stop-selected',
      ids: ['m3'],
      reason: 'moved',
      onBehalfOf: ACME,
    });
    expect(bulkRequest('stop', [active], { reason: ' ' }, undefined)).toMatchObject({ reason: null });
  });

  it('transfers each mandate at the version seen', () => {
    expect(bulkRequest('transfer', [active], { reason: '', newMandatee: ACME }, undefined)).toEqual({
      kind: 'operations',
      operations: [{ op: 'transfer', id: 'm3', version: 4, mandatee: ACME }],
    });
  });

  it('asks a valid new mandatee and a reason of at most 500 characters', () => {
    expect(validateBulk('sign', { reason: '', newId: '' })).toEqual([]);
    expect(validateBulk('stop', { reason: 'x'.repeat(501), newId: '' })[0]?.field).toBe('reason');
    expect(validateBulk('transfer', { reason: '', newId: '' })[0]?.field).toBe('new-kind');
    expect(validateBulk('transfer', { reason: '', newKind: 'enterprise', newId: '' })[0]?.key).toBe('wizard.party.idRequiredEnterprise');
    expect(validateBulk('transfer', { reason: '', newKind: 'enterprise', newId: '0403.170.702' })[0]?.key).toBe(
      'errors.IDENTIFIER_CHECK_DIGIT',
    );
    expect(validateBulk('transfer', { reason: '', newKind: 'enterprise', newId: '0403.170.701' })).toEqual([]);
    expect(newMandateeOf({ reason: '', newKind: 'enterprise', newId: 'BE0403.170.701' })).toEqual(ACME);
  });

  it('makes a fresh idempotency key each time', () => {
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});

describe('progress', () => {
  it('in whole percent, announced by tens', () => {
    expect(jobPercent({ total: 600, processed: 0 })).toBe(0);
    expect(jobPercent({ total: 600, processed: 299 })).toBe(49);
    expect(jobPercent({ total: 600, processed: 600 })).toBe(100);
    expect(jobPercent({ total: 0, processed: 0 })).toBe(100);
    expect(announcedPercent(49)).toBe(40);
    expect(announcedPercent(100)).toBe(100);
  });

  it('a queued or running job is still going', () => {
    expect(isJobRunning({ status: 'queued' })).toBe(true);
    expect(isJobRunning({ status: 'running' })).toBe(true);
    expect(isJobRunning({ status: 'done' })).toBe(false);
    expect(isJobRunning({ status: 'cancelled' })).toBe(false);
  });
});
