// The create-mandate wizard's answers and their rules, kept pure: which steps apply, what each step
// requires, and the request body they add up to. The pages only render and navigate.
import type { CreateMandateBody } from '../lib/api.js';
import { type DateParts, type Language, latestUntil, parseDateParts } from '../lib/format.js';
import { finalIdentifierCheck, type PartyKind } from '../lib/identifiers.js';
import type { Catalogue, MandateType, Party, Role } from '../lib/types.js';

export interface Draft {
  /** The party the draft was started for (`person:…` / `enterprise:…`): switching party starts afresh. */
  actingFor: string;
  domain?: string;
  type?: string;
  role?: Role;
  otherKind?: PartyKind;
  otherId: string;
  from: DateParts;
  duration?: 'unlimited' | 'until';
  until: DateParts;
  reference: string;
  language?: Language;
}

export const STEPS = ['domain', 'type', 'role', 'party', 'validity', 'details', 'check'] as const;
export type Step = (typeof STEPS)[number];
export const isStep = (value: unknown): value is Step => STEPS.includes(value as Step);

/** A validation problem: the input it concerns, the message key and its parameters (`keyParams` are keys themselves). */
export interface DraftError {
  field: string;
  key: string;
  params?: Record<string, string | number>;
  keyParams?: Record<string, string>;
}

export interface WizardContext {
  catalogue: Catalogue;
  acting: Party;
  /** Today in Brussels, YYYY-MM-DD. */
  today: string;
}

export const partyKey = (p: Party) => `${p.kind}:${p.id}`;

export function emptyDraft(acting: Party, today: string, language: Language): Draft {
  const [y, m, d] = today.split('-');
  return {
    actingFor: partyKey(acting),
    otherId: '',
    from: { day: String(Number(d)), month: String(Number(m)), year: y ?? '' },
    until: { day: '', month: '', year: '' },
    reference: '',
    language,
  };
}

/** Types of a domain in which the acting party can take part, in one role or the other. */
export function typesFor(catalogue: Catalogue, domain: string, myKind: PartyKind): MandateType[] {
  return catalogue.types.filter((t) => t.domain === domain && rolesFor(t, myKind).length > 0);
}

/** The roles the acting party may have in a mandate of this type. */
export function rolesFor(type: MandateType, myKind: PartyKind): Role[] {
  const roles: Role[] = [];
  if (type.mandatorKinds.includes(myKind)) roles.push('mandator');
  if (type.mandateeKinds.includes(myKind)) roles.push('mandatee');
  return roles;
}

const typeOf = (draft: Draft, ctx: WizardContext) => ctx.catalogue.types.find((t) => t.id === draft.type && t.domain === draft.domain);

/** The role of the acting party: asked when both are possible, implied otherwise. */
export function roleOf(draft: Draft, ctx: WizardContext): Role | undefined {
  const type = typeOf(draft, ctx);
  if (!type) return undefined;
  const roles = rolesFor(type, ctx.acting.kind);
  if (roles.length === 1) return roles[0];
  return draft.role && roles.includes(draft.role) ? draft.role : undefined;
}

/** The kinds the other party may be, given the type and the acting party's role. */
export function otherKinds(draft: Draft, ctx: WizardContext): PartyKind[] {
  const type = typeOf(draft, ctx);
  const role = roleOf(draft, ctx);
  if (!type || !role) return [];
  return role === 'mandator' ? type.mandateeKinds : type.mandatorKinds;
}

export function otherKindOf(draft: Draft, ctx: WizardContext): PartyKind | undefined {
  const kinds = otherKinds(draft, ctx);
  if (kinds.length === 1) return kinds[0];
  return draft.otherKind && kinds.includes(draft.otherKind) ? draft.otherKind : undefined;
}

/** The steps that apply: the role question only when the type allows both roles. */
export function stepsFor(draft: Draft, ctx: WizardContext): Step[] {
  const type = typeOf(draft, ctx);
  const askRole = !type || rolesFor(type, ctx.acting.kind).length === 2;
  return STEPS.filter((s) => s !== 'role' || askRole);
}

function dateErrors(parts: DateParts, field: string, which: 'from' | 'until'): { value?: string; errors: DraftError[] } {
  const parsed = parseDateParts(parts);
  if (parsed.ok) return { value: parsed.value, errors: [] };
  const what =
    which === 'from'
      ? parsed.problem === 'missing'
        ? 'date.fromWhat'
        : 'date.fromSubject'
      : parsed.problem === 'missing'
        ? 'date.untilWhat'
        : 'date.untilSubject';
  return { errors: [{ field, key: `date.${parsed.problem}`, keyParams: { what } }] };
}

export function validateStep(step: Step, draft: Draft, ctx: WizardContext): DraftError[] {
  switch (step) {
    case 'domain':
      return ctx.catalogue.domains.some((d) => d.id === draft.domain) ? [] : [{ field: 'domain', key: 'wizard.domain.required' }];
    case 'type':
      return typeOf(draft, ctx) && typesFor(ctx.catalogue, draft.domain ?? '', ctx.acting.kind).some((t) => t.id === draft.type)
        ? []
        : [{ field: 'type', key: 'wizard.type.required' }];
    case 'role':
      return roleOf(draft, ctx) ? [] : [{ field: 'role', key: 'wizard.role.required' }];
    case 'party': {
      const kind = otherKindOf(draft, ctx);
      if (!kind) return [{ field: 'other-kind', key: 'wizard.party.kindRequired' }];
      const check = finalIdentifierCheck(kind, draft.otherId);
      if (check.state === 'empty')
        return [{ field: 'other-id', key: kind === 'person' ? 'wizard.party.idRequiredPerson' : 'wizard.party.idRequiredEnterprise' }];
      if (check.state !== 'valid')
        return [{ field: 'other-id', key: `errors.${check.state === 'invalid' ? check.problem : 'IDENTIFIER_FORMAT'}` }];
      if (kind === ctx.acting.kind && check.value === ctx.acting.id) return [{ field: 'other-id', key: 'wizard.party.yourself' }];
      return [];
    }
    case 'validity': {
      const type = typeOf(draft, ctx);
      const errors: DraftError[] = [];
      const from = dateErrors(draft.from, 'valid-from', 'from');
      errors.push(...from.errors);
      if (from.value && from.value < ctx.today)
        errors.push({ field: 'valid-from', key: 'date.past', keyParams: { what: 'date.fromSubject' } });
      const duration = type && !type.unlimitedAllowed ? 'until' : draft.duration;
      if (!duration) {
        errors.push({ field: 'duration', key: 'wizard.validity.durationRequired' });
      } else if (duration === 'until') {
        const until = dateErrors(draft.until, 'valid-until', 'until');
        errors.push(...until.errors);
        if (until.value && from.value) {
          if (until.value < from.value) errors.push({ field: 'valid-until', key: 'date.beforeStart' });
          else if (type?.maxDurationMonths && until.value > latestUntil(from.value, type.maxDurationMonths)) {
            errors.push({ field: 'valid-until', key: 'date.tooLate', params: { date: latestUntil(from.value, type.maxDurationMonths) } });
          }
        }
      }
      return errors;
    }
    case 'details':
      return [
        ...(draft.reference.length > 500 ? [{ field: 'reference', key: 'wizard.details.referenceTooLong' }] : []),
        ...(draft.language ? [] : [{ field: 'language', key: 'errors.LANGUAGE_UNKNOWN' }]),
      ];
    case 'check':
      return [];
  }
}

/** The first step whose answers are missing or wrong (before `upTo`, if given). */
export function firstIncompleteStep(draft: Draft, ctx: WizardContext, upTo?: Step): Step | undefined {
  for (const step of stepsFor(draft, ctx)) {
    if (step === upTo) return undefined;
    if (validateStep(step, draft, ctx).length > 0) return step;
  }
  return undefined;
}

/** The date the validity ends (YYYY-MM-DD), or null for unlimited. */
export function untilOf(draft: Draft, ctx: WizardContext): string | null {
  const type = typeOf(draft, ctx);
  const duration = type && !type.unlimitedAllowed ? 'until' : draft.duration;
  if (duration !== 'until') return null;
  const parsed = parseDateParts(draft.until);
  return parsed.ok ? parsed.value : null;
}

export function otherParty(draft: Draft, ctx: WizardContext): Party | undefined {
  const kind = otherKindOf(draft, ctx);
  if (!kind) return undefined;
  const check = finalIdentifierCheck(kind, draft.otherId);
  return check.state === 'valid' ? { kind, id: check.value } : undefined;
}

/** The request body of POST /api/v1/mandates; only for a complete draft. */
export function toCreateBody(draft: Draft, ctx: WizardContext): CreateMandateBody {
  const role = roleOf(draft, ctx);
  const other = otherParty(draft, ctx);
  const from = parseDateParts(draft.from);
  if (!draft.type || !role || !other || !from.ok || !draft.language) throw new Error('incomplete draft');
  return {
    type: draft.type,
    mandator: role === 'mandator' ? ctx.acting : other,
    mandatee: role === 'mandator' ? other : ctx.acting,
    validFrom: from.value,
    validUntil: untilOf(draft, ctx),
    reference: draft.reference.trim() === '' ? null : draft.reference.trim(),
    language: draft.language,
    ...(ctx.acting.kind === 'enterprise' ? { onBehalfOf: ctx.acting } : {}),
  };
}

/** Where an API problem's field is answered: the step and the input. */
export function locateApiField(field: string | undefined): { step: Step; input: string } | undefined {
  if (!field) return undefined;
  if (field === 'type') return { step: 'type', input: 'type' };
  if (/^(mandator|mandatee)(\.|$)/.test(field)) return { step: 'party', input: 'other-id' };
  if (field === 'validFrom') return { step: 'validity', input: 'valid-from' };
  if (field === 'validUntil') return { step: 'validity', input: 'valid-until' };
  if (field === 'reference') return { step: 'details', input: 'reference' };
  if (field === 'language') return { step: 'details', input: 'language' };
  return undefined;
}
