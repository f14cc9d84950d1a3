// Portfolio actions: jobs described by what to act on rather than item by item, expanded server-side
// into ordinary operations (each then judged on its own like any other item). Versions are pinned at
// expansion: a mandate that changes before its item runs is refused as stale rather than acted on blind.
import { isInForce, type Mandate, missingSigners, otherRole, roleOf } from '../core/mandate.js';
import { type Party, partyKey } from '../core/party.js';
import type { BatchItemView } from '../store/batch-port.js';
import type { ItemInput, JobRefusal } from './bulk-jobs.js';
import { MAX_ITEMS } from './bulk-jobs.js';
import { type BulkOperation, isMandateId, problem } from './bulk-operations.js';
import type { AppContext } from './context.js';

export const PORTFOLIO_KINDS = ['sign-selected', 'stop-selected', 'transfer-portfolio', 'sign-waiting'] as const;
export type PortfolioKind = (typeof PORTFOLIO_KINDS)[number];

export type PortfolioSpec =
  | { kind: 'sign-selected'; ids: string[] }
  | { kind: 'stop-selected'; ids: string[]; reason: string | null }
  /** Transfer the mandates `as` holds as mandatee (in force), of a type and/or of some mandators, to a new mandatee. */
  | { kind: 'transfer-portfolio'; mandatee: Party; type?: string; mandators?: Party[] }
  /** Sign what waits for `as`'s signature: everything, or what a job made (e.g. the successors of a transfer job). */
  | { kind: 'sign-waiting'; fromJob?: string };

type Expansion = { ok: true; items: ItemInput[] } | { ok: false; refusal: JobRefusal };

const item = (op: BulkOperation): ItemInput => ({ row: null, line: null, op });
const tooMany: JobRefusal = {
  status: 413,
  code: 'BATCH_TOO_LARGE',
  message: `A job has at most ${MAX_ITEMS} operations.`,
  details: { max: MAX_ITEMS },
};
const nothing = (what: string): JobRefusal => ({ status: 422, code: 'BATCH_EMPTY', message: `No mandate ${what}.` });

/** Does the mandate wait for this party's signature (a proposal, or a pending amendment)? */
export function waitsFor(m: Mandate, as: Party): boolean {
  const role = roleOf(m, as);
  if (!role) return false;
  if (m.status === 'pending') return missingSigners(m).includes(role);
  return m.status === 'signed' && m.pendingAmendment !== null && otherRole(m.pendingAmendment.proposedBy) === role;
}

/** Every mandate of a party with some statuses, a page at a time. */
async function* mandatesOf(
  app: AppContext,
  party: Party,
  q: { role?: 'mandator' | 'mandatee'; status: Mandate['status'][]; type?: string },
) {
  let after: string | undefined;
  do {
    const page = await app.store.listMandates({ party, ...q, limit: 500, after });
    yield* page.items;
    after = page.next ?? undefined;
  } while (after);
}

async function pinned(
  app: AppContext,
  as: Party,
  ids: readonly string[],
  make: (id: string, version?: number) => BulkOperation,
): Promise<Expansion> {
  if (ids.length > MAX_ITEMS) return { ok: false, refusal: tooMany };
  const valid = ids.filter(isMandateId).map((id) => id.toLowerCase());
  const visible = new Map((await app.store.getMandates(valid)).filter((m) => roleOf(m, as)).map((m) => [m.id, m.version]));
  return {
    ok: true,
    items: ids.map((raw) => {
      if (!isMandateId(raw))
        return item({
          op: 'invalid',
          attempted: null,
          problem: problem('BULK_VALUE_INVALID', 'id is the id of a mandate (a UUID).', 'id'),
        });
      const id = raw.toLowerCase();
      return item(make(id, visible.get(id)));
    }),
  };
}

export async function expandPortfolio(app: AppContext, as: Party, spec: PortfolioSpec): Promise<Expansion> {
  const now = app.now();
  switch (spec.kind) {
    case 'sign-selected':
      return pinned(app, as, spec.ids, (id, version) => ({ op: 'sign', id, ...(version === undefined ? {} : { version }) }));
    case 'stop-selected':
      return pinned(app, as, spec.ids, (id, version) => ({
        op: 'stop',
        id,
        reason: spec.reason,
        ...(version === undefined ? {} : { version }),
      }));
    case 'transfer-portfolio': {
      if (spec.type === undefined && (spec.mandators === undefined || spec.mandators.length === 0)) {
        return {
          ok: false,
          refusal: {
            status: 400,
            code: 'REQUEST_FIELD_MISSING',
            message: 'Say which mandates to transfer: a type, mandators, or both.',
            field: 'type',
          },
        };
      }
      const mandators = spec.mandators ? new Set(spec.mandators.map(partyKey)) : undefined;
      const items: ItemInput[] = [];
      for await (const m of mandatesOf(app, as, { role: 'mandatee', status: ['signed'], type: spec.type })) {
        if (!isInForce(m, now) || (mandators && !mandators.has(partyKey(m.mandator)))) continue;
        if (items.length >= MAX_ITEMS) return { ok: false, refusal: tooMany };
        items.push(item({ op: 'transfer', id: m.id, mandatee: spec.mandatee, version: m.version }));
      }
      return items.length > 0 ? { ok: true, items } : { ok: false, refusal: nothing('of yours in force matches') };
    }
    case 'sign-waiting': {
      const items: ItemInput[] = [];
      const add = (m: Mandate) => {
        if (waitsFor(m, as)) items.push(item({ op: 'sign', id: m.id, version: m.version }));
      };
      if (spec.fromJob === undefined) {
        for await (const m of mandatesOf(app, as, { status: ['pending', 'signed'] })) {
          add(m);
          if (items.length > MAX_ITEMS) return { ok: false, refusal: tooMany };
        }
        return items.length > 0 ? { ok: true, items } : { ok: false, refusal: nothing('waits for your signature') };
      }
      // Another person's job may be named (the new mandatee signs what a transfer job made): only mandates
      // waiting for this party come out of it, and "no such job" and "nothing for you in it" read the same.
      const notFound: JobRefusal = {
        status: 404,
        code: 'BATCH_NOT_FOUND',
        message: 'No such job, or nothing in it waits for your signature.',
        field: 'fromJob',
      };
      if (!isMandateId(spec.fromJob) || !(await app.store.batches.get(spec.fromJob))) return { ok: false, refusal: notFound };
      let after = -1;
      for (;;) {
        const page = await app.store.batches.items(spec.fromJob, after, 1000, 'done');
        const ids = page.flatMap((it) => [it.result?.mandateId, it.result?.relatedId].filter((id): id is string => typeof id === 'string'));
        for (const m of await app.store.getMandates(ids)) add(m);
        if (items.length > MAX_ITEMS) return { ok: false, refusal: tooMany };
        if (page.length < 1000) break;
        after = (page.at(-1) as BatchItemView).seq;
      }
      return items.length > 0 ? { ok: true, items } : { ok: false, refusal: notFound };
    }
  }
}
