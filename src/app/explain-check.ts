// Loads what `explain` needs for a business application's check, limited to what that application
// may see: mandates of its own domain (and types), between the two parties asked about.
import { type Explanation, explain } from '../core/explain.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type { AppContext } from './context.js';

export interface ExplainQuery {
  mandator: Party;
  mandatee: Party;
  type: string;
  at: number;
  actingPerson?: string;
}

export async function explainCheck(app: AppContext, query: ExplainQuery, visibleType: (type: string) => boolean): Promise<Explanation> {
  const page = await app.store.listMandates({ party: query.mandator, role: 'mandator', counterparty: query.mandatee, limit: 1000 });
  const between = page.items.filter((m) => visibleType(m.type));
  // The mandate may be held by the enterprise the person acts for, or by the acting person themself.
  const holders: Party[] =
    query.mandatee.kind === 'person'
      ? (await app.store.enterprisesRepresentedBy(query.mandatee.id)).map((id) => ({ kind: 'enterprise', id }))
      : query.actingPerson
        ? [{ kind: 'person', id: query.actingPerson }]
        : [];
  const heldElsewhere: Mandate[] = [];
  for (const holder of holders) heldElsewhere.push(...(await app.store.mandatesOfTriple(query.mandator, holder, query.type)));
  const successors = new Map<string, Mandate>();
  for (const m of between) {
    if (m.status !== 'transferred' || !m.successorId) continue;
    const successor = await app.store.getMandate(m.successorId);
    if (successor) successors.set(successor.id, successor);
  }
  return explain({ type: query.type, at: query.at, between, heldElsewhere, successors });
}
