// Read side for people: their own mandates (or their enterprise's), one mandate with its history.
// "Not yours" and "does not exist" are the same answer, so ids leak nothing.
import type { StoredEvent } from '../core/events.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import { type Refusal, refusal } from '../core/refusal.js';
import type { MandateQuery, Page } from '../store/port.js';
import type { AppContext } from './context.js';

/** Can this person act as this party: themself, or an enterprise they represent? */
export async function mayActAs(app: AppContext, personId: string, as: Party): Promise<boolean> {
  if (as.kind === 'person') return as.id === personId;
  return (await app.store.enterprisesRepresentedBy(personId)).includes(as.id);
}

export async function listMandatesFor(
  app: AppContext,
  personId: string,
  query: MandateQuery,
): Promise<{ ok: true; page: Page<Mandate> } | { ok: false; refusal: Refusal }> {
  if (!(await mayActAs(app, personId, query.party))) {
    return { ok: false, refusal: refusal('ACTOR_NOT_REPRESENTATIVE', 'You are not a representative of this enterprise.', 'party') };
  }
  return { ok: true, page: await app.store.listMandates(query) };
}

/** A mandate and its history, if the person is one of its parties or represents one. */
export async function getMandateFor(
  app: AppContext,
  personId: string,
  mandateId: string,
): Promise<{ ok: true; mandate: Mandate; history: StoredEvent[] } | { ok: false; refusal: Refusal }> {
  const notFound = { ok: false as const, refusal: refusal('MANDATE_NOT_FOUND', 'No such mandate among yours.', 'id') };
  const mandate = await app.store.getMandate(mandateId);
  if (!mandate) return notFound;
  const represented = new Set(await app.store.enterprisesRepresentedBy(personId));
  const visible = [mandate.mandator, mandate.mandatee].some((p) => (p.kind === 'person' ? p.id === personId : represented.has(p.id)));
  if (!visible) return notFound;
  return { ok: true, mandate, history: await app.store.mandateEvents(mandateId) };
}
