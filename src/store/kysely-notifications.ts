// The notification store over Kysely. Work shared by instances is claimed: the digest planner and the
// reminder scan hold a named lock row (FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite BEGIN IMMEDIATE
// serializes writers), messages are leased one attempt at a time, and each reminder has a unique key.
import type { Kysely, Selectable } from 'kysely';
import type { NotificationData, NotificationKind } from '../core/notifications.js';
import type { Language, Party, PartyKind } from '../core/party.js';
import { insertMany } from './kysely-bulk-writes.js';
import type {
  Contact,
  DigestComposer,
  MailKind,
  MailMessage,
  MailStatus,
  MessageStatus,
  NewMailMessage,
  NewNotification,
  Notification,
  NotificationStore,
  ReminderRecord,
  SendOutcome,
} from './notification-port.js';
import type { Page } from './port.js';
import { rowToMandate } from './rows.js';
import type { ContactsTable, Database, MailMessagesTable, NotificationsTable } from './schema.js';
import { inTransaction } from './transaction.js';

const CHUNK = 500;
/** Notifications carried by one digest at most; the rest wait for the next one. */
const DIGEST_MAX_ITEMS = 5000;

const chunks = <T>(list: readonly T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

function rowToContact(r: Selectable<ContactsTable>): Contact {
  return {
    party: { kind: r.party_kind as PartyKind, id: r.party_id },
    email: r.email,
    emailConfirmedAt: r.email_confirmed_at,
    confirmExpiresAt: r.confirm_expires_at,
    language: r.language as Language | null,
    updatedAt: r.updated_at,
  };
}

function rowToNotification(r: Selectable<NotificationsTable>): Notification {
  return {
    id: r.id,
    recipient: { kind: r.recipient_kind as PartyKind, id: r.recipient_id },
    kind: r.kind as NotificationKind,
    mandateId: r.mandate_id,
    eventSeq: r.event_seq === null ? null : Number(r.event_seq),
    language: r.language as Language,
    data: JSON.parse(r.data) as NotificationData,
    createdAt: r.created_at,
    readAt: r.read_at,
    mailStatus: r.mail_status as MailStatus,
    mailKey: r.mail_key,
  };
}

function rowToMessage(r: Selectable<MailMessagesTable>): MailMessage {
  return {
    key: r.key,
    messageId: r.message_id,
    kind: r.kind as MailKind,
    recipient: { kind: r.recipient_kind as PartyKind, id: r.recipient_id },
    to: r.to_address,
    language: r.language as Language,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    items: Number(r.items),
    createdAt: r.created_at,
    status: r.status as MessageStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    sentAt: r.sent_at,
  };
}

const messageRow = (m: NewMailMessage) => ({
  key: m.key,
  message_id: m.messageId,
  kind: m.kind,
  recipient_kind: m.recipient.kind,
  recipient_id: m.recipient.id,
  to_address: m.to,
  language: m.language,
  subject: m.subject,
  text_body: m.text,
  html_body: m.html,
  items: m.items,
  status: 'pending',
  attempts: 0,
  next_attempt_at: m.createdAt,
  lease_until: null,
  last_error: null,
  created_at: m.createdAt,
  sent_at: null,
});

const notificationRow = (n: NewNotification) => ({
  id: n.id,
  recipient_kind: n.recipient.kind,
  recipient_id: n.recipient.id,
  kind: n.kind,
  mandate_id: n.mandateId,
  event_seq: n.eventSeq,
  language: n.language,
  data: JSON.stringify(n.data),
  created_at: n.createdAt,
  read_at: null,
  mail_status: 'pending',
  mail_key: null,
});

/** Inserts notifications on a connection that may be inside a transaction (the command's own). */
export async function insertNotifications(conn: Kysely<Database>, rows: readonly NewNotification[]): Promise<void> {
  await insertMany(conn, 'notifications', rows.map(notificationRow), CHUNK);
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

export class KyselyNotifications implements NotificationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  private transaction<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, this.dialect, fn);
  }

  /** Takes a named lock for the transaction; false if another instance holds it (PostgreSQL) — SQLite already serializes. */
  private async lock(conn: Kysely<Database>, name: string): Promise<boolean> {
    const row = await conn
      .selectFrom('notification_locks')
      .select('name')
      .where('name', '=', name)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
      .executeTakeFirst();
    return row !== undefined;
  }

  async getContact(party: Party) {
    const row = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('party_kind', '=', party.kind)
      .where('party_id', '=', party.id)
      .executeTakeFirst();
    return row ? rowToContact(row) : undefined;
  }

  async saveContact(
    party: Party,
    change: { email: string | null; language: Language | null; emailChanged: boolean },
    at: string,
    confirmation?: { tokenHash: string; expiresAt: string; message: NewMailMessage },
  ): Promise<Contact> {
    return this.transaction(async (conn) => {
      const before = await conn
        .selectFrom('contacts')
        .selectAll()
        .where('party_kind', '=', party.kind)
        .where('party_id', '=', party.id)
        .executeTakeFirst();
      const row: Selectable<ContactsTable> = {
        party_kind: party.kind,
        party_id: party.id,
        email: change.email,
        email_confirmed_at: change.emailChanged || change.email === null ? null : (before?.email_confirmed_at ?? null),
        confirm_token_hash: confirmation ? confirmation.tokenHash : change.email === null ? null : (before?.confirm_token_hash ?? null),
        confirm_expires_at: confirmation ? confirmation.expiresAt : change.email === null ? null : (before?.confirm_expires_at ?? null),
        language: change.language,
        updated_at: at,
      };
      if (before) {
        await conn.updateTable('contacts').set(row).where('party_kind', '=', party.kind).where('party_id', '=', party.id).execute();
      } else {
        await conn.insertInto('contacts').values(row).execute();
      }
      if (confirmation) {
        await conn
          .insertInto('mail_messages')
          .values(messageRow(confirmation.message))
          .onConflict((oc) => oc.column('key').doNothing())
          .execute();
      }
      return rowToContact(row);
    });
  }

  async confirmContact(tokenHash: string, at: string) {
    return this.transaction(async (conn) => {
      const row = await conn.selectFrom('contacts').selectAll().where('confirm_token_hash', '=', tokenHash).executeTakeFirst();
      if (!row || row.email === null || row.confirm_expires_at === null || row.confirm_expires_at <= at) return undefined;
      const confirmed = { ...row, email_confirmed_at: at, confirm_token_hash: null, confirm_expires_at: null, updated_at: at };
      await conn
        .updateTable('contacts')
        .set({ email_confirmed_at: at, confirm_token_hash: null, confirm_expires_at: null, updated_at: at })
        .where('party_kind', '=', row.party_kind)
        .where('party_id', '=', row.party_id)
        .where('confirm_token_hash', '=', tokenHash)
        .execute();
      return rowToContact(confirmed);
    });
  }

  async inbox(party: Party, query: { limit: number; after?: string; unreadOnly?: boolean }): Promise<Page<Notification>> {
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_kind', '=', party.kind)
      .where('recipient_id', '=', party.id)
      .$if(query.unreadOnly === true, (q) => q.where('read_at', 'is', null))
      .$if(query.after !== undefined, (q) => q.where('id', '<', decodeCursor(query.after as string)))
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const items = rows.slice(0, query.limit).map(rowToNotification);
    const last = items.at(-1);
    return { items, next: rows.length > query.limit && last ? encodeCursor(last.id) : null };
  }

  async unreadCount(party: Party) {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('recipient_kind', '=', party.kind)
      .where('recipient_id', '=', party.id)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async markRead(party: Party, ids: readonly string[] | null, at: string) {
    const mark = (list?: readonly string[]) =>
      this.db
        .updateTable('notifications')
        .set({ read_at: at })
        .where('recipient_kind', '=', party.kind)
        .where('recipient_id', '=', party.id)
        .where('read_at', 'is', null)
        .$if(list !== undefined, (q) => q.where('id', 'in', [...(list as string[])]))
        .executeTakeFirst();
    if (ids === null) return Number((await mark()).numUpdatedRows);
    let changed = 0;
    for (const part of chunks(ids)) if (part.length > 0) changed += Number((await mark(part)).numUpdatedRows);
    return changed;
  }

  async planDigests(dueBefore: string, recipients: number, compose: DigestComposer) {
    return this.transaction(async (conn) => {
      if (!(await this.lock(conn, 'mail-planner'))) return { claimed: false, messages: 0, skipped: 0, recipients: 0 };
      const due = await conn
        .selectFrom('notifications')
        .select(['recipient_kind', 'recipient_id'])
        .select((eb) => eb.fn.min('created_at').as('first'))
        .where('mail_status', '=', 'pending')
        .groupBy(['recipient_kind', 'recipient_id'])
        .having((eb) => eb.fn.min('created_at'), '<=', dueBefore)
        .orderBy('first')
        .limit(recipients)
        .execute();
      let messages = 0;
      let skipped = 0;
      for (const r of due) {
        const recipient: Party = { kind: r.recipient_kind as PartyKind, id: r.recipient_id };
        const rows = (
          await conn
            .selectFrom('notifications')
            .selectAll()
            .where('recipient_kind', '=', recipient.kind)
            .where('recipient_id', '=', recipient.id)
            .where('mail_status', '=', 'pending')
            .orderBy('id')
            .limit(DIGEST_MAX_ITEMS)
            .execute()
        ).map(rowToNotification);
        const contactRow = await conn
          .selectFrom('contacts')
          .selectAll()
          .where('party_kind', '=', recipient.kind)
          .where('party_id', '=', recipient.id)
          .executeTakeFirst();
        const message = compose(recipient, contactRow ? rowToContact(contactRow) : undefined, rows);
        const ids = rows.map((n) => n.id);
        if (message) {
          await conn
            .insertInto('mail_messages')
            .values(messageRow(message))
            .onConflict((oc) => oc.column('key').doNothing())
            .execute();
          messages += 1;
        } else {
          skipped += rows.length;
        }
        for (const part of chunks(ids)) {
          await conn
            .updateTable('notifications')
            .set(message ? { mail_status: 'planned', mail_key: message.key } : { mail_status: 'none' })
            .where('id', 'in', part)
            .execute();
        }
      }
      return { claimed: true, messages, skipped, recipients: due.length };
    });
  }

  async claimMessages(now: string, leaseUntil: string, limit: number): Promise<MailMessage[]> {
    return this.transaction(async (conn) => {
      const rows = await conn
        .selectFrom('mail_messages')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('key')
        .limit(limit)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      if (rows.length === 0) return [];
      // The lease is the next attempt time: until it passes, no other instance takes the message.
      for (const part of chunks(rows.map((r) => r.key))) {
        await conn
          .updateTable('mail_messages')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil, lease_until: leaseUntil }))
          .where('key', 'in', part)
          .execute();
      }
      return rows.map((r) => ({ ...rowToMessage(r), attempts: Number(r.attempts) + 1, nextAttemptAt: leaseUntil, leaseUntil }));
    });
  }

  async settleMessage(message: Pick<MailMessage, 'key' | 'attempts'>, outcome: SendOutcome) {
    return this.transaction(async (conn) => {
      const change =
        outcome.status === 'sent'
          ? { status: 'sent', sent_at: outcome.at, lease_until: null, last_error: null }
          : outcome.status === 'retry'
            ? { next_attempt_at: outcome.nextAttemptAt, lease_until: null, last_error: outcome.error.slice(0, 500) }
            : { status: 'dead', lease_until: null, last_error: outcome.error.slice(0, 500) };
      // Compare-and-set on the attempt count: a late outcome after the lease ran out does not overwrite a newer attempt.
      const result = await conn
        .updateTable('mail_messages')
        .set(change)
        .where('key', '=', message.key)
        .where('attempts', '=', message.attempts)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const settled = Number(result.numUpdatedRows) === 1;
      if (settled && outcome.status === 'sent') {
        await conn.updateTable('notifications').set({ mail_status: 'sent' }).where('mail_key', '=', message.key).execute();
        // A confirmation link is a credential: once delivered, the outbox need not keep it.
        await conn
          .updateTable('mail_messages')
          .set({ text_body: '', html_body: '' })
          .where('key', '=', message.key)
          .where('kind', '=', 'confirmation')
          .execute();
      }
      return settled;
    });
  }

  async listMessages(filter: { status?: MessageStatus; recipient?: Party; limit: number }) {
    const rows = await this.db
      .selectFrom('mail_messages')
      .selectAll()
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as MessageStatus))
      .$if(filter.recipient !== undefined, (q) =>
        q.where('recipient_kind', '=', (filter.recipient as Party).kind).where('recipient_id', '=', (filter.recipient as Party).id),
      )
      .orderBy('created_at', 'desc')
      .orderBy('key')
      .limit(filter.limit)
      .execute();
    return rows.map(rowToMessage);
  }

  async mandatesEnding(fromDay: string, toDay: string, threshold: number, limit: number) {
    const rows = await this.db
      .selectFrom('mandates as m')
      .selectAll('m')
      .where('m.status', '=', 'signed')
      .where('m.valid_until', 'is not', null)
      .where('m.valid_until', '>=', fromDay)
      .where('m.valid_until', '<=', toDay)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('reminders_sent as r')
              .select('r.mandate_id')
              .whereRef('r.mandate_id', '=', 'm.id')
              .where('r.kind', '=', 'ending')
              .whereRef('r.anchor', '=', 'm.valid_until')
              .where('r.threshold_days', '<=', threshold),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('mandates as n')
              .select('n.id')
              .whereRef('n.mandator_kind', '=', 'm.mandator_kind')
              .whereRef('n.mandator_id', '=', 'm.mandator_id')
              .whereRef('n.mandatee_kind', '=', 'm.mandatee_kind')
              .whereRef('n.mandatee_id', '=', 'm.mandatee_id')
              .whereRef('n.type', '=', 'm.type')
              .where('n.status', 'in', ['pending', 'signed'])
              .whereRef('n.valid_from', '>', 'm.valid_until'),
          ),
        ),
      )
      .orderBy('m.valid_until')
      .orderBy('m.id')
      .limit(limit)
      .execute();
    return rows.map(rowToMandate);
  }

  async proposalsLapsing(now: string, until: string, threshold: number, limit: number) {
    const rows = await this.db
      .selectFrom('mandates as m')
      .selectAll('m')
      .where('m.status', '=', 'pending')
      .where('m.proposal_expires_at', '>', now)
      .where('m.proposal_expires_at', '<=', until)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('reminders_sent as r')
              .select('r.mandate_id')
              .whereRef('r.mandate_id', '=', 'm.id')
              .where('r.kind', '=', 'proposal')
              .whereRef('r.anchor', '=', 'm.proposal_expires_at')
              .where('r.threshold_days', '<=', threshold),
          ),
        ),
      )
      .orderBy('m.proposal_expires_at')
      .orderBy('m.id')
      .limit(limit)
      .execute();
    return rows.map(rowToMandate);
  }

  async recordReminders(records: readonly ReminderRecord[]) {
    if (records.length === 0) return 0;
    return this.transaction(async (conn) => {
      let recorded = 0;
      for (const r of records) {
        // The unique key makes each reminder happen once, whichever instance (or retry) gets here first.
        const result = await conn
          .insertInto('reminders_sent')
          .values({
            mandate_id: r.mandateId,
            kind: r.kind,
            anchor: r.anchor,
            threshold_days: r.thresholdDays,
            version: r.version,
            created_at: r.createdAt,
          })
          .onConflict((oc) => oc.columns(['mandate_id', 'kind', 'anchor', 'threshold_days']).doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
        recorded += 1;
        await insertNotifications(conn, r.notifications);
      }
      return recorded;
    });
  }
}
