// The registers of representatives and executors, and the record of their changes (registry-port.ts).
import type { Kysely } from 'kysely';
import { insertMany } from './kysely-bulk-writes.js';
import type { ActingPersons, RegistryChange, RegistryEdit, RegistryStore } from './registry-port.js';
import type { Database, RegistryChangesTable } from './schema.js';
import { inTransaction } from './transaction.js';

/** Change rows per multi-row INSERT: 8 columns each, far under both dialects' bound-parameter limits. */
const INSERT_CHUNK = 500;

const toChange = (r: RegistryChangesTable): RegistryChange => ({
  seq: Number(r.seq),
  at: r.at,
  actor: r.actor,
  role: r.role as RegistryChange['role'],
  change: r.change as RegistryChange['change'],
  enterpriseId: r.enterprise_id,
  personId: r.person_id,
  type: r.type,
});

export class KyselyRegistry implements RegistryStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  edit(edits: readonly RegistryEdit[], actor: string, at: string): Promise<RegistryChange[]> {
    if (edits.length === 0) return Promise.resolve([]);
    return this.editing(actor, at, async () => edits);
  }

  setExecutorTypes(enterpriseId: string, personId: string, types: readonly string[], actor: string, at: string): Promise<RegistryChange[]> {
    return this.editing(actor, at, async (conn) => {
      const held = await conn
        .selectFrom('executors')
        .select('type')
        .where('enterprise_id', '=', enterpriseId)
        .where('person_id', '=', personId)
        .execute();
      const wanted = new Set(types);
      const had = new Set(held.map((r) => r.type));
      return [
        ...[...had].filter((t) => !wanted.has(t)).map((type) => ({ change: 'removed' as const, type })),
        ...[...wanted].filter((t) => !had.has(t)).map((type) => ({ change: 'added' as const, type })),
      ].map((e) => ({ role: 'executor' as const, enterpriseId, personId, ...e }));
    });
  }

  /** One transaction: the edits `plan` makes (reading through the connection it is given), applied and recorded. */
  private editing(
    actor: string,
    at: string,
    plan: (conn: Kysely<Database>) => Promise<readonly RegistryEdit[]>,
  ): Promise<RegistryChange[]> {
    return inTransaction(this.db, this.dialect, async (conn) => {
      // Taking the head row first serialises writers (a row lock on PostgreSQL): positions are handed out in commit order.
      const head = await conn
        .updateTable('registry_head')
        .set((eb) => ({ seq: eb('seq', '+', 0) }))
        .where('id', '=', 1)
        .returning('seq')
        .executeTakeFirstOrThrow();
      let seq = Number(head.seq);
      const rows: RegistryChangesTable[] = [];
      for (const e of await applyEdits(conn, await plan(conn), at)) {
        seq += 1;
        rows.push({
          seq,
          at,
          actor,
          role: e.role,
          change: e.change,
          enterprise_id: e.enterpriseId,
          person_id: e.personId,
          type: e.role === 'executor' ? e.type : null,
        });
      }
      await insertMany(conn, 'registry_changes', rows, INSERT_CHUNK);
      if (rows.length > 0) await conn.updateTable('registry_head').set({ seq }).where('id', '=', 1).execute();
      return rows.map(toChange);
    });
  }

  async changesAfter(afterSeq: number, limit: number): Promise<RegistryChange[]> {
    const rows = await this.db.selectFrom('registry_changes').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map(toChange);
  }

  async visibleChangesAfter(afterSeq: number, types: readonly string[], limit: number, window: number) {
    // Positions are gapless and in commit order (the head row serialises writers), so the scan is
    // bounded by position alone, and a page that fills up ends at its last change.
    const upper = Math.min(await this.head(), afterSeq + window);
    if (upper <= afterSeq || types.length === 0) return { changes: [], scannedTo: Math.max(afterSeq, upper) };
    const rows = await this.db
      .selectFrom('registry_changes as r')
      .selectAll('r')
      .where('r.seq', '>', afterSeq)
      .where('r.seq', '<=', upper)
      .where((eb) => eb.or([eb('r.role', '=', 'representative'), eb('r.type', 'in', [...types])]))
      // Data minimisation: who acts inside an enterprise is shown only to the applications of the
      // types it holds mandates of (mandates_mandatee finds them by enterprise).
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('mandates as m')
            .select('m.id')
            .whereRef('m.mandatee_id', '=', 'r.enterprise_id')
            .where('m.mandatee_kind', '=', 'enterprise')
            .where('m.type', 'in', [...types]),
        ),
      )
      .orderBy('r.seq')
      .limit(limit)
      .execute();
    const changes = rows.map(toChange);
    return { changes, scannedTo: changes.length === limit ? (changes.at(-1) as RegistryChange).seq : upper };
  }

  async actingPersons(enterpriseId: string, types: readonly string[]): Promise<ActingPersons | undefined> {
    // The position is read first: changes after it may already show below, and replaying them from the
    // feed sets each membership to what it already is, so the follower ends in the same state.
    const cursor = await this.head();
    if (types.length === 0) return undefined;
    const holds = await this.db
      .selectFrom('mandates')
      .select('id')
      .where('mandatee_id', '=', enterpriseId)
      .where('mandatee_kind', '=', 'enterprise')
      .where('type', 'in', [...types])
      .limit(1)
      .executeTakeFirst();
    if (!holds) return undefined;
    const representatives = await this.db
      .selectFrom('representatives')
      .select('person_id')
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('person_id')
      .execute();
    const executors = await this.db
      .selectFrom('executors')
      .select(['person_id', 'type'])
      .where('enterprise_id', '=', enterpriseId)
      .where('type', 'in', [...types])
      .orderBy('person_id')
      .orderBy('type')
      .execute();
    const byPerson = new Map<string, string[]>();
    for (const e of executors) byPerson.set(e.person_id, [...(byPerson.get(e.person_id) ?? []), e.type]);
    return {
      representatives: representatives.map((r) => r.person_id),
      executors: [...byPerson].map(([person, personTypes]) => ({ person, types: personTypes })),
      cursor,
    };
  }

  async head(): Promise<number> {
    const row = await this.db.selectFrom('registry_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.seq);
  }
}

/** Applies edits in order; returns those that changed the register (an addition already there, or a removal of what is not, changes nothing). */
async function applyEdits(conn: Kysely<Database>, edits: readonly RegistryEdit[], at: string): Promise<RegistryEdit[]> {
  const applied: RegistryEdit[] = [];
  for (let i = 0; i < edits.length; ) {
    const first = edits[i] as RegistryEdit;
    if (first.change === 'removed') {
      if (await remove(conn, first)) applied.push(first);
      i += 1;
      continue;
    }
    // A run of additions to one register goes in multi-row statements: an import of the enterprise
    // register is millions of rows, and one statement per row was 4 minutes a million on PostgreSQL.
    let end = i + 1;
    while (end < edits.length && end - i < INSERT_CHUNK && edits[end]?.change === 'added' && edits[end]?.role === first.role) end += 1;
    applied.push(...(await addAll(conn, edits.slice(i, end), at)));
    i = end;
  }
  return applied;
}

/** Inserts additions to one register at once; returns, in order, those it did not hold yet (of duplicates, the first). */
async function addAll(conn: Kysely<Database>, edits: readonly RegistryEdit[], at: string): Promise<RegistryEdit[]> {
  const keyOf = (enterpriseId: string, personId: string, type: string) => `${enterpriseId}|${personId}|${type}`;
  const keys = edits.map((e) => keyOf(e.enterpriseId, e.personId, e.role === 'executor' ? e.type : ''));
  const inserted =
    edits[0]?.role === 'representative'
      ? (
          await conn
            .insertInto('representatives')
            .values(
              edits.map((e) => ({
                enterprise_id: e.enterpriseId,
                person_id: e.personId,
                source: (e.role === 'representative' ? e.source : undefined) ?? 'register',
                created_at: at,
              })),
            )
            .onConflict((oc) => oc.columns(['enterprise_id', 'person_id']).doNothing())
            .returning(['enterprise_id', 'person_id'])
            .execute()
        ).map((r) => keyOf(r.enterprise_id, r.person_id, ''))
      : (
          await conn
            .insertInto('executors')
            .values(
              edits.map((e) => ({
                enterprise_id: e.enterpriseId,
                person_id: e.personId,
                type: e.role === 'executor' ? e.type : '',
                created_at: at,
              })),
            )
            .onConflict((oc) => oc.columns(['enterprise_id', 'person_id', 'type']).doNothing())
            .returning(['enterprise_id', 'person_id', 'type'])
            .execute()
        ).map((r) => keyOf(r.enterprise_id, r.person_id, r.type));
  const fresh = new Set(inserted);
  return edits.filter((_, k) => fresh.delete(keys[k] as string));
}

/** Applies one removal; true if the register held it. */
async function remove(conn: Kysely<Database>, e: RegistryEdit): Promise<boolean> {
  const result =
    e.role === 'representative'
      ? await conn
          .deleteFrom('representatives')
          .where('enterprise_id', '=', e.enterpriseId)
          .where('person_id', '=', e.personId)
          .executeTakeFirst()
      : await conn
          .deleteFrom('executors')
          .where('enterprise_id', '=', e.enterpriseId)
          .where('person_id', '=', e.personId)
          .where('type', '=', e.type)
          .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
