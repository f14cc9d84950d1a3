// The answers of an action on a mandate (reason, new end date, new mandatee) and their rules. Pure.
import { type DateParts, latestUntil, parseDateParts } from '../lib/format.js';
import { finalIdentifierCheck, type PartyKind } from '../lib/identifiers.js';
import { amendmentEffect } from '../lib/mandates.js';
import type { Mandate, MandateType, Party } from '../lib/types.js';
import type { DraftError } from '../wizard/draft.js';

export const ACTIONS = ['sign', 'refuse', 'withdraw', 'stop', 'amend', 'transfer'] as const;
export type ActionName = (typeof ACTIONS)[number];
export const isAction = (value: unknown): value is ActionName => ACTIONS.includes(value as ActionName);

/** Actions that ask something before the check page; the others go straight to it. */
export const HAS_FORM: Record<ActionName, boolean> = {
  sign: false,
  withdraw: false,
  refuse: true,
  stop: true,
  amend: true,
  transfer: true,
};

export interface ActionDraft {
  reason: string;
  duration?: 'unlimited' | 'until';
  until: DateParts;
  newKind?: PartyKind;
  newId: string;
}

export const emptyActionDraft = (): ActionDraft => ({ reason: '', until: { day: '', month: '', year: '' }, newId: '' });

/** The end date asked for, or null for unlimited; undefined when not (validly) answered. */
export function newUntilOf(draft: ActionDraft, type: MandateType | undefined): string | null | undefined {
  const duration = type && !type.unlimitedAllowed ? 'until' : draft.duration;
  if (duration === 'unlimited') return null;
  if (duration !== 'until') return undefined;
  const parsed = parseDateParts(draft.until);
  return parsed.ok ? parsed.value : undefined;
}

export function newMandateeKinds(type: MandateType | undefined): PartyKind[] {
  return type?.mandateeKinds ?? ['person', 'enterprise'];
}

export function newMandateeOf(draft: ActionDraft, type: MandateType | undefined): Party | undefined {
  const kinds = newMandateeKinds(type);
  const kind = kinds.length === 1 ? kinds[0] : draft.newKind && kinds.includes(draft.newKind) ? draft.newKind : undefined;
  if (!kind) return undefined;
  const check = finalIdentifierCheck(kind, draft.newId);
  return check.state === 'valid' ? { kind, id: check.value } : undefined;
}

export function validateAction(
  action: ActionName,
  draft: ActionDraft,
  mandate: Mandate,
  type: MandateType | undefined,
  today: string,
): DraftError[] {
  switch (action) {
    case 'refuse':
    case 'stop':
      return draft.reason.length > 500 ? [{ field: 'reason', key: 'errors.REASON_TOO_LONG' }] : [];
    case 'amend': {
      const duration = type && !type.unlimitedAllowed ? 'until' : draft.duration;
      if (!duration) return [{ field: 'duration', key: 'wizard.validity.durationRequired' }];
      if (duration === 'until') {
        const parsed = parseDateParts(draft.until);
        if (!parsed.ok) {
          const what = parsed.problem === 'missing' ? 'date.untilWhat' : 'date.untilSubject';
          return [{ field: 'new-until', key: `date.${parsed.problem}`, keyParams: { what } }];
        }
        if (parsed.value < today) return [{ field: 'new-until', key: 'date.past', keyParams: { what: 'date.untilSubject' } }];
        if (parsed.value < mandate.validFrom) return [{ field: 'new-until', key: 'date.beforeStart' }];
        if (type?.maxDurationMonths && parsed.value > latestUntil(mandate.validFrom, type.maxDurationMonths)) {
          return [{ field: 'new-until', key: 'date.tooLate', params: { date: latestUntil(mandate.validFrom, type.maxDurationMonths) } }];
        }
      }
      const until = newUntilOf(draft, type);
      if (until !== undefined && amendmentEffect(mandate.validUntil, until) === 'same') {
        return [{ field: duration === 'until' ? 'new-until' : 'duration', key: 'actions.amendPage.same' }];
      }
      return [];
    }
    case 'transfer': {
      const kinds = newMandateeKinds(type);
      const kind = kinds.length === 1 ? kinds[0] : draft.newKind && kinds.includes(draft.newKind) ? draft.newKind : undefined;
      if (!kind) return [{ field: 'new-kind', key: 'wizard.party.kindRequired' }];
      const check = finalIdentifierCheck(kind, draft.newId);
      if (check.state === 'empty')
        return [{ field: 'new-id', key: kind === 'person' ? 'wizard.party.idRequiredPerson' : 'wizard.party.idRequiredEnterprise' }];
      if (check.state !== 'valid')
        return [{ field: 'new-id', key: `errors.${check.state === 'invalid' ? check.problem : 'IDENTIFIER_FORMAT'}` }];
      if (kind === mandate.mandatee.kind && check.value === mandate.mandatee.id)
        return [{ field: 'new-id', key: 'errors.TRANSFER_SAME_MANDATEE' }];
      if (kind === mandate.mandator.kind && check.value === mandate.mandator.id)
        return [{ field: 'new-id', key: 'errors.PARTIES_IDENTICAL' }];
      return [];
    }
    default:
      return [];
  }
}

/** Where an API problem's field is answered on an action's check page (the id of its Change link). */
export function actionFieldLink(action: ActionName, field: string | undefined): string | undefined {
  if (action === 'amend' && (field === 'validUntil' || field === 'validFrom')) return 'change-new-until';
  if (action === 'transfer' && field?.startsWith('mandatee')) return 'change-new-mandatee';
  if ((action === 'refuse' || action === 'stop') && field === 'reason') return 'change-reason';
  return undefined;
}
