// The business-application store over Kysely: clients, webhooks, the delivery outbox and the
// domain-filtered event log. On PostgreSQL, work shared by instances is claimed with FOR UPDATE SKIP
// LOCKED; on SQLite, BEGIN IMMEDIATE serializes writers, which gives the same guarantees for one file.
import type { Kysely, Selectable } from 'kysely';
import type {
  ActiveWebhook,
  ApiClient,
  BusinessStore,
  ChangeStamp,
  ClaimedDelivery,
  ClientChange,
  ClientChangeAction,
  DeliveryOutcome,
  DeliveryStatus,
  EventScope,
  NewDelivery,
  ScopedEvent,
  Webhook,
  WebhookDelivery,
} from './business-port.js';
import { WEBHOOK_FEED } from './business-port.js';
import { rowToEvent } from './rows.js';
import type { ClientsTable, Database, WebhookDeliveriesTable, WebhooksTable } from './schema.js';
import { inTransaction } from './transaction.js';

const INSERT_CHUNK = 500;

function rowToClient(r: Selectable<ClientsTable>): ApiClient {
  return {
    id: r.id,
    name: r.name,
    domain: r.domain,
    types: r.types === null ? null : (JSON.parse(r.types) as string[]),
    secretHash: r.secret_hash,
    previousSecret:
      r.previous_secret_hash === null || r.previous_secret_until === null
        ? null
        : { hash: r.previous_secret_hash, until: r.previous_secret_until },
    secretRotatedAt: r.secret_rotated_at,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    quotaPerSecond: r.quota_per_second === null ? null : Number(r.quota_per_second),
  };
}

function rowToWebhook(r: Selectable<WebhooksTable>): Webhook {
  return {
    id: r.id,
    clientId: r.client_id,
    url: r.url,
    secret: r.secret,
    afterSeq: Number(r.after_seq),
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

function rowToDelivery(r: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    seq: Number(r.seq),
    mandateId: r.mandate_id,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    status: r.status as DeliveryStatus,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

/** Records an operator's action, inside the transaction that makes it. */
async function record(
  conn: Kysely<Database>,
  stamp: ChangeStamp,
  clientId: string,
  webhookId: string | null,
  action: ClientChangeAction,
  details: Record<string, unknown> | null,
): Promise<void> {
  await conn
    .insertInto('client_changes')
    .values({
      id: stamp.id,
      at: stamp.at,
      actor: stamp.actor,
      client_id: clientId,
      webhook_id: webhookId,
      action,
      details: details === null ? null : JSON.stringify(details),
    })
    .execute();
}

async function headSeq(conn: Kysely<Database>): Promise<number> {
  const row = await conn.selectFrom('chain_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.seq);
}

export class KyselyBusiness implements BusinessStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  private transaction<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, this.dialect, fn);
  }

  private async ensureCursor(name: string) {
    await this.db
      .insertInto('feed_cursors')
      .values({ name, seq: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  async createClient(c: ApiClient, stamp: ChangeStamp) {
    await this.transaction(async (conn) => {
      await conn
        .insertInto('clients')
        .values({
          id: c.id,
          name: c.name,
          domain: c.domain,
          types: c.types === null ? null : JSON.stringify(c.types),
          secret_hash: c.secretHash,
          previous_secret_hash: c.previousSecret?.hash ?? null,
          previous_secret_until: c.previousSecret?.until ?? null,
          secret_rotated_at: c.secretRotatedAt,
          created_at: c.createdAt,
          revoked_at: c.revokedAt,
          quota_per_second: c.quotaPerSecond,
        })
        .execute();
      await record(conn, stamp, c.id, null, 'client-created', {
        name: c.name,
        domain: c.domain,
        types: c.types,
        quotaPerSecond: c.quotaPerSecond,
      });
    });
  }

  async getClient(id: string) {
    const row = await this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToClient(row) : undefined;
  }

  async listClients() {
    const rows = await this.db.selectFrom('clients').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(rowToClient);
  }

  async revokeClient(id: string, stamp: ChangeStamp) {
    return this.transaction(async (conn) => {
      const result = await conn
        .updateTable('clients')
        .set({ revoked_at: stamp.at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const done = Number(result.numUpdatedRows) === 1;
      if (done) await record(conn, stamp, id, null, 'client-revoked', null);
      return done;
    });
  }

  async rotateClientSecret(id: string, secretHash: string, previousUntil: string | null, stamp: ChangeStamp) {
    return this.transaction(async (conn) => {
      // SET reads the row as it was, so the secret being replaced becomes the previous one.
      const result = await conn
        .updateTable('clients')
        .set((eb) => ({
          secret_hash: secretHash,
          previous_secret_hash: previousUntil === null ? null : eb.ref('secret_hash'),
          previous_secret_until: previousUntil,
          secret_rotated_at: stamp.at,
        }))
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const done = Number(result.numUpdatedRows) === 1;
      if (done) await record(conn, stamp, id, null, 'secret-rotated', { previousWorksUntil: previousUntil });
      return done;
    });
  }

  async clientChanges(filter: { clientId?: string; limit: number }) {
    const rows = await this.db
      .selectFrom('client_changes')
      .selectAll()
      .$if(filter.clientId !== undefined, (q) => q.where('client_id', '=', filter.clientId as string))
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
    return rows.map(
      (r): ClientChange => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        clientId: r.client_id,
        webhookId: r.webhook_id,
        action: r.action as ClientChangeAction,
        details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
      }),
    );
  }

  async setClientQuota(id: string, perSecond: number | null, stamp: ChangeStamp) {
    return this.transaction(async (conn) => {
      const result = await conn.updateTable('clients').set({ quota_per_second: perSecond }).where('id', '=', id).executeTakeFirst();
      const done = Number(result.numUpdatedRows) === 1;
      if (done) await record(conn, stamp, id, null, 'quota-set', { quotaPerSecond: perSecond });
      return done;
    });
  }

  async addWebhook(w: Omit<Webhook, 'afterSeq' | 'disabledAt'>, stamp: ChangeStamp): Promise<Webhook> {
    await this.ensureCursor(WEBHOOK_FEED);
    return this.transaction(async (conn) => {
      // Holding the fan-out cursor while reading the head means fan-out sees this webhook for every event after it.
      await conn
        .selectFrom('feed_cursors')
        .select('seq')
        .where('name', '=', WEBHOOK_FEED)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      const afterSeq = await headSeq(conn);
      await conn
        .insertInto('webhooks')
        .values({
          id: w.id,
          client_id: w.clientId,
          url: w.url,
          secret: w.secret,
          after_seq: afterSeq,
          created_at: w.createdAt,
          disabled_at: null,
        })
        .execute();
      await record(conn, stamp, w.clientId, w.id, 'webhook-added', { url: w.url, afterSeq });
      return { ...w, afterSeq, disabledAt: null };
    });
  }

  async listWebhooks(clientId?: string) {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .$if(clientId !== undefined, (q) => q.where('client_id', '=', clientId as string))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToWebhook);
  }

  async disableWebhook(id: string, stamp: ChangeStamp) {
    return this.transaction(async (conn) => {
      const row = await conn
        .updateTable('webhooks')
        .set({ disabled_at: stamp.at })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .returning('client_id')
        .executeTakeFirst();
      if (row) await record(conn, stamp, row.client_id, id, 'webhook-disabled', null);
      return row !== undefined;
    });
  }

  async listDeliveries(filter: { status?: DeliveryStatus; webhookId?: string; limit: number }) {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as DeliveryStatus))
      .$if(filter.webhookId !== undefined, (q) => q.where('webhook_id', '=', filter.webhookId as string))
      .orderBy('seq', 'desc')
      .orderBy('webhook_id')
      .limit(filter.limit)
      .execute();
    return rows.map(rowToDelivery);
  }

  async redeliverDead(webhookId: string, stamp: ChangeStamp, deliveryIds?: readonly string[]) {
    return this.transaction(async (conn) => {
      if (deliveryIds !== undefined) {
        const named = [...new Set(deliveryIds)];
        const found = await conn
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('webhook_id', '=', webhookId)
          .where('status', '=', 'dead')
          .where('id', 'in', named)
          .execute();
        const dead = new Set(found.map((r) => r.id));
        const notDead = named.filter((id) => !dead.has(id));
        if (notDead.length > 0) return { requeued: 0, notDead };
      }
      // attempts back to 0: settleDelivery compares on it, and the dispatcher counts the new tries from there.
      const result = await conn
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: stamp.at })
        .where('webhook_id', '=', webhookId)
        .where('status', '=', 'dead')
        .$if(deliveryIds !== undefined, (q) => q.where('id', 'in', [...(deliveryIds as string[])]))
        .executeTakeFirst();
      const requeued = Number(result.numUpdatedRows);
      const webhook = await conn.selectFrom('webhooks').select('client_id').where('id', '=', webhookId).executeTakeFirst();
      if (webhook)
        await record(conn, stamp, webhook.client_id, webhookId, 'deliveries-redelivered', { requeued, named: deliveryIds ?? null });
      return { requeued, notDead: [] };
    });
  }

  async deliveryBacklog(now: string) {
    // Only what an operator can act on: deliveries of a disabled webhook or a revoked client end dead
    // and stay so (redelivery refuses them), so counting them would keep an alert firing for nothing.
    const active = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .innerJoin('clients as c', 'c.id', 'w.client_id')
      .where('w.disabled_at', 'is', null)
      .where('c.revoked_at', 'is', null);
    const counts = await active
      .select((eb) => ['d.status', eb.fn.countAll<number | string>().as('count')])
      .where('d.status', 'in', ['pending', 'dead'])
      .groupBy('d.status')
      .execute();
    // A claimed delivery's next attempt is its lease's end, so it is not counted as due while in flight.
    const due = await active
      .select((eb) => eb.fn.min('d.next_attempt_at').as('oldest'))
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .executeTakeFirst();
    const count = (status: DeliveryStatus) => Number(counts.find((r) => r.status === status)?.count ?? 0);
    return { pending: count('pending'), dead: count('dead'), oldestDueAt: (due?.oldest as string | null | undefined) ?? null };
  }

  async domainEvents(scope: EventScope, afterSeq: number, limit: number, window: number) {
    // Sequence numbers are gapless and in commit order, so everything up to the head is visible and the
    // scan is bounded by position alone: a quiet domain costs at most `window` rows of the primary key.
    const upper = Math.min(await headSeq(this.db), afterSeq + window);
    if (upper <= afterSeq || (scope.types !== null && scope.types.length === 0))
      return { events: [], scannedTo: Math.max(afterSeq, upper) };
    const rows = await this.db
      .selectFrom('events as e')
      .innerJoin('mandates as m', 'm.id', 'e.mandate_id')
      .selectAll('e')
      .where('e.seq', '>', afterSeq)
      .where('e.seq', '<=', upper)
      .where('m.domain', '=', scope.domain)
      .$if(scope.types !== null, (q) => q.where('m.type', 'in', [...(scope.types as string[])]))
      .orderBy('e.seq')
      .limit(limit)
      .execute();
    const events = rows.map(rowToEvent);
    const scannedTo = events.length === limit ? (events.at(-1)?.seq ?? upper) : upper;
    return { events, scannedTo };
  }

  async eventsAt(seqs: readonly number[]) {
    if (seqs.length === 0) return [];
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('seq', 'in', [...seqs])
      .orderBy('seq')
      .execute();
    return rows.map(rowToEvent);
  }

  async mandateHistories(mandateIds: readonly string[], uptoSeq: number) {
    if (mandateIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('mandate_id', 'in', [...mandateIds])
      .where('seq', '<=', uptoSeq)
      .orderBy('seq')
      .execute();
    return rows.map(rowToEvent);
  }

  private async activeWebhooks(conn: Kysely<Database>): Promise<ActiveWebhook[]> {
    const rows = await conn
      .selectFrom('webhooks as w')
      .innerJoin('clients as c', 'c.id', 'w.client_id')
      .select(['w.id', 'w.client_id', 'w.after_seq', 'c.domain', 'c.types'])
      .where('w.disabled_at', 'is', null)
      .where('c.revoked_at', 'is', null)
      .orderBy('w.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      afterSeq: Number(r.after_seq),
      domain: r.domain,
      types: r.types === null ? null : (JSON.parse(r.types) as string[]),
    }));
  }

  async fanOut(
    cursor: string,
    batch: number,
    at: string,
    plan: (events: ScopedEvent[], webhooks: ActiveWebhook[]) => NewDelivery[],
  ): Promise<{ claimed: boolean; events: number; deliveries: number; cursor: number }> {
    await this.ensureCursor(cursor);
    return this.transaction(async (conn) => {
      // One instance fans out at a time; the others skip instead of queueing behind it.
      const row = await conn
        .selectFrom('feed_cursors')
        .select('seq')
        .where('name', '=', cursor)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .executeTakeFirst();
      if (!row) return { claimed: false, events: 0, deliveries: 0, cursor: -1 };
      const claimedAt = Number(row.seq);
      const webhooks = await this.activeWebhooks(conn);
      // Events at or before every webhook's start concern none of them: skip them without reading.
      const floor = webhooks.length === 0 ? await headSeq(conn) : Math.min(...webhooks.map((w) => w.afterSeq));
      const from = Math.max(claimedAt, floor);
      const rows = await conn
        .selectFrom('events as e')
        .innerJoin('mandates as m', 'm.id', 'e.mandate_id')
        .select(['e.seq', 'e.mandate_id', 'm.domain', 'm.type'])
        .where('e.seq', '>', from)
        .orderBy('e.seq')
        .limit(batch)
        .execute();
      const events = rows.map((r) => ({ seq: Number(r.seq), mandateId: r.mandate_id, domain: r.domain, type: r.type }));
      const deliveries = plan(events, webhooks);
      for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
        const values = deliveries.slice(i, i + INSERT_CHUNK).map((d) => ({
          id: d.id,
          webhook_id: d.webhookId,
          seq: d.seq,
          mandate_id: d.mandateId,
          attempts: 0,
          next_attempt_at: at,
          status: 'pending',
          last_error: null,
          created_at: at,
          delivered_at: null,
        }));
        await conn.insertInto('webhook_deliveries').values(values).execute();
      }
      const next = events.at(-1)?.seq ?? from;
      if (next !== claimedAt) await conn.updateTable('feed_cursors').set({ seq: next }).where('name', '=', cursor).execute();
      return { claimed: true, events: events.length, deliveries: deliveries.length, cursor: next };
    });
  }

  async claimDeliveries(now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
    return this.transaction(async (conn) => {
      const rows = await conn
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .innerJoin('clients as c', 'c.id', 'w.client_id')
        .selectAll('d')
        .select(['w.url', 'w.secret', 'w.disabled_at', 'c.revoked_at'])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        // Order per mandate: an earlier delivery of the same webhook and mandate still pending (in flight or
        // backing off) holds the later ones back.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries as p')
                .select('p.id')
                .whereRef('p.webhook_id', '=', 'd.webhook_id')
                .whereRef('p.mandate_id', '=', 'd.mandate_id')
                .whereRef('p.seq', '<', 'd.seq')
                .where('p.status', '=', 'pending'),
            ),
          ),
        )
        .orderBy('d.seq')
        .limit(limit)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate('d').skipLocked())
        .execute();
      if (rows.length === 0) return [];
      await conn
        .updateTable('webhook_deliveries')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({
        ...rowToDelivery(r),
        attempts: Number(r.attempts) + 1,
        nextAttemptAt: leaseUntil,
        url: r.url,
        secret: r.secret,
        active: r.disabled_at === null && r.revoked_at === null,
      }));
    });
  }

  async settleDelivery(delivery: Pick<WebhookDelivery, 'id' | 'attempts'>, outcome: DeliveryOutcome) {
    const change =
      outcome.status === 'delivered'
        ? { status: 'delivered', delivered_at: outcome.at, last_error: null }
        : outcome.status === 'pending'
          ? { next_attempt_at: outcome.nextAttemptAt, last_error: outcome.error.slice(0, 500) }
          : { status: 'dead', last_error: outcome.error.slice(0, 500) };
    // Compare-and-set on the attempt count: a late answer after the lease ran out does not overwrite a newer attempt.
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set(change)
      .where('id', '=', delivery.id)
      .where('attempts', '=', delivery.attempts)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
