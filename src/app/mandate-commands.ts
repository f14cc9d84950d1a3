// The commands on an existing mandate, one entry point each, all through runCommand.
import type { Actor } from '../core/command.js';
import type { CalendarDate } from '../core/dates.js';
import { type Party, parseParty } from '../core/party.js';
import type { AppContext } from './context.js';
import { uuidv7 } from './ids.js';
import { type CommandResult, runCommand } from './run-command.js';

export interface Target {
  actor: Actor;
  as: Party | null;
  mandateId: string;
  expectedVersion?: number;
}

const on = (app: AppContext, t: Target, command: Parameters<typeof runCommand>[1]['command']) =>
  runCommand(app, { actor: t.actor, as: t.as, mandateId: t.mandateId, expectedVersion: t.expectedVersion, command });

/** Signs what waits for the actor's signature: the proposal, or a pending amendment of a signed mandate (the core tells which). */
export const signMandate = (app: AppContext, t: Target) => on(app, t, { kind: 'sign' });

/** Refuses a proposal, or a pending amendment of a signed mandate. */
export const refuseMandate = (app: AppContext, t: Target, reason: string | null = null) => on(app, t, { kind: 'refuse', reason });

/** Withdraws one's own proposal, or one's own pending amendment. */
export const withdrawMandate = (app: AppContext, t: Target) => on(app, t, { kind: 'withdraw' });

export const stopMandate = (app: AppContext, t: Target, reason: string | null = null) => on(app, t, { kind: 'stop', reason });

export const amendMandate = (app: AppContext, t: Target, change: { validFrom?: CalendarDate; validUntil?: CalendarDate | null }) =>
  on(app, t, { kind: 'amend', ...change });

export async function transferMandate(app: AppContext, t: Target, rawNewMandatee: unknown): Promise<CommandResult> {
  const parsed = parseParty(rawNewMandatee, 'mandatee');
  if (!parsed.ok) return parsed;
  return on(app, t, { kind: 'transfer', successorId: uuidv7(app.now().getTime()), newMandatee: parsed.value });
}

/** The scheduler's command: a proposal not countersigned in time lapses. */
export const lapseMandate = (app: AppContext, mandateId: string) =>
  runCommand(app, { actor: { kind: 'system' }, as: null, mandateId, command: { kind: 'lapse' } });
