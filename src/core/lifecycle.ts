// The mandate lifecycle of DESIGN §3: a transition table read by one `decide`, which turns a
// command into events or a typed refusal. Pure: the caller loads what `decide` needs and commits.
import {
  type Command,
  type CommandKind,
  checkActor,
  checkFreshAuth,
  checkKinds,
  checkText,
  type DecideContext,
  type Decision,
  duplicateRefusal,
  eventActor,
  findDuplicate,
  no,
  proposalExpiry,
  signature,
} from './command.js';
import { brusselsDay } from './dates.js';
import { decideOnMandate } from './lifecycle-commands.js';
import {
  contentHash,
  type Mandate,
  type MandateContent,
  type MandateStatus,
  missingSigners,
  otherRole,
  type Role,
  roleOf,
} from './mandate.js';
import { sameParty } from './party.js';
import { type Refusal, refusal } from './refusal.js';
import { checkValidity } from './validity.js';

/** Who may issue a command on an existing mandate. */
type Who = 'missing-signer' | 'signer' | 'either' | 'system' | 'amendment-missing' | 'amendment-proposer';

/** The lifecycle as data: from which stored status a command applies, and who may issue it. */
export const TRANSITIONS: Record<Exclude<CommandKind, 'create'>, { from: MandateStatus; who: Who; signs: boolean }> = {
  sign: { from: 'pending', who: 'missing-signer', signs: true },
  refuse: { from: 'pending', who: 'missing-signer', signs: false },
  withdraw: { from: 'pending', who: 'signer', signs: false },
  lapse: { from: 'pending', who: 'system', signs: false },
  stop: { from: 'signed', who: 'either', signs: false },
  amend: { from: 'signed', who: 'either', signs: true },
  signAmendment: { from: 'signed', who: 'amendment-missing', signs: true },
  refuseAmendment: { from: 'signed', who: 'amendment-missing', signs: false },
  withdrawAmendment: { from: 'signed', who: 'amendment-proposer', signs: false },
  transfer: { from: 'signed', who: 'either', signs: false },
};

function decideCreate(command: Extract<Command, { kind: 'create' }>, ctx: DecideContext): Decision {
  const { input } = command;
  const type = ctx.catalogue.type(input.type);
  if (!type) return no(refusal('TYPE_UNKNOWN', `There is no mandate type ${input.type}.`, 'type'));
  const actorProblem = checkActor(ctx);
  if (actorProblem) return no(actorProblem);
  if (sameParty(input.mandator, input.mandatee)) {
    return no(refusal('PARTIES_IDENTICAL', 'The mandator and the mandatee must be different parties.', 'mandatee'));
  }
  const initiator = ctx.as ? roleOf(input, ctx.as) : undefined;
  if (!initiator) {
    return no(
      refusal(
        'ACTOR_NOT_REPRESENTATIVE',
        'You can only create a mandate in which you, or an enterprise you represent, are a party.',
        'onBehalfOf',
      ),
    );
  }
  const problem =
    checkKinds(type, input.mandator, input.mandatee) ??
    checkValidity(input, brusselsDay(ctx.now), type) ??
    checkText(input.reference, 'reference', 'REFERENCE_TOO_LONG') ??
    checkFreshAuth(ctx);
  if (problem) return no(problem);
  const duplicate = findDuplicate(ctx, input, command.id);
  if (duplicate) return no(duplicateRefusal(duplicate));
  const content: MandateContent = { id: command.id, ...input };
  const hash = contentHash(content);
  const by = eventActor(ctx);
  return {
    ok: true,
    events: [
      {
        type: 'MandateProposed',
        mandateId: command.id,
        version: 1,
        at: ctx.now.toISOString(),
        ...by,
        data: {
          content,
          domain: type.domain,
          initiator,
          proposalExpiresAt: proposalExpiry(ctx),
          predecessorId: null,
          signature: signature(ctx, initiator, input[initiator], 1, hash),
        },
      },
    ],
  };
}

/** Is the caller a party to the mandate (or the system, for system commands)? Outsiders learn nothing: MANDATE_NOT_PARTY reads as not found. */
function partyRole(mandate: Mandate, who: Who, ctx: DecideContext): { role: Role | null } | { refusal: Refusal } {
  if (who === 'system') {
    return ctx.actor.kind === 'system' ? { role: null } : { refusal: refusal('MANDATE_STATUS', 'Only the system lets a proposal lapse.') };
  }
  if (ctx.actor.kind === 'system') return { refusal: refusal('MANDATE_STATUS', 'The system cannot act as a party.') };
  const actorProblem = checkActor(ctx);
  if (actorProblem) return { refusal: actorProblem };
  const role = ctx.as ? roleOf(mandate, ctx.as) : undefined;
  return role ? { role } : { refusal: refusal('MANDATE_NOT_PARTY', 'No such mandate among yours.', 'id') };
}

/** Which of the two parties may issue the command, once the status allows it. */
function checkWho(mandate: Mandate, who: Who, role: Role): Refusal | undefined {
  const missing = missingSigners(mandate);
  const amendment = mandate.pendingAmendment;
  switch (who) {
    case 'either':
    case 'system':
      return undefined;
    case 'missing-signer':
      return missing.includes(role)
        ? undefined
        : refusal('MANDATE_ALREADY_SIGNED', 'You have already signed this mandate; it waits for the other party.');
    case 'signer':
      return missing.includes(role)
        ? refusal('ACTOR_NOT_SIGNER', 'Only the party that signed a proposal can withdraw it; you can refuse it.')
        : undefined;
    case 'amendment-missing':
      if (!amendment) return refusal('AMENDMENT_NONE', 'This mandate has no pending amendment.');
      return role === otherRole(amendment.proposedBy)
        ? undefined
        : refusal('MANDATE_ALREADY_SIGNED', 'You proposed this amendment; it waits for the other party.');
    case 'amendment-proposer':
      if (!amendment) return refusal('AMENDMENT_NONE', 'This mandate has no pending amendment.');
      return role === amendment.proposedBy
        ? undefined
        : refusal('ACTOR_NOT_SIGNER', 'Only the party that proposed the amendment can withdraw it; you can refuse it.');
  }
}

/** On a signed mandate with a pending amendment, sign, refuse and withdraw answer the amendment. */
function amendmentVariant(command: Exclude<Command, { kind: 'create' }>, mandate: Mandate): Exclude<Command, { kind: 'create' }> {
  if (mandate.status !== 'signed' || !mandate.pendingAmendment) return command;
  if (command.kind === 'sign') return { kind: 'signAmendment' };
  if (command.kind === 'refuse') return { kind: 'refuseAmendment' };
  if (command.kind === 'withdraw') return { kind: 'withdrawAmendment' };
  return command;
}

/** Decides a command: events to commit, or why not. Never throws for a business rule. */
export function decide(command: Command, mandate: Mandate | undefined, ctx: DecideContext): Decision {
  if (command.kind === 'create') return decideCreate(command, ctx);
  if (!mandate) return no(refusal('MANDATE_NOT_FOUND', 'No such mandate among yours.', 'id'));
  command = amendmentVariant(command, mandate);
  const rule = TRANSITIONS[command.kind];
  // Order matters: outsiders learn nothing (not even the version or status), then staleness, then status, then who.
  const who = partyRole(mandate, rule.who, ctx);
  if ('refusal' in who) return no(who.refusal);
  if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== mandate.version) {
    return no(
      refusal('MANDATE_VERSION_STALE', 'The mandate changed since you last read it; reload it.', 'If-Match', { version: mandate.version }),
    );
  }
  if (rule.who === 'missing-signer' && mandate.status === 'signed') {
    return no(
      refusal('MANDATE_ALREADY_SIGNED', 'Both parties have signed this mandate already; stop it to end it.', undefined, {
        status: mandate.status,
      }),
    );
  }
  if (mandate.status !== rule.from) {
    const ended = rule.from === 'signed' && mandate.status !== 'pending';
    return no(
      refusal(ended ? 'MANDATE_ENDED' : 'MANDATE_STATUS', `This mandate is ${mandate.status}.`, undefined, { status: mandate.status }),
    );
  }
  const notYou = who.role === null ? undefined : checkWho(mandate, rule.who, who.role);
  if (notYou) return no(notYou);
  if (rule.signs) {
    const stale = checkFreshAuth(ctx);
    if (stale) return no(stale);
  }
  return decideOnMandate(command, mandate, who.role, ctx);
}
