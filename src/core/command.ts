// Commands, the context `decide` needs, and the small rules shared by every command.
import type { CatalogueIndex, MandateType } from './catalogue.js';
import type { CalendarDate } from './dates.js';
import type { EventActor, MandateEvent } from './events.js';
import { isLive, type Mandate, type Role, type SignatureRecord, validitiesOverlap } from './mandate.js';
import type { Language, Party } from './party.js';
import { type Refusal, refusal } from './refusal.js';
import type { Validity } from './validity.js';

/** The authenticated person behind a command, or the system (scheduler). */
export type Actor = { kind: 'person'; id: string; authTime: string; authLevel: string | null } | { kind: 'system' };

export interface CreateInput {
  type: string;
  mandator: Party;
  mandatee: Party;
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
  reference: string | null;
  language: Language;
}

export type Command =
  | { kind: 'create'; id: string; input: CreateInput }
  | { kind: 'sign' }
  | { kind: 'refuse'; reason: string | null }
  | { kind: 'withdraw' }
  | { kind: 'lapse' }
  | { kind: 'stop'; reason: string | null }
  | { kind: 'amend'; validFrom?: CalendarDate; validUntil?: CalendarDate | null }
  | { kind: 'signAmendment' }
  | { kind: 'refuseAmendment' }
  | { kind: 'withdrawAmendment' }
  | { kind: 'transfer'; successorId: string; newMandatee: Party };
export type CommandKind = Command['kind'];

export interface DecideContext {
  now: Date;
  catalogue: CatalogueIndex;
  actor: Actor;
  /** The party the actor acts for; ignored for the system. */
  as: Party | null;
  /** Enterprises the actor may represent (only those relevant to the command need be present). */
  represents: ReadonlySet<string>;
  /** Version the caller last saw (If-Match); stale means refusal. */
  expectedVersion?: number;
  /** Mandates linked to the target (its predecessor or successor), by id. */
  linked: ReadonlyMap<string, Mandate>;
  /** Mandates of the same (mandator, mandatee, type) the command would create or widen, for the no-duplicate rule. */
  sameTriple: readonly Mandate[];
  policy: { proposalDays: number; signMaxAgeSeconds: number };
}

export type Decision = { ok: true; events: MandateEvent[] } | { ok: false; refusal: Refusal };

export const no = (r: Refusal): Decision => ({ ok: false, refusal: r });
const MAX_TEXT = 500;

/** The triple whose live mandates `decide` needs in `sameTriple`, if the command can create or widen one. */
export function duplicateScope(
  command: Command,
  mandate: Mandate | undefined,
): { mandator: Party; mandatee: Party; type: string } | undefined {
  if (command.kind === 'create') return command.input;
  if (!mandate) return undefined;
  if (command.kind === 'transfer') return { mandator: mandate.mandator, mandatee: command.newMandatee, type: mandate.type };
  if (command.kind === 'amend' || command.kind === 'signAmendment') return mandate;
  return undefined;
}

export function checkActor(ctx: DecideContext): Refusal | undefined {
  const { actor, as } = ctx;
  if (actor.kind === 'system') return undefined;
  if (!as) return refusal('ACTOR_NOT_REPRESENTATIVE', 'Say on whose behalf you act.', 'onBehalfOf');
  if (as.kind === 'person' && as.id !== actor.id) {
    return refusal('ACTOR_NOT_REPRESENTATIVE', 'A person can only act for themself or for an enterprise they represent.', 'onBehalfOf');
  }
  if (as.kind === 'enterprise' && !ctx.represents.has(as.id)) {
    return refusal('ACTOR_NOT_REPRESENTATIVE', 'You are not a representative of this enterprise.', 'onBehalfOf');
  }
  return undefined;
}

export function checkFreshAuth(ctx: DecideContext): Refusal | undefined {
  if (ctx.actor.kind !== 'person') return undefined;
  const age = (ctx.now.getTime() - Date.parse(ctx.actor.authTime)) / 1000;
  if (!(age <= ctx.policy.signMaxAgeSeconds)) {
    return refusal('SIGNATURE_AUTH_TOO_OLD', 'Signing needs a recent sign-in: authenticate again.', undefined, {
      maxAgeSeconds: ctx.policy.signMaxAgeSeconds,
    });
  }
  return undefined;
}

export function findDuplicate(ctx: DecideContext, validity: Validity, exceptId: string): Mandate | undefined {
  return ctx.sameTriple.find((m) => {
    if (m.id === exceptId || !isLive(m, ctx.now)) return false;
    const widest = m.pendingAmendment ?? m;
    return validitiesOverlap(validity, m) || validitiesOverlap(validity, widest);
  });
}

export const duplicateRefusal = (m: Mandate) =>
  refusal('MANDATE_DUPLICATE', 'A live mandate with the same parties and type overlaps this validity.', 'type', { mandateId: m.id });

export function signature(ctx: DecideContext, role: Role, party: Party, version: number, hash: string): SignatureRecord {
  const actor = ctx.actor as Extract<Actor, { kind: 'person' }>;
  return {
    role,
    party,
    signer: actor.id,
    version,
    contentHash: hash,
    at: ctx.now.toISOString(),
    authTime: actor.authTime,
    authLevel: actor.authLevel,
  };
}

export function eventActor(ctx: DecideContext): { actor: EventActor; onBehalfOf: Party | null } {
  return ctx.actor.kind === 'system'
    ? { actor: { kind: 'system' }, onBehalfOf: null }
    : { actor: { kind: 'person', id: ctx.actor.id }, onBehalfOf: ctx.as };
}

export function proposalExpiry(ctx: DecideContext): string {
  return new Date(ctx.now.getTime() + ctx.policy.proposalDays * 86_400_000).toISOString();
}

export function checkText(value: string | null, field: string, code: 'REFERENCE_TOO_LONG' | 'REASON_TOO_LONG'): Refusal | undefined {
  return value !== null && value.length > MAX_TEXT ? refusal(code, `${field} is at most ${MAX_TEXT} characters.`, field) : undefined;
}

export function checkKinds(type: MandateType, mandator: Party, mandatee: Party, mandateeField = 'mandatee.kind'): Refusal | undefined {
  if (!type.mandatorKinds.includes(mandator.kind)) {
    return refusal('PARTY_KIND_NOT_ALLOWED', `The mandator of ${type.id} must be a ${type.mandatorKinds.join(' or ')}.`, 'mandator.kind');
  }
  if (!type.mandateeKinds.includes(mandatee.kind)) {
    return refusal('PARTY_KIND_NOT_ALLOWED', `The mandatee of ${type.id} must be a ${type.mandateeKinds.join(' or ')}.`, mandateeField);
  }
  return undefined;
}
