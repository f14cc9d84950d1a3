// Reminders: before a limited mandate ends (both parties, e.g. 60, 30 and 7 days before its last day)
// and before a pending proposal lapses (the party that has not signed). Durable and exactly once:
// each reminder is a row with a unique key (mandate, what it is about, threshold), recorded with its
// notifications in one transaction; the scan is a query, so any instance may run it at any time.
import { addDays, brusselsDay } from '../../core/dates.js';
import type { Mandate } from '../../core/mandate.js';
import { endingReminders, lapseReminders, type NotificationIntent } from '../../core/notifications.js';
import type { NewNotification, ReminderRecord } from '../../store/notification-port.js';
import type { AppContext } from '../context.js';
import { uuidv7 } from '../ids.js';

export interface ReminderPolicy {
  /** Days before a mandate's last valid day (SSM_REMINDER_DAYS). */
  reminderDays: readonly number[];
  /** Days before a proposal lapses (SSM_PROPOSAL_REMINDER_DAYS). */
  proposalReminderDays: readonly number[];
}

const DAY = 86_400_000;

function rows(intents: NotificationIntent[], at: number): NewNotification[] {
  return intents.map((n) => ({
    id: uuidv7(at),
    recipient: n.recipient,
    kind: n.kind,
    mandateId: n.mandateId,
    eventSeq: null,
    language: n.language,
    data: n.data,
    createdAt: n.at,
  }));
}

/** Records every reminder due now; returns how many were new. Smallest thresholds first: a mandate past several gets only the nearest. */
export async function sendDueReminders(app: AppContext, policy: ReminderPolicy, batch = 200): Promise<number> {
  const now = app.now();
  const at = now.toISOString();
  const today = brusselsDay(now);
  const store = app.store.notifications;
  let recorded = 0;
  const drain = async (find: () => Promise<Mandate[]>, record: (m: Mandate) => ReminderRecord) => {
    for (;;) {
      const due = await find();
      const fresh = await store.recordReminders(due.map(record));
      recorded += fresh;
      // A full page that recorded nothing new means another instance is recording the same ones: leave it to them.
      if (due.length < batch || fresh === 0) return;
    }
  };
  for (const threshold of [...policy.reminderDays].sort((a, b) => a - b)) {
    await drain(
      () => store.mandatesEnding(today, addDays(today, threshold), threshold, batch),
      (m) => ({
        mandateId: m.id,
        kind: 'ending',
        anchor: m.validUntil as string,
        thresholdDays: threshold,
        version: m.version,
        createdAt: at,
        notifications: rows(endingReminders(m, today, threshold, at), now.getTime()),
      }),
    );
  }
  for (const threshold of [...policy.proposalReminderDays].sort((a, b) => a - b)) {
    await drain(
      () => store.proposalsLapsing(at, new Date(now.getTime() + threshold * DAY).toISOString(), threshold, batch),
      (m) => ({
        mandateId: m.id,
        kind: 'proposal',
        anchor: m.proposalExpiresAt as string,
        thresholdDays: threshold,
        version: m.version,
        createdAt: at,
        notifications: rows(lapseReminders(m, at), now.getTime()),
      }),
    );
  }
  return recorded;
}
