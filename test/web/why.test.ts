// "Why can't I act?": each explanation of the server becomes the answer, its facts and the next steps;
// the form says what is missing or wrong before anything is asked.
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../web/src/lib/types.js';
import { isKnownExplanation, readWhyForm, WHY_CODES, whyView } from '../../web/src/lib/why.js';

const ME = { kind: 'person' as const, id: '85073003328' };
const JOZEF = { kind: 'person' as const, id: '90011512363' };
const ACME = { kind: 'enterprise' as const, id: '0403170701' };
const ID = '00000000-0000-4000-8000-000000000001';
const question = { mandator: JOZEF, type: 'finance.personal-income-tax', asker: ME };

describe('the answer to "why can\'t I act?"', () => {
  it('an active mandate: yes, and a way to look at it', () => {
    expect(whyView({ code: 'ACTIVE', mandateId: ID }, question)).toEqual({
      allowed: true,
      answer: 'ACTIVE',
      mandateId: ID,
      next: [{ kind: 'view', mandateId: ID }],
    });
  });

  it('waiting for the mandator: ask them to sign before it lapses', () => {
    const view = whyView(
      { code: 'WAITING_FOR_SIGNATURE', mandateId: ID, waitingFor: ['mandator'], lapsesAt: '2027-01-30T10:00:00Z' },
      question,
    );
    expect(view.allowed).toBe(false);
    expect(view.next).toEqual([{ kind: 'askSign', party: JOZEF, lapsesAt: '2027-01-30T10:00:00Z' }]);
  });

  it('waiting for the asker (the mandatee): sign it', () => {
    const view = whyView({ code: 'WAITING_FOR_SIGNATURE', mandateId: ID, waitingFor: ['mandatee'], lapsesAt: null }, question);
    expect(view.next).toEqual([{ kind: 'sign', mandateId: ID }]);
  });

  it('not yet valid: wait until it starts', () => {
    const view = whyView({ code: 'NOT_YET_VALID', mandateId: ID, startsOn: '2027-03-01' }, question);
    expect(view).toMatchObject({ date: '2027-03-01', next: [{ kind: 'wait', from: '2027-03-01' }] });
  });

  it('expired: renew it on the same terms', () => {
    const view = whyView({ code: 'EXPIRED', mandateId: ID, endedOn: '2026-12-31' }, question);
    expect(view).toMatchObject({ date: '2026-12-31', next: [{ kind: 'renew', mandateId: ID }] });
  });

  it('stopped: who stopped it (as a party), when, why; propose a new one', () => {
    const byMandator = whyView({ code: 'STOPPED', mandateId: ID, stoppedOn: '2026-12-02', by: 'mandator', reason: 'done' }, question);
    expect(byMandator).toMatchObject({ by: JOZEF, reason: 'done', date: '2026-12-02' });
    expect(byMandator.next).toEqual([{ kind: 'propose', mandator: JOZEF, type: question.type }]);
    expect(whyView({ code: 'STOPPED', mandateId: ID, stoppedOn: '2026-12-02', by: 'mandatee', reason: null }, question).by).toEqual(ME);
  });

  it('refused, withdrawn, lapsed and transferred ones: propose anew', () => {
    for (const code of ['REFUSED', 'WITHDRAWN', 'LAPSED'] as const) {
      const view = whyView({ code, mandateId: ID, on: '2026-12-03', by: code === 'LAPSED' ? 'system' : 'mandator' }, question);
      expect(view).toMatchObject({ answer: code, date: '2026-12-03', next: [{ kind: 'propose' }] });
    }
    expect(whyView({ code: 'LAPSED', mandateId: ID, on: '2026-12-03', by: 'system' }, question).by).toBe('system');
    const transferred = whyView({ code: 'TRANSFERRED', mandateId: ID, on: '2026-12-04', successorId: null, to: null }, question);
    expect(transferred).toMatchObject({ answer: 'TRANSFERRED', date: '2026-12-04' });
  });

  it('wrong type: the types held are listed', () => {
    expect(whyView({ code: 'WRONG_TYPE', types: ['finance.myminfin'] }, question)).toMatchObject({ types: ['finance.myminfin'] });
  });

  it('held by an enterprise the asker represents: switch to acting for it', () => {
    const view = whyView({ code: 'WRONG_PARTY', holder: ACME, mandateId: ID }, question);
    expect(view).toMatchObject({ holder: ACME, next: [{ kind: 'switch', enterprise: ACME.id }] });
  });

  it('no mandate at all: propose one', () => {
    expect(whyView({ code: 'NO_MANDATE' }, question).next).toEqual([{ kind: 'propose', mandator: JOZEF, type: question.type }]);
  });

  it('knows every code of the server and no other', () => {
    expect(WHY_CODES).toHaveLength(12);
    expect(isKnownExplanation({ code: 'EXPIRED' })).toBe(true);
    expect(isKnownExplanation({ code: 'SOMETHING_NEW' } as unknown as Explanation)).toBe(false);
  });
});

describe('the question form', () => {
  it('asks for the kind, a valid number and a type', () => {
    const empty = readWhyForm({ id: '', type: '' }, ME);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors.map((e) => e.field)).toEqual(['mandator-kind', 'type']);
    const bad = readWhyForm({ kind: 'person', id: '90.01.15-123.64', type: 'finance.myminfin' }, ME);
    expect(!bad.ok && bad.errors).toEqual([{ field: 'mandator-id', key: 'errors.IDENTIFIER_CHECK_DIGIT' }]);
    const short = readWhyForm({ kind: 'enterprise', id: '0403', type: 'finance.myminfin' }, ME);
    expect(!short.ok && short.errors[0]?.key).toBe('errors.IDENTIFIER_FORMAT');
  });

  it('refuses asking about oneself', () => {
    const self = readWhyForm({ kind: 'person', id: '85.07.30-033.28', type: 'finance.myminfin' }, ME);
    expect(!self.ok && self.errors).toEqual([{ field: 'mandator-id', key: 'why.form.self' }]);
  });

  it('gives the mandator as digits', () => {
    expect(readWhyForm({ kind: 'enterprise', id: 'BE 0403.170.701', type: 'finance.vat' }, ME)).toEqual({
      ok: true,
      mandator: ACME,
      type: 'finance.vat',
    });
  });
});
