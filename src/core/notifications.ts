// Who is told what: the pure mapping from committed events (and the mandates after them) to
// notifications for parties, and the reminders before a mandate ends or a proposal lapses.
// The party that acted is never told about its own act; an enterprise is told as a party (its
// representatives see its inbox, its contact address gets the e-mail).
import type { CalendarDate } from './dates.js';
import { assertNever, type MandateEvent } from './events.js';
import { type Mandate, type Role, signedRoles } from './mandate.js';
import { type Language, type Party, partyKey, sameParty } from './party.js';

export const NOTIFICATION_KINDS = [
  'proposal-awaits-signature',
  'transfer-awaits-signature',
  'amendment-awaits-signature',
  'proposal-signed',
  'proposal-refused',
  'proposal-withdrawn',
  'proposal-lapsed',
  'amendment-signed',
  'amendment-refused',
  'amendment-withdrawn',
  'mandate-stopped',
  'mandate-amended',
  'transfer-proposed',
  'transfer-completed',
  'transfer-cancelled',
  'mandate-ends-soon',
  'proposal-lapses-soon',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a message needs to say about the mandate; stored with the notification as JSON. */
export interface NotificationData {
  type: string;
  mandator: Party;
  mandatee: Party;
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
  reference: string | null;
  /** The party that acted (null for the system). */
  by: Party | null;
  reason?: string | null;
  /** A proposed (not yet agreed) validity, for an amendment waiting for a signature. */
  proposed?: { validFrom: CalendarDate; validUntil: CalendarDate | null };
  newMandatee?: Party;
  successorId?: string;
  predecessorId?: string;
  /** Reminders: days left until the last valid day, and the threshold that triggered it. */
  daysLeft?: number;
  threshold?: number;
  /** When a pending proposal lapses (an instant). */
  lapsesAt?: string;
}

export interface NotificationIntent {
  recipient: Party;
  kind: NotificationKind;
  mandateId: string;
  /** Position of the causing event in the log (null for reminders). */
  eventSeq: number | null;
  at: string;
  /** The mandate's communication language: the fallback when the recipient chose none. */
  language: Language;
  data: NotificationData;
}

function dataOf(m: Mandate, by: Party | null): NotificationData {
  return {
    type: m.type,
    mandator: m.mandator,
    mandatee: m.mandatee,
    validFrom: m.validFrom,
    validUntil: m.validUntil,
    reference: m.reference,
    by,
  };
}

const parties = (m: Mandate): Party[] => [m.mandator, m.mandatee];
const except = (list: Party[], ...excluded: (Party | null | undefined)[]) =>
  list.filter((p) => !excluded.some((x) => x && sameParty(x, p)));

/** Notifications caused by events just committed; `mandatesAfter` holds every mandate they touched, after them. */
export function notificationsFor(
  events: readonly (MandateEvent & { seq?: number })[],
  mandatesAfter: ReadonlyMap<string, Mandate>,
): NotificationIntent[] {
  const intents: NotificationIntent[] = [];
  for (const e of events) {
    const m = mandatesAfter.get(e.mandateId);
    if (!m) continue;
    const by = e.onBehalfOf;
    const tell = (recipients: Party[], kind: NotificationKind, extra?: Partial<NotificationData>) => {
      for (const recipient of recipients) {
        // Assigned rather than spread into a new object: a bulk job tells this for every item.
        const data = extra ? Object.assign(dataOf(m, by), extra) : dataOf(m, by);
        intents.push({ recipient, kind, mandateId: e.mandateId, eventSeq: e.seq ?? null, at: e.at, language: m.language, data });
      }
    };
    const others = except(parties(m), by);
    switch (e.type) {
      case 'MandateProposed': {
        const signed = e.data.signature?.role;
        const waiting = (['mandator', 'mandatee'] as Role[]).filter((r) => r !== signed).map((r) => m[r]);
        if (e.data.predecessorId) tell(except(waiting, by), 'transfer-awaits-signature', { predecessorId: e.data.predecessorId });
        else tell(except(waiting, by), 'proposal-awaits-signature');
        break;
      }
      case 'MandateSigned':
        // Only the signature that completes the mandate is news; a first of two (a transfer) is not.
        if (m.status !== 'pending') tell(others, 'proposal-signed', m.predecessorId ? { predecessorId: m.predecessorId } : undefined);
        break;
      case 'MandateRefused':
        tell(others, 'proposal-refused', { reason: e.data.reason });
        break;
      case 'MandateWithdrawn':
        tell(others, 'proposal-withdrawn');
        break;
      case 'MandateLapsed': {
        const signed = signedRoles(m);
        tell(
          (['mandator', 'mandatee'] as Role[]).filter((r) => signed.has(r)).map((r) => m[r]),
          'proposal-lapsed',
        );
        break;
      }
      case 'MandateStopped':
        tell(others, 'mandate-stopped', { reason: e.data.reason });
        break;
      case 'MandateAmended':
        tell(others, 'mandate-amended');
        break;
      case 'AmendmentProposed':
        tell(others, 'amendment-awaits-signature', { proposed: { validFrom: e.data.validFrom, validUntil: e.data.validUntil } });
        break;
      case 'AmendmentSigned':
        tell(others, 'amendment-signed');
        break;
      case 'AmendmentRefused':
        tell(others, 'amendment-refused');
        break;
      case 'AmendmentWithdrawn':
        tell(others, 'amendment-withdrawn');
        break;
      case 'TransferProposed':
        tell(others, 'transfer-proposed', { newMandatee: e.data.newMandatee, successorId: e.data.successorId });
        break;
      case 'TransferCompleted': {
        const successor = mandatesAfter.get(e.data.successorId);
        tell(others, 'transfer-completed', {
          successorId: e.data.successorId,
          ...(successor ? { newMandatee: successor.mandatee } : {}),
        });
        break;
      }
      case 'TransferCancelled': {
        // Parties of the successor hear about it from the successor's own refusal, withdrawal or lapse.
        const successor = mandatesAfter.get(e.data.successorId);
        tell(except(others, ...(successor ? parties(successor) : [])), 'transfer-cancelled', {
          successorId: e.data.successorId,
          ...(successor ? { newMandatee: successor.mandatee } : {}),
        });
        break;
      }
      default:
        assertNever(e);
    }
  }
  return withoutRepeats(intents);
}

/** One act told twice to the same party reads as noise: keep the more telling message. */
function withoutRepeats(intents: NotificationIntent[]): NotificationIntent[] {
  const has = (recipient: Party, kind: NotificationKind, match: (i: NotificationIntent) => boolean) =>
    intents.some((i) => i.kind === kind && sameParty(i.recipient, recipient) && match(i));
  return intents.filter((i) => {
    // "Your transfer's successor was signed" is the transfer completing.
    if (i.kind === 'proposal-signed' && has(i.recipient, 'transfer-completed', (t) => t.data.successorId === i.mandateId)) return false;
    // Asked to sign the successor: that message already says a transfer is proposed.
    if (i.kind === 'transfer-proposed' && has(i.recipient, 'transfer-awaits-signature', (t) => t.mandateId === i.data.successorId)) {
      return false;
    }
    return true;
  });
}

/** Whole days from one calendar date to another (negative if `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  const utc = (d: CalendarDate) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, day);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/**
 * The reminder threshold a mandate has reached on `today`: the smallest of `thresholds` not below the
 * days left until its last valid day, or undefined if none is reached (or it has ended).
 */
export function reachedThreshold(validUntil: CalendarDate, today: CalendarDate, thresholds: readonly number[]): number | undefined {
  const left = daysBetween(today, validUntil);
  if (left < 0) return undefined;
  const reached = thresholds.filter((t) => left <= t);
  return reached.length === 0 ? undefined : Math.min(...reached);
}

/** Both parties are reminded that a signed mandate ends soon. */
export function endingReminders(m: Mandate, today: CalendarDate, threshold: number, at: string): NotificationIntent[] {
  const daysLeft = daysBetween(today, m.validUntil as CalendarDate);
  return parties(m).map((recipient) => ({
    recipient,
    kind: 'mandate-ends-soon' as const,
    mandateId: m.id,
    eventSeq: null,
    at,
    language: m.language,
    data: { ...dataOf(m, null), daysLeft, threshold },
  }));
}

/** The parties whose signature a pending proposal still lacks are reminded before it lapses. */
export function lapseReminders(m: Mandate, at: string): NotificationIntent[] {
  const signed = signedRoles(m);
  const initiator = (['mandator', 'mandatee'] as Role[]).find((r) => signed.has(r));
  return (['mandator', 'mandatee'] as Role[])
    .filter((r) => !signed.has(r))
    .map((r) => ({
      recipient: m[r],
      kind: 'proposal-lapses-soon' as const,
      mandateId: m.id,
      eventSeq: null,
      at,
      language: m.language,
      data: { ...dataOf(m, initiator ? m[initiator] : null), lapsesAt: m.proposalExpiresAt ?? undefined },
    }));
}

/** A stable text key of a party, for grouping by recipient. */
export const recipientKey = partyKey;
