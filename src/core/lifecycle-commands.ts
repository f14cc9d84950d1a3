// The commands on an existing mandate, once `decide` has checked who may issue them and from
// which status: sign, refuse, withdraw, lapse, stop, amend (and its answers), transfer.
import {
  type Command,
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
import { brusselsDay, maxDay } from './dates.js';
import type { MandateEvent } from './events.js';
import { contentHash, effectiveState, isInForce, type Mandate, type MandateContent, missingSigners, type Role } from './mandate.js';
import { sameParty } from './party.js';
import { refusal } from './refusal.js';
import { checkValidity } from './validity.js';

type Body<T extends MandateEvent['type']> = Omit<
  Extract<MandateEvent, { type: T }>,
  'mandateId' | 'version' | 'at' | 'actor' | 'onBehalfOf'
>;

/** Builds the next event of a mandate, stamped with the actor and the next version. */
function next<T extends MandateEvent['type']>(mandate: Mandate, ctx: DecideContext, body: Body<T>, versionOffset = 1): MandateEvent {
  return {
    mandateId: mandate.id,
    version: mandate.version + versionOffset,
    at: ctx.now.toISOString(),
    ...eventActor(ctx),
    ...body,
  } as MandateEvent;
}

/** A successor that ends unsigned cancels the transfer it was created for. */
function cancelTransfer(successor: Mandate, ctx: DecideContext): MandateEvent[] {
  const predecessor = successor.predecessorId ? ctx.linked.get(successor.predecessorId) : undefined;
  if (!predecessor || predecessor.successorId !== successor.id || predecessor.status !== 'signed') return [];
  return [next(predecessor, ctx, { type: 'TransferCancelled', data: { successorId: successor.id } })];
}

const endedRefusal = (mandate: Mandate, ctx: DecideContext) =>
  refusal('MANDATE_ENDED', `This mandate has ${effectiveState(mandate, ctx.now)}.`, undefined, { validUntil: mandate.validUntil });

function sign(mandate: Mandate, role: Role, ctx: DecideContext): Decision {
  const events = [
    next(mandate, ctx, {
      type: 'MandateSigned',
      data: { signature: signature(ctx, role, mandate[role], mandate.version, mandate.contentHash) },
    }),
  ];
  const completes = missingSigners(mandate).every((r) => r === role);
  const predecessor = mandate.predecessorId ? ctx.linked.get(mandate.predecessorId) : undefined;
  // The transfer completes at the instant the successor is signed, if the predecessor is still in force then.
  if (completes && predecessor && predecessor.successorId === mandate.id && isInForce(predecessor, ctx.now)) {
    events.push(next(predecessor, ctx, { type: 'TransferCompleted', data: { successorId: mandate.id } }));
  }
  return { ok: true, events };
}

function amend(mandate: Mandate, role: Role, command: Extract<Command, { kind: 'amend' }>, ctx: DecideContext): Decision {
  if (!isInForce(mandate, ctx.now)) return no(endedRefusal(mandate, ctx));
  if (mandate.pendingAmendment) return no(refusal('AMENDMENT_PENDING', 'An amendment already waits for a signature.'));
  if (mandate.successorId)
    return no(refusal('TRANSFER_PENDING', 'A transfer of this mandate is pending.', undefined, { successorId: mandate.successorId }));
  const validFrom = command.validFrom ?? mandate.validFrom;
  const validUntil = command.validUntil === undefined ? mandate.validUntil : command.validUntil;
  const startChanges = validFrom !== mandate.validFrom;
  if (startChanges && effectiveState(mandate, ctx.now) !== 'scheduled') {
    return no(refusal('AMENDMENT_START_LOCKED', 'The start of a mandate that has begun cannot change.', 'validFrom'));
  }
  const type = ctx.catalogue.type(mandate.type);
  if (!type) return no(refusal('TYPE_UNKNOWN', `The type ${mandate.type} is no longer in the catalogue.`, 'type'));
  const invalid = checkValidity({ validFrom, validUntil }, brusselsDay(ctx.now), type, !startChanges);
  if (invalid) return no(invalid);
  if (!startChanges && validUntil === mandate.validUntil)
    return no(refusal('AMENDMENT_NO_CHANGE', 'The amendment changes nothing.', 'validUntil'));
  const amended: MandateContent = { ...mandate, validFrom, validUntil };
  const hash = contentHash(amended);
  const narrows =
    validFrom >= mandate.validFrom && (mandate.validUntil === null || (validUntil !== null && validUntil <= mandate.validUntil));
  const sig = signature(ctx, role, mandate[role], mandate.version + 1, hash);
  if (narrows)
    return { ok: true, events: [next(mandate, ctx, { type: 'MandateAmended', data: { role, validFrom, validUntil, signature: sig } })] };
  const duplicate = findDuplicate(ctx, { validFrom, validUntil }, mandate.id);
  if (duplicate) return no(duplicateRefusal(duplicate));
  return {
    ok: true,
    events: [next(mandate, ctx, { type: 'AmendmentProposed', data: { role, validFrom, validUntil, contentHash: hash, signature: sig } })],
  };
}

function transfer(mandate: Mandate, role: Role, command: Extract<Command, { kind: 'transfer' }>, ctx: DecideContext): Decision {
  if (!isInForce(mandate, ctx.now)) return no(endedRefusal(mandate, ctx));
  if (mandate.successorId)
    return no(
      refusal('TRANSFER_PENDING', 'A transfer of this mandate is already pending.', undefined, { successorId: mandate.successorId }),
    );
  if (mandate.pendingAmendment) return no(refusal('AMENDMENT_PENDING', 'Settle the pending amendment before transferring.'));
  const { newMandatee } = command;
  if (sameParty(newMandatee, mandate.mandatee)) {
    return no(refusal('TRANSFER_SAME_MANDATEE', 'The new mandatee is the current mandatee.', 'mandatee'));
  }
  if (sameParty(newMandatee, mandate.mandator)) {
    return no(refusal('PARTIES_IDENTICAL', 'The mandator and the mandatee must be different parties.', 'mandatee'));
  }
  const type = ctx.catalogue.type(mandate.type);
  if (!type) return no(refusal('TYPE_UNKNOWN', `The type ${mandate.type} is no longer in the catalogue.`, 'type'));
  const kinds = checkKinds(type, mandate.mandator, newMandatee, 'mandatee.kind');
  if (kinds) return no(kinds);
  const content: MandateContent = {
    id: command.successorId,
    type: mandate.type,
    mandator: mandate.mandator,
    mandatee: newMandatee,
    validFrom: maxDay(brusselsDay(ctx.now), mandate.validFrom),
    validUntil: mandate.validUntil,
    reference: mandate.reference,
    language: mandate.language,
  };
  const duplicate = findDuplicate(ctx, content, command.successorId);
  if (duplicate) return no(duplicateRefusal(duplicate));
  // Only a mandator signs the successor at once: nobody is given a mandate, nor a mandator a new mandatee, without signing.
  if (role === 'mandator') {
    const stale = checkFreshAuth(ctx);
    if (stale) return no(stale);
  }
  const successorSignature = role === 'mandator' ? signature(ctx, 'mandator', mandate.mandator, 1, contentHash(content)) : null;
  const proposed: MandateEvent = {
    type: 'MandateProposed',
    mandateId: content.id,
    version: 1,
    at: ctx.now.toISOString(),
    ...eventActor(ctx),
    data: {
      content,
      domain: mandate.domain,
      initiator: role === 'mandator' ? 'mandator' : null,
      proposalExpiresAt: proposalExpiry(ctx),
      predecessorId: mandate.id,
      signature: successorSignature,
    },
  };
  return {
    ok: true,
    events: [next(mandate, ctx, { type: 'TransferProposed', data: { role, successorId: content.id, newMandatee } }), proposed],
  };
}

/** Decides a command on an existing mandate whose status and issuer `decide` has already checked. */
export function decideOnMandate(
  command: Exclude<Command, { kind: 'create' }>,
  mandate: Mandate,
  role: Role | null,
  ctx: DecideContext,
): Decision {
  const events = (...list: MandateEvent[]): Decision => ({ ok: true, events: list });
  const party = role as Role;
  switch (command.kind) {
    case 'sign':
      return sign(mandate, party, ctx);
    case 'refuse': {
      const long = checkText(command.reason, 'reason', 'REASON_TOO_LONG');
      if (long) return no(long);
      return events(
        next(mandate, ctx, { type: 'MandateRefused', data: { role: party, reason: command.reason } }),
        ...cancelTransfer(mandate, ctx),
      );
    }
    case 'withdraw':
      return events(next(mandate, ctx, { type: 'MandateWithdrawn', data: { role: party } }), ...cancelTransfer(mandate, ctx));
    case 'lapse':
      if (mandate.proposalExpiresAt === null || ctx.now.getTime() < Date.parse(mandate.proposalExpiresAt)) {
        return no(
          refusal('MANDATE_NOT_LAPSABLE', 'The proposal period has not ended.', undefined, {
            proposalExpiresAt: mandate.proposalExpiresAt,
          }),
        );
      }
      return events(next(mandate, ctx, { type: 'MandateLapsed', data: {} }), ...cancelTransfer(mandate, ctx));
    case 'stop': {
      if (!isInForce(mandate, ctx.now)) return no(endedRefusal(mandate, ctx));
      const long = checkText(command.reason, 'reason', 'REASON_TOO_LONG');
      if (long) return no(long);
      return events(next(mandate, ctx, { type: 'MandateStopped', data: { role: party, reason: command.reason } }));
    }
    case 'amend':
      return amend(mandate, party, command, ctx);
    case 'signAmendment': {
      if (!isInForce(mandate, ctx.now)) return no(endedRefusal(mandate, ctx));
      const pending = mandate.pendingAmendment as NonNullable<Mandate['pendingAmendment']>;
      // Time has passed since the proposal: its start may now lie in the past.
      const type = ctx.catalogue.type(mandate.type);
      const invalid = type && checkValidity(pending, brusselsDay(ctx.now), type, pending.validFrom === mandate.validFrom);
      if (invalid) return no(invalid);
      const sig = signature(ctx, party, mandate[party], mandate.version, pending.contentHash);
      return events(next(mandate, ctx, { type: 'AmendmentSigned', data: { signature: sig } }));
    }
    case 'refuseAmendment':
      return events(next(mandate, ctx, { type: 'AmendmentRefused', data: { role: party } }));
    case 'withdrawAmendment':
      return events(next(mandate, ctx, { type: 'AmendmentWithdrawn', data: { role: party } }));
    case 'transfer':
      return transfer(mandate, party, command, ctx);
  }
}
