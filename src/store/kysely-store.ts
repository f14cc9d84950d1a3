// The Store over Kysely, shared by both dialects; dialect differences come in as `DialectQuirks`.
import { type CompiledQuery, type Expression, type ExpressionBuilder, type Kysely, Migrator, type SqlBool, sql } from 'kysely';
import { chainHash } from '../core/chain.js';
import { type EventType, evolve, type MandateEvent, type StoredEvent } from '../core/events.js';
import type { Mandate } from '../core/mandate.js';
import type { Party } from '../core/party.js';
import type { ProjectionWrite, SealedEvent, TripleKey } from './batch-port.js';
import { KyselyBatches, KyselyBatchTx } from './kysely-batches.js';
import { insertSealedEvents, selectSameTriples, writeProjectionRows } from './kysely-bulk-writes.js';
import { KyselyBusiness } from './kysely-business.js';
import { insertNotifications, KyselyNotifications } from './kysely-notifications.js';
import { KyselyRegistry } from './kysely-registry.js';
import { pruneRows } from './kysely-retention.js';
import { KyselySessions } from './kysely-sessions.js';
import { migrationProvider } from './migrations/index.js';
import type { NewNotification } from './notification-port.js';
import type {
  ChainPosition,
  Executor,
  IdempotentAnswer,
  MandateQuery,
  Page,
  PruneCutoffs,
  Representation,
  SignedMandate,
  SigningKey,
  Store,
  ThreadShare,
  WriteTx,
} from './port.js';
import { VersionConflictError } from './port.js';
import { eventToRow, mandateToRow, rowToEvent, rowToMandate } from './rows.js';
import type { Database } from './schema.js';

export interface DialectQuirks {
  name: 'sqlite' | 'postgres';
  /** Starts a write transaction and takes the log's write lock, returning the chain head. */
  beginWrite(conn: Kysely<Database>): Promise<ChainPosition>;
  /** Rows per multi-row INSERT, under the dialect's bound-parameter limit. */
  insertChunk: number;
  /** What a thread of this process needs to open the same database beside this store (see `Store.threadShare`). */
  threadShare?: ThreadShare;
  /**
   * Runs a read and returns each row as an array of its values, in select order. Only where that is
   * much cheaper than row objects (better-sqlite3 builds an object a named property at a time: half of
   * a million-mandate index build); otherwise the store takes the values of Kysely's row objects. The
   * store calls it while it holds Kysely's connection (SQLite has one, shared by every caller).
   */
  arrayRows?(query: CompiledQuery): Promise<unknown[][]>;
  /** An online, consistent copy of the database into a new file (SQLite); PostgreSQL is backed up with its own tools. */
  backup?(file: string): Promise<void>;
  close(): Promise<void>;
}

const partyIs = (eb: ExpressionBuilder<Database, 'mandates'>, role: 'mandator' | 'mandatee', p: Party): Expression<SqlBool> =>
  eb.and([eb(`${role}_id`, '=', p.id), eb(`${role}_kind`, '=', p.kind)]);

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

async function selectMandates(db: Kysely<Database>, ids: readonly string[]): Promise<Mandate[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('mandates')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(rowToMandate);
}

class KyselyWriteTx implements WriteTx {
  constructor(
    private readonly conn: Kysely<Database>,
    private head: ChainPosition,
    private readonly insertChunk: number,
  ) {}

  get position() {
    return this.head;
  }

  async getMandate(id: string) {
    return (await selectMandates(this.conn, [id]))[0];
  }

  getMandates(ids: readonly string[]) {
    return selectMandates(this.conn, ids);
  }

  async sameTriple(mandator: Party, mandatee: Party, type: string) {
    const rows = await this.conn
      .selectFrom('mandates')
      .selectAll()
      .where((eb) => eb.and([partyIs(eb, 'mandator', mandator), partyIs(eb, 'mandatee', mandatee), eb('type', '=', type)]))
      .execute();
    return rows.map(rowToMandate);
  }

  sameTriples(keys: readonly TripleKey[]) {
    return selectSameTriples(this.conn, keys);
  }

  get batches() {
    return new KyselyBatchTx(this.conn);
  }

  async appendSealed(entries: readonly SealedEvent[]) {
    const { seqs, head } = await insertSealedEvents(this.conn, this.head, entries);
    this.head = head;
    return seqs;
  }

  writeProjections(entries: readonly ProjectionWrite[]) {
    return writeProjectionRows(this.conn, entries);
  }

  async append(events: readonly MandateEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const touched = [...new Set(events.filter((e) => e.type !== 'MandateProposed').map((e) => e.mandateId))];
    const current = new Map((await selectMandates(this.conn, touched)).map((m) => [m.id, m]));
    const before = new Map([...current].map(([id, m]) => [id, m.version]));
    const stored: StoredEvent[] = [];
    const lastSeq = new Map<string, number>();
    let { seq, hash } = this.head;
    for (const event of events) {
      seq += 1;
      const next = chainHash(hash, seq, event);
      stored.push({ ...event, seq, prevHash: hash, hash: next } as StoredEvent);
      hash = next;
      const mandate = evolve(current.get(event.mandateId), event);
      if (event.type !== 'MandateProposed' && mandate.version !== (current.get(event.mandateId)?.version ?? 0) + 1) {
        throw new VersionConflictError(event.mandateId);
      }
      current.set(event.mandateId, mandate);
      lastSeq.set(event.mandateId, seq);
    }
    for (let i = 0; i < stored.length; i += this.insertChunk) {
      const rows = stored.slice(i, i + this.insertChunk).map((e) => eventToRow(e, e.seq, e.prevHash, e.hash));
      await this.conn.insertInto('events').values(rows).execute();
    }
    const created = [...current.values()].filter((m) => !before.has(m.id));
    for (let i = 0; i < created.length; i += this.insertChunk) {
      const rows = created.slice(i, i + this.insertChunk).map((m) => mandateToRow(m, lastSeq.get(m.id) as number));
      await this.conn.insertInto('mandates').values(rows).execute();
    }
    for (const [id, version] of before) {
      const mandate = current.get(id) as Mandate;
      const result = await this.conn
        .updateTable('mandates')
        .set(mandateToRow(mandate, lastSeq.get(id) as number))
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new VersionConflictError(id);
    }
    this.head = { seq, hash };
    await this.conn.updateTable('chain_head').set({ seq, hash }).where('id', '=', 1).execute();
    return stored;
  }

  async enqueueNotifications(rows: readonly NewNotification[]) {
    await insertNotifications(this.conn, rows);
  }
}

export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly sessions: KyselySessions;
  readonly business: KyselyBusiness;
  readonly batches: KyselyBatches;
  readonly notifications: KyselyNotifications;
  readonly registry: KyselyRegistry;
  readonly threadShare: ThreadShare | undefined;

  constructor(
    readonly db: Kysely<Database>,
    private readonly quirks: DialectQuirks,
  ) {
    this.dialect = quirks.name;
    this.threadShare = quirks.threadShare;
    this.sessions = new KyselySessions(db);
    this.business = new KyselyBusiness(db, quirks.name);
    this.batches = new KyselyBatches(db, quirks.name);
    this.notifications = new KyselyNotifications(db, quirks.name);
    this.registry = new KyselyRegistry(db, quirks.name);
  }

  async migrate() {
    const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      const head = await this.quirks.beginWrite(conn);
      try {
        const result = await fn(new KyselyWriteTx(conn, head, this.quirks.insertChunk));
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }

  async getMandate(id: string) {
    return (await selectMandates(this.db, [id]))[0];
  }

  async listMandates(q: MandateQuery): Promise<Page<Mandate>> {
    let query = this.db
      .selectFrom('mandates')
      .selectAll()
      .where((eb) => {
        const asMandator = q.counterparty
          ? eb.and([partyIs(eb, 'mandator', q.party), partyIs(eb, 'mandatee', q.counterparty)])
          : partyIs(eb, 'mandator', q.party);
        const asMandatee = q.counterparty
          ? eb.and([partyIs(eb, 'mandatee', q.party), partyIs(eb, 'mandator', q.counterparty)])
          : partyIs(eb, 'mandatee', q.party);
        if (q.role === 'mandator') return asMandator;
        if (q.role === 'mandatee') return asMandatee;
        return eb.or([asMandator, asMandatee]);
      });
    if (q.status && q.status.length > 0) query = query.where('status', 'in', q.status);
    if (q.type) query = query.where('type', '=', q.type);
    if (q.after) query = query.where('id', '<', decodeCursor(q.after));
    const rows = await query
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map(rowToMandate);
    const last = items.at(-1);
    return { items, next: rows.length > q.limit && last ? encodeCursor(last.id) : null };
  }

  async scanMandates(afterId: string | null, limit: number) {
    let query = this.db.selectFrom('mandates').selectAll();
    if (afterId !== null) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(rowToMandate);
  }

  async countSignedMandates(): Promise<number> {
    const row = await this.db
      .selectFrom('mandates')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', '=', 'signed')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async scanSignedMandates(afterId: string | null, limit: number): Promise<SignedMandate[]> {
    // Few columns, and the party kinds as flags: every text column read is a string to allocate.
    let query = this.db
      .selectFrom('mandates')
      .select((eb) => [
        'id',
        'type',
        'domain',
        'mandator_id',
        eb('mandator_kind', '=', 'enterprise').as('mandator_enterprise'),
        'mandatee_id',
        eb('mandatee_kind', '=', 'enterprise').as('mandatee_enterprise'),
        'valid_from',
        'valid_until',
        'version',
      ])
      // On the expression, not the column: filtering the column lets SQLite pick the status index and sort every page.
      .where(sql<string>`status || ''`, '=', 'signed');
    if (afterId !== null) query = query.where('id', '>', afterId);
    query = query.orderBy('id').limit(limit);
    // Each row as its values, in the order selected above (pg fills a row object's fields in result order).
    const { arrayRows } = this.quirks;
    const rows = arrayRows
      ? // Through Kysely's connection, so that the read waits for a transaction another caller has open on it, as Kysely's own queries do.
        await this.db.connection().execute(() => arrayRows(query.compile()))
      : (await query.execute()).map((row) => Object.values(row));
    return rows.map(
      ([id, type, domain, mandatorId, mandatorEnterprise, mandateeId, mandateeEnterprise, validFrom, validUntil, version]) => ({
        id: id as string,
        type: type as string,
        domain: domain as string,
        mandator: { kind: mandatorEnterprise ? 'enterprise' : 'person', id: mandatorId as string },
        mandatee: { kind: mandateeEnterprise ? 'enterprise' : 'person', id: mandateeId as string },
        validFrom: validFrom as SignedMandate['validFrom'],
        validUntil: validUntil as SignedMandate['validUntil'],
        version: Number(version),
      }),
    );
  }

  async getMandates(ids: readonly string[]) {
    const unique = [...new Set(ids)];
    const found: Mandate[] = [];
    // Chunked so a large batch of events stays under the dialects' bound-parameter limits.
    for (let i = 0; i < unique.length; i += 500) found.push(...(await selectMandates(this.db, unique.slice(i, i + 500))));
    return found;
  }

  async mandatesOfTriple(mandator: Party, mandatee: Party, type: string) {
    const rows = await this.db
      .selectFrom('mandates')
      .selectAll()
      .where((eb) => eb.and([partyIs(eb, 'mandator', mandator), partyIs(eb, 'mandatee', mandatee), eb('type', '=', type)]))
      .execute();
    return rows.map(rowToMandate);
  }

  async scanRepresentatives(after: { enterpriseId: string; personId: string } | null, limit: number): Promise<Representation[]> {
    let query = this.db.selectFrom('representatives').selectAll();
    if (after !== null) {
      query = query.where((eb) =>
        eb.or([
          eb('enterprise_id', '>', after.enterpriseId),
          eb.and([eb('enterprise_id', '=', after.enterpriseId), eb('person_id', '>', after.personId)]),
        ]),
      );
    }
    const rows = await query.orderBy('enterprise_id').orderBy('person_id').limit(limit).execute();
    return rows.map((r) => ({ enterpriseId: r.enterprise_id, personId: r.person_id, source: r.source }));
  }

  async scanExecutors(after: Executor | null, limit: number): Promise<Executor[]> {
    let query = this.db.selectFrom('executors').selectAll();
    if (after !== null) {
      query = query.where((eb) =>
        eb.or([
          eb('enterprise_id', '>', after.enterpriseId),
          eb.and([eb('enterprise_id', '=', after.enterpriseId), eb('person_id', '>', after.personId)]),
          eb.and([eb('enterprise_id', '=', after.enterpriseId), eb('person_id', '=', after.personId), eb('type', '>', after.type)]),
        ]),
      );
    }
    const rows = await query.orderBy('enterprise_id').orderBy('person_id').orderBy('type').limit(limit).execute();
    return rows.map((r) => ({ enterpriseId: r.enterprise_id, personId: r.person_id, type: r.type }));
  }

  async dueProposals(now: string, limit: number) {
    const rows = await this.db
      .selectFrom('mandates')
      .select('id')
      .where('status', '=', 'pending')
      .where('proposal_expires_at', '<=', now)
      .orderBy('proposal_expires_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async mandateEvents(mandateId: string) {
    const rows = await this.db.selectFrom('events').selectAll().where('mandate_id', '=', mandateId).orderBy('seq').execute();
    return rows.map(rowToEvent);
  }

  async readEvents(afterSeq: number, limit: number) {
    const rows = await this.db.selectFrom('events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map(rowToEvent);
  }

  async eventPositions(afterSeq: number, limit: number) {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'mandate_id', 'type'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), mandateId: r.mandate_id, type: r.type as EventType }));
  }

  async head(): Promise<ChainPosition> {
    const row = await this.db.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  }

  async enterprisesRepresentedBy(personId: string) {
    const rows = await this.db
      .selectFrom('representatives')
      .select('enterprise_id')
      .where('person_id', '=', personId)
      .orderBy('enterprise_id')
      .execute();
    return rows.map((r) => r.enterprise_id);
  }

  async addRepresentatives(rows: readonly Representation[], actor = 'register') {
    const edits = rows.map((r) => ({ role: 'representative' as const, change: 'added' as const, ...r }));
    return (await this.registry.edit(edits, actor, new Date().toISOString())).length;
  }

  async removeRepresentative(enterpriseId: string, personId: string, actor = 'register') {
    const edit = { role: 'representative' as const, change: 'removed' as const, enterpriseId, personId };
    return (await this.registry.edit([edit], actor, new Date().toISOString())).length > 0;
  }

  async executorsOf(enterpriseId: string): Promise<Executor[]> {
    const rows = await this.db
      .selectFrom('executors')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('person_id')
      .orderBy('type')
      .execute();
    return rows.map((r) => ({ enterpriseId: r.enterprise_id, personId: r.person_id, type: r.type }));
  }

  async addExecutors(rows: readonly Executor[], actor = 'register') {
    const edits = rows.map((r) => ({ role: 'executor' as const, change: 'added' as const, ...r }));
    return (await this.registry.edit(edits, actor, new Date().toISOString())).length;
  }

  async recordCatalogue(version: string, content: string) {
    await this.db
      .insertInto('catalogue_versions')
      .values({ version, content, loaded_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute();
  }

  async signingKeys(): Promise<SigningKey[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      publicJwk: JSON.parse(r.public_jwk),
      privateJwk: JSON.parse(r.private_jwk),
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  async rotateSigningKey(key: SigningKey) {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('signing_keys').set({ retired_at: key.createdAt }).where('retired_at', 'is', null).execute();
      await trx
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          public_jwk: JSON.stringify(key.publicJwk),
          private_jwk: JSON.stringify(key.privateJwk),
          created_at: key.createdAt,
          retired_at: null,
        })
        .execute();
    });
  }

  async reserveIdempotent(scope: string, key: string, fingerprint: string) {
    const result = await this.db
      .insertInto('idempotency_keys')
      .values({ scope, key, fingerprint, status: null, headers: null, body: null, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findIdempotent(scope: string, key: string): Promise<IdempotentAnswer | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      fingerprint: row.fingerprint,
      status: row.status === null ? null : Number(row.status),
      headers: row.headers ? JSON.parse(row.headers) : {},
      body: row.body,
    };
  }

  async settleIdempotent(scope: string, key: string, answer: { status: number; headers: Record<string, string>; body: string } | null) {
    const where = this.db.updateTable('idempotency_keys').where('scope', '=', scope).where('key', '=', key);
    if (answer === null) {
      await this.db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('status', 'is', null).execute();
      return;
    }
    await where.set({ status: answer.status, headers: JSON.stringify(answer.headers), body: answer.body }).execute();
  }

  async backup(file: string) {
    if (!this.quirks.backup) throw new Error('back up PostgreSQL with pg_dump (or your provider’s snapshots); see docs/operations.md');
    await this.quirks.backup(file);
  }

  prune(cutoffs: PruneCutoffs) {
    return pruneRows(this.db, cutoffs);
  }

  async ping() {
    await sql`select 1`.execute(this.db);
  }

  async close() {
    await this.db.destroy();
    await this.quirks.close();
  }
}
