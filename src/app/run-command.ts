// The one way a command is carried out: load what the rules need, decide, sign, and commit the
// events with the projection in one transaction. Refusals are returned, never thrown.
import { type Actor, type Command, type DecideContext, duplicateScope } from '../core/command.js';
import { evolve, type MandateEvent } from '../core/events.js';
import { decide } from '../core/lifecycle.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import { type Refusal, refusal } from '../core/refusal.js';
import { VersionConflictError, type WriteTx } from '../store/port.js';
import type { AppContext } from './context.js';
import { enqueueNotifications } from './notifications/enqueue.js';

export type CommandResult =
  | {
      ok: true;
      mandate: Mandate /** Other mandates the command changed (a transfer's successor or predecessor). */;
      related: Mandate[];
      cursor: number;
    }
  | { ok: false; refusal: Refusal };

export interface CommandRequest {
  actor: Actor;
  /** The party the actor acts for (themself, or an enterprise they represent). */
  as: Party | null;
  command: Command;
  /** Target mandate, for every command but create. */
  mandateId?: string;
  expectedVersion?: number;
}

/** Enterprises the actor represents, among those the command could involve. */
async function representedEnterprises(app: AppContext, actor: Actor): Promise<Set<string>> {
  if (actor.kind !== 'person') return new Set();
  return new Set(await app.store.enterprisesRepresentedBy(actor.id));
}

/** Adds the service's JWS to every signature the decision records. */
async function sealSignatures(app: AppContext, events: MandateEvent[]): Promise<MandateEvent[]> {
  return Promise.all(
    events.map(async (e) => {
      const sig = 'data' in e && e.data && 'signature' in e.data ? e.data.signature : null;
      if (!sig) return e;
      const jws = await app.keys.signRecord(e.mandateId, sig);
      return { ...e, data: { ...e.data, signature: { ...sig, jws } } } as MandateEvent;
    }),
  );
}

/** Decides and commits inside an open write transaction (bulk jobs call this for each item of a chunk). */
export async function runInTransaction(
  app: AppContext,
  tx: WriteTx,
  req: CommandRequest,
  represents: ReadonlySet<string>,
): Promise<CommandResult> {
  const mandate = req.mandateId === undefined ? undefined : await tx.getMandate(req.mandateId);
  const linkedIds = [mandate?.predecessorId, mandate?.successorId].filter((id): id is string => typeof id === 'string');
  const linked = new Map((await tx.getMandates(linkedIds)).map((m) => [m.id, m]));
  const scope = duplicateScope(req.command, mandate);
  const ctx: DecideContext = {
    now: app.now(),
    catalogue: app.catalogue,
    actor: req.actor,
    as: req.as,
    represents,
    expectedVersion: req.expectedVersion,
    linked,
    sameTriple: scope ? await tx.sameTriple(scope.mandator, scope.mandatee, scope.type) : [],
    policy: app.policy,
  };
  const decision = decide(req.command, mandate, ctx);
  if (!decision.ok) return decision;
  const stored = await tx.append(await sealSignatures(app, decision.events));
  const states = new Map<string, Mandate>([...linked, ...(mandate ? [[mandate.id, mandate] as const] : [])]);
  for (const e of stored) states.set(e.mandateId, evolve(states.get(e.mandateId), e));
  await enqueueNotifications(app, tx, stored, states);
  const targetId = req.command.kind === 'create' ? req.command.id : (req.mandateId as string);
  const target = states.get(targetId) as Mandate;
  const changed = new Set(stored.map((e) => e.mandateId));
  return {
    ok: true,
    mandate: target,
    related: [...states.values()].filter((m) => m.id !== targetId && changed.has(m.id)),
    cursor: (stored.at(-1) as { seq: number }).seq,
  };
}

export async function runCommand(app: AppContext, req: CommandRequest): Promise<CommandResult> {
  const represents = await representedEnterprises(app, req.actor);
  // Checked before the mandate is even loaded, so a false claim learns nothing about the mandate.
  const { actor, as } = req;
  if (actor.kind === 'person' && as && (as.kind === 'person' ? as.id !== actor.id : !represents.has(as.id))) {
    return {
      ok: false,
      refusal: refusal('ACTOR_NOT_REPRESENTATIVE', 'You may act only for yourself or for an enterprise you represent.', 'onBehalfOf'),
    };
  }
  try {
    const result = await app.store.write((tx) => runInTransaction(app, tx, req, represents));
    // The core tells "not a party" from "no such mandate"; outside, both read the same so ids leak nothing.
    if (!result.ok && result.refusal.code === 'MANDATE_NOT_PARTY') {
      return { ok: false, refusal: refusal('MANDATE_NOT_FOUND', 'No such mandate among yours.', 'id') };
    }
    return result;
  } catch (error) {
    // Writers are serialized, so this only happens if the projection was changed outside the log.
    if (error instanceof VersionConflictError) {
      return { ok: false, refusal: refusal('MANDATE_VERSION_STALE', 'The mandate changed concurrently; reload it.', 'If-Match') };
    }
    throw error;
  }
}
