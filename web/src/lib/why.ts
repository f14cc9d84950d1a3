// "Why can't I act?": the server's explanation turned into what the page says — the answer, the facts
// it rests on, and the next steps open to the asker. Pure, so it is unit-tested; the page only words it.
import type { DraftError } from '../wizard/draft.js';
import { finalIdentifierCheck, type PartyKind } from './identifiers.js';
import { sameParty } from './mandates.js';
import type { Explanation, Party, Role } from './types.js';

export type NextStep =
  /** It works: look at the mandate. */
  | { kind: 'view'; mandateId: string }
  /** The missing signature is the asker's own. */
  | { kind: 'sign'; mandateId: string }
  /** Someone else must sign: ask them, before the proposal lapses. */
  | { kind: 'askSign'; party: Party; lapsesAt: string | null }
  /** Signed, not yet in force: nothing to do but wait. */
  | { kind: 'wait'; from: string }
  /** Ended by its end date: renew it on the same terms. */
  | { kind: 'renew'; mandateId: string }
  /** Nothing usable: ask the mandator for a (new) mandate, or propose one for them to sign. */
  | { kind: 'propose'; mandator: Party; type: string }
  /** Held by an enterprise the asker represents: act for it instead. */
  | { kind: 'switch'; enterprise: string };

export interface WhyView {
  allowed: boolean;
  /** The answer's key under `why.answers`. */
  answer: Explanation['code'];
  /** The mandate the answer is about, when there is one. */
  mandateId?: string;
  /** The calendar date in the answer (start, end, stop, refusal …). */
  date?: string;
  /** Who ended it: a party, or the service itself. */
  by?: Party | 'system';
  reason?: string | null;
  /** WRONG_TYPE: the types the asker does hold from this mandator. */
  types?: string[];
  /** WRONG_PARTY: who holds the mandate. */
  holder?: Party;
  next: NextStep[];
}

export interface WhyQuestion {
  mandator: Party;
  type: string;
  /** The party asked about: the person themself, or the enterprise they act for (the would-be mandatee). */
  asker: Party;
}

const byParty = (by: Role | 'system' | null, q: WhyQuestion): Party | 'system' =>
  by === 'mandator' ? q.mandator : by === 'mandatee' ? q.asker : 'system';

export function whyView(explanation: Explanation, q: WhyQuestion): WhyView {
  const propose: NextStep = { kind: 'propose', mandator: q.mandator, type: q.type };
  switch (explanation.code) {
    case 'ACTIVE':
      return {
        allowed: true,
        answer: 'ACTIVE',
        mandateId: explanation.mandateId,
        next: [{ kind: 'view', mandateId: explanation.mandateId }],
      };
    case 'NO_MANDATE':
      return { allowed: false, answer: 'NO_MANDATE', next: [propose] };
    case 'WAITING_FOR_SIGNATURE': {
      const next: NextStep[] = [];
      // The asker is the mandatee: a missing mandatee signature is theirs to give.
      if (explanation.waitingFor.includes('mandatee')) next.push({ kind: 'sign', mandateId: explanation.mandateId });
      if (explanation.waitingFor.includes('mandator')) next.push({ kind: 'askSign', party: q.mandator, lapsesAt: explanation.lapsesAt });
      return { allowed: false, answer: 'WAITING_FOR_SIGNATURE', mandateId: explanation.mandateId, next };
    }
    case 'NOT_YET_VALID':
      return {
        allowed: false,
        answer: 'NOT_YET_VALID',
        mandateId: explanation.mandateId,
        date: explanation.startsOn,
        next: [{ kind: 'wait', from: explanation.startsOn }],
      };
    case 'EXPIRED':
      return {
        allowed: false,
        answer: 'EXPIRED',
        mandateId: explanation.mandateId,
        date: explanation.endedOn,
        next: [{ kind: 'renew', mandateId: explanation.mandateId }],
      };
    case 'STOPPED':
      return {
        allowed: false,
        answer: 'STOPPED',
        mandateId: explanation.mandateId,
        date: explanation.stoppedOn,
        by: byParty(explanation.by, q),
        reason: explanation.reason,
        next: [propose],
      };
    case 'TRANSFERRED':
      return { allowed: false, answer: 'TRANSFERRED', mandateId: explanation.mandateId, date: explanation.on, next: [propose] };
    case 'REFUSED':
    case 'WITHDRAWN':
    case 'LAPSED':
      return {
        allowed: false,
        answer: explanation.code,
        mandateId: explanation.mandateId,
        date: explanation.on,
        by: byParty(explanation.by, q),
        next: [propose],
      };
    case 'WRONG_TYPE':
      return { allowed: false, answer: 'WRONG_TYPE', types: explanation.types, next: [propose] };
    case 'WRONG_PARTY': {
      const holder = explanation.holder;
      const next: NextStep[] =
        holder.kind === 'enterprise' && !sameParty(holder, q.asker) ? [{ kind: 'switch', enterprise: holder.id }] : [propose];
      return { allowed: false, answer: 'WRONG_PARTY', mandateId: explanation.mandateId, holder, next };
    }
  }
}

/** The answers the page knows how to word (any other code is shown as a generic refusal). */
export const WHY_CODES = [
  'ACTIVE',
  'NO_MANDATE',
  'WAITING_FOR_SIGNATURE',
  'NOT_YET_VALID',
  'EXPIRED',
  'STOPPED',
  'TRANSFERRED',
  'REFUSED',
  'WITHDRAWN',
  'LAPSED',
  'WRONG_TYPE',
  'WRONG_PARTY',
] as const;

export const isKnownExplanation = (e: { code: string }): e is Explanation => (WHY_CODES as readonly string[]).includes(e.code);

/** The question as typed: the mandator's kind and number, and the type. */
export interface WhyForm {
  kind?: PartyKind;
  id: string;
  type: string;
}

/** The form's problems (keys of messages), or the question to send. */
export function readWhyForm(
  form: WhyForm,
  asker: Party,
): { ok: true; mandator: Party; type: string } | { ok: false; errors: DraftError[] } {
  const errors: DraftError[] = [];
  let mandator: Party | undefined;
  if (!form.kind) errors.push({ field: 'mandator-kind', key: 'why.form.kindRequired' });
  else {
    const check = finalIdentifierCheck(form.kind, form.id);
    if (check.state === 'empty')
      errors.push({
        field: 'mandator-id',
        key: form.kind === 'person' ? 'wizard.party.idRequiredPerson' : 'wizard.party.idRequiredEnterprise',
      });
    else if (check.state !== 'valid')
      errors.push({ field: 'mandator-id', key: `errors.${check.state === 'invalid' ? check.problem : 'IDENTIFIER_FORMAT'}` });
    else if (sameParty({ kind: form.kind, id: check.value }, asker)) errors.push({ field: 'mandator-id', key: 'why.form.self' });
    else mandator = { kind: form.kind, id: check.value };
  }
  if (!form.type) errors.push({ field: 'type', key: 'why.form.typeRequired' });
  return mandator && errors.length === 0 ? { ok: true, mandator, type: form.type } : { ok: false, errors };
}
