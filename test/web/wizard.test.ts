// The create wizard's rules: which steps apply, what each step requires, and the request they make.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalogue, Party } from '../../web/src/lib/types.js';
import {
  type Draft,
  emptyDraft,
  firstIncompleteStep,
  locateApiField,
  stepsFor,
  toCreateBody,
  typesFor,
  validateStep,
  type WizardContext,
} from '../../web/src/wizard/draft.js';

const catalogue = JSON.parse(readFileSync(join(import.meta.dirname, '../../catalogue/catalogue.json'), 'utf8')) as Catalogue;
const AN: Party = { kind: 'person', id: '85073003328' };
const CLAES: Party = { kind: 'enterprise', id: '0403170701' };
const ctx = (acting: Party = AN): WizardContext => ({ catalogue, acting, today: '2026-12-05' });
const draft = (change: Partial<Draft>, acting: Party = AN): Draft => ({ ...emptyDraft(acting, '2026-12-05', 'nl'), ...change });

describe('steps', () => {
  it('asks the role only when the type lets the acting party give or receive it', () => {
    expect(stepsFor(draft({ domain: 'finance', type: 'finance.myminfin' }), ctx())).toContain('role');
    // A person can only receive a corporate income tax mandate (an enterprise gives it): no role question.
    expect(stepsFor(draft({ domain: 'finance', type: 'finance.corporate-income-tax' }), ctx())).not.toContain('role');
  });

  it('offers only the types the acting party can take part in', () => {
    const forPerson = typesFor(catalogue, 'finance', 'person').map((t) => t.id);
    expect(forPerson).toContain('finance.personal-income-tax');
    expect(forPerson).not.toContain('finance.beps13');
    expect(typesFor(catalogue, 'finance', 'enterprise').map((t) => t.id)).toContain('finance.beps13');
  });

  it('sends the user back to the first unanswered question', () => {
    expect(firstIncompleteStep(draft({}), ctx())).toBe('domain');
    expect(firstIncompleteStep(draft({ domain: 'finance' }), ctx())).toBe('type');
    expect(firstIncompleteStep(draft({ domain: 'finance', type: 'finance.personal-income-tax' }), ctx())).toBe('role');
    expect(firstIncompleteStep(draft({ domain: 'finance', type: 'finance.corporate-income-tax' }), ctx())).toBe('party');
  });
});

describe('step validation', () => {
  it('needs a valid, other party number', () => {
    const base = { domain: 'finance', type: 'finance.personal-income-tax', role: 'mandator' as const, otherKind: 'person' as const };
    expect(validateStep('party', draft({ ...base, otherId: '' }), ctx())).toEqual([
      { field: 'other-id', key: 'wizard.party.idRequiredPerson' },
    ]);
    expect(validateStep('party', draft({ ...base, otherId: '85073003329' }), ctx())).toEqual([
      { field: 'other-id', key: 'errors.IDENTIFIER_CHECK_DIGIT' },
    ]);
    expect(validateStep('party', draft({ ...base, otherId: '85.07.30-033.28' }), ctx())).toEqual([
      { field: 'other-id', key: 'wizard.party.yourself' },
    ]);
    expect(validateStep('party', draft({ ...base, otherId: '62021415166' }), ctx())).toEqual([]);
  });

  it('checks dates: start today or later, end after start and within the type’s cap', () => {
    const base = { domain: 'flanders', type: 'flanders.service-vouchers' }; // at most 24 months, no unlimited
    const fromToday = { day: '5', month: '12', year: '2026' };
    expect(
      validateStep(
        'validity',
        draft({ ...base, from: { day: '4', month: '12', year: '2026' }, until: { day: '1', month: '1', year: '2027' } }),
        ctx(),
      )[0],
    ).toMatchObject({
      field: 'valid-from',
      key: 'date.past',
    });
    expect(validateStep('validity', draft({ ...base, from: fromToday, until: { day: '', month: '', year: '' } }), ctx())[0]).toMatchObject({
      field: 'valid-until',
      key: 'date.missing',
    });
    expect(validateStep('validity', draft({ ...base, from: fromToday, until: { day: '5', month: '12', year: '2028' } }), ctx())[0]).toEqual(
      {
        field: 'valid-until',
        key: 'date.tooLate',
        params: { date: '2028-12-04' },
      },
    );
    expect(validateStep('validity', draft({ ...base, from: fromToday, until: { day: '4', month: '12', year: '2028' } }), ctx())).toEqual(
      [],
    );
  });

  it('asks how long when unlimited is allowed', () => {
    const base = { domain: 'finance', type: 'finance.personal-income-tax' };
    expect(validateStep('validity', draft(base), ctx())).toEqual([{ field: 'duration', key: 'wizard.validity.durationRequired' }]);
    expect(validateStep('validity', draft({ ...base, duration: 'unlimited' }), ctx())).toEqual([]);
  });
});

describe('the request', () => {
  it('puts the acting party in its role and the other opposite, digits only', () => {
    const complete = draft({
      domain: 'finance',
      type: 'finance.personal-income-tax',
      role: 'mandator',
      otherKind: 'person',
      otherId: '62.02.14-151.66',
      duration: 'unlimited',
      reference: ' dossier 7 ',
    });
    expect(firstIncompleteStep(complete, ctx())).toBeUndefined();
    expect(toCreateBody(complete, ctx())).toEqual({
      type: 'finance.personal-income-tax',
      mandator: AN,
      mandatee: { kind: 'person', id: '62021415166' },
      validFrom: '2026-12-05',
      validUntil: null,
      reference: 'dossier 7',
      language: 'nl',
    });
  });

  it('acts on behalf of an enterprise when the enterprise is the acting party', () => {
    const complete = draft(
      {
        domain: 'finance',
        type: 'finance.personal-income-tax',
        role: 'mandatee',
        otherKind: 'person',
        otherId: '85073003328',
        duration: 'until',
        until: { day: '31', month: '12', year: '2027' },
      },
      CLAES,
    );
    const body = toCreateBody(complete, ctx(CLAES));
    expect(body).toMatchObject({ mandator: AN, mandatee: CLAES, validUntil: '2027-12-31', onBehalfOf: CLAES, reference: null });
  });

  it('maps API problem fields to the question that answers them', () => {
    expect(locateApiField('mandatee.id')).toEqual({ step: 'party', input: 'other-id' });
    expect(locateApiField('validUntil')).toEqual({ step: 'validity', input: 'valid-until' });
    expect(locateApiField('If-Match')).toBeUndefined();
  });
});
