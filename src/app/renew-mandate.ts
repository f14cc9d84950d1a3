// Renew on the same terms: a new proposal with the same parties, type, reference and language, valid
// from the day after the current end (or today, if it has ended) for the same duration, signed by the
// party renewing and waiting only for the other. It is an ordinary create command — the core's rules
// apply, the no-duplicate rule included — decided in the transaction that read the current mandate.
import type { Actor, Command } from '../core/command.js';
import { addDays, addMonths, brusselsDay, type CalendarDate } from '../core/dates.js';
import { roleOf } from '../core/mandate.js';
import { daysBetween } from '../core/notifications.js';
import type { Party } from '../core/party.js';
import { refusal } from '../core/refusal.js';
import type { AppContext } from './context.js';
import { uuidv7 } from './ids.js';
import { type CommandResult, runInTransaction } from './run-command.js';

export type RenewResult = CommandResult | { ok: false; renewal: { code: 'RENEWAL_UNLIMITED'; message: string } };

export interface RenewRequest {
  actor: Extract<Actor, { kind: 'person' }>;
  /** The party renewing: the actor, or an enterprise they represent. */
  as: Party;
  mandateId: string;
  expectedVersion: number;
}

/** The validity after `validUntil` with the same length: whole calendar months when the original was, else the same number of days. */
export function renewedValidity(
  validFrom: CalendarDate,
  validUntil: CalendarDate,
  today: CalendarDate,
): { validFrom: CalendarDate; validUntil: CalendarDate } {
  const next = addDays(validUntil, 1);
  const start = next < today ? today : next;
  for (let months = 1; months <= 1200; months += 1) {
    const end = addDays(addMonths(validFrom, months), -1);
    if (end === validUntil) return { validFrom: start, validUntil: addDays(addMonths(start, months), -1) };
    if (end > validUntil) break;
  }
  return { validFrom: start, validUntil: addDays(start, daysBetween(validFrom, validUntil)) };
}

export async function renewMandate(app: AppContext, req: RenewRequest): Promise<RenewResult> {
  const notFound = { ok: false as const, refusal: refusal('MANDATE_NOT_FOUND', 'No such mandate among yours.', 'id') };
  const represents = new Set(await app.store.enterprisesRepresentedBy(req.actor.id));
  if (req.as.kind === 'person' ? req.as.id !== req.actor.id : !represents.has(req.as.id)) {
    return {
      ok: false,
      refusal: refusal('ACTOR_NOT_REPRESENTATIVE', 'You may act only for yourself or for an enterprise you represent.', 'onBehalfOf'),
    };
  }
  return app.store.write(async (tx): Promise<RenewResult> => {
    const current = await tx.getMandate(req.mandateId);
    // Outsiders learn nothing: not even whether the mandate exists.
    if (!current || !roleOf(current, req.as)) return notFound;
    if (current.version !== req.expectedVersion) {
      return {
        ok: false,
        refusal: refusal('MANDATE_VERSION_STALE', 'The mandate changed since you last read it; reload it.', 'If-Match', {
          version: current.version,
        }),
      };
    }
    if (current.status !== 'signed') {
      return {
        ok: false,
        refusal: refusal('MANDATE_STATUS', `Only a signed mandate can be renewed; this one is ${current.status}.`, undefined, {
          status: current.status,
        }),
      };
    }
    if (current.validUntil === null) {
      return {
        ok: false,
        renewal: { code: 'RENEWAL_UNLIMITED', message: 'This mandate has no end date, so there is nothing to renew.' },
      };
    }
    const validity = renewedValidity(current.validFrom, current.validUntil, brusselsDay(app.now()));
    const command: Command = {
      kind: 'create',
      id: uuidv7(app.now().getTime()),
      input: {
        type: current.type,
        mandator: current.mandator,
        mandatee: current.mandatee,
        ...validity,
        reference: current.reference,
        language: current.language,
      },
    };
    return runInTransaction(app, tx, { actor: req.actor, as: req.as, command }, represents);
  });
}
