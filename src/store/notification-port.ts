// The store port of notifications: contact details, the notification outbox (also the in-app
// inbox), the e-mail messages planned from it, and the reminders already sent. Same on every dialect.
import type { Mandate } from '../core/mandate.js';
import type { NotificationData, NotificationKind } from '../core/notifications.js';
import type { Language, Party } from '../core/party.js';
import type { Page } from './port.js';

export interface Contact {
  party: Party;
  email: string | null;
  emailConfirmedAt: string | null;
  /** When the pending confirmation link stops working (null when none is pending). */
  confirmExpiresAt: string | null;
  /** The language chosen for messages; null means each mandate's communication language. */
  language: Language | null;
  updatedAt: string;
}

/** pending: waits for its digest; planned: in a message being sent; sent; none: no confirmed address when it was due. */
export type MailStatus = 'pending' | 'planned' | 'sent' | 'none';

export interface NewNotification {
  id: string;
  recipient: Party;
  kind: NotificationKind;
  mandateId: string | null;
  eventSeq: number | null;
  language: Language;
  data: NotificationData;
  createdAt: string;
}

export interface Notification extends NewNotification {
  readAt: string | null;
  mailStatus: MailStatus;
  mailKey: string | null;
}

export type MailKind = 'digest' | 'confirmation';
export type MessageStatus = 'pending' | 'sent' | 'dead';

/** An e-mail, rendered when planned so that every attempt sends the same bytes under the same Message-ID. */
export interface NewMailMessage {
  /** The dedup key: derived from what the message carries (the outbox row ids, or the confirmation token hash). */
  key: string;
  messageId: string;
  kind: MailKind;
  recipient: Party;
  to: string;
  language: Language;
  subject: string;
  text: string;
  html: string;
  /** Notifications it carries (0 for a confirmation). */
  items: number;
  createdAt: string;
}

export interface MailMessage extends NewMailMessage {
  status: MessageStatus;
  /** Attempts started (counted when claimed, so a crash mid-send counts too). */
  attempts: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  lastError: string | null;
  sentAt: string | null;
}

export type SendOutcome =
  | { status: 'sent'; at: string }
  | { status: 'retry'; nextAttemptAt: string; error: string }
  | { status: 'dead'; error: string };

/** Plans the message for one recipient's due notifications; null when there is no confirmed address to send to. */
export type DigestComposer = (recipient: Party, contact: Contact | undefined, due: Notification[]) => NewMailMessage | null;

export interface ReminderRecord {
  mandateId: string;
  kind: 'ending' | 'proposal';
  /** The last valid day, or the instant the proposal lapses: a new end means new reminders. */
  anchor: string;
  thresholdDays: number;
  version: number;
  createdAt: string;
  /** Enqueued only if this reminder was not recorded before. */
  notifications: NewNotification[];
}

export interface NotificationStore {
  getContact(party: Party): Promise<Contact | undefined>;
  /**
   * Saves a party's contact details. With `confirmation`, the e-mail address becomes unconfirmed, the
   * token hash replaces any earlier one, and the confirmation message is queued in the same transaction.
   */
  saveContact(
    party: Party,
    change: { email: string | null; language: Language | null; emailChanged: boolean },
    at: string,
    confirmation?: { tokenHash: string; expiresAt: string; message: NewMailMessage },
  ): Promise<Contact>;
  /** Confirms the address whose pending token hashes to this; undefined if unknown or expired. */
  confirmContact(tokenHash: string, at: string): Promise<Contact | undefined>;

  /** A party's notifications, newest first. */
  inbox(party: Party, query: { limit: number; after?: string; unreadOnly?: boolean }): Promise<Page<Notification>>;
  unreadCount(party: Party): Promise<number>;
  /** Marks some (or all, with `ids` null) of a party's notifications read; returns how many changed. */
  markRead(party: Party, ids: readonly string[] | null, at: string): Promise<number>;

  /**
   * Plans digests: for recipients whose oldest pending notification was made at or before `dueBefore`,
   * asks `compose` for their message, queues them and links the notifications, in one transaction
   * holding the planner lock (skipped, `claimed` false, when another instance holds it).
   */
  planDigests(
    dueBefore: string,
    recipients: number,
    compose: DigestComposer,
  ): Promise<{ claimed: boolean; messages: number; skipped: number; recipients: number }>;
  /** Claims messages due at `now` (pending, not leased), counts an attempt and leases them until `leaseUntil`. */
  claimMessages(now: string, leaseUntil: string, limit: number): Promise<MailMessage[]>;
  /** Records the outcome of a claimed attempt; ignored (false) if the claim was lost to a newer attempt. */
  settleMessage(message: Pick<MailMessage, 'key' | 'attempts'>, outcome: SendOutcome): Promise<boolean>;
  listMessages(filter: { status?: MessageStatus; recipient?: Party; limit: number }): Promise<MailMessage[]>;

  /**
   * Signed mandates whose last valid day is between the two days, without a reminder at `threshold` or below
   * for that day, and not renewed (no live mandate of the same parties and type starts after it).
   */
  mandatesEnding(fromDay: string, toDay: string, threshold: number, limit: number): Promise<Mandate[]>;
  /** Pending proposals lapsing after `now` and at or before `until`, without a reminder at `threshold` or below for that instant. */
  proposalsLapsing(now: string, until: string, threshold: number, limit: number): Promise<Mandate[]>;
  /** Records reminders (each once: a unique key) and enqueues the notifications of those new, in one transaction. */
  recordReminders(records: readonly ReminderRecord[]): Promise<number>;
}
