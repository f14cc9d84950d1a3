// The outbox side of a command: the notifications its events cause are written in the same
// transaction as the events, so none is lost and none is made for a change that rolled back.
import type { StoredEvent } from '../../core/events.js';
import type { Mandate } from '../../core/mandate.js';
import { notificationsFor } from '../../core/notifications.js';
import type { NewNotification } from '../../store/notification-port.js';
import type { WriteTx } from '../../store/port.js';
import type { AppContext } from '../context.js';
import { uuidv7 } from '../ids.js';

export async function enqueueNotifications(
  app: AppContext,
  tx: WriteTx,
  events: readonly StoredEvent[],
  mandatesAfter: ReadonlyMap<string, Mandate>,
): Promise<void> {
  const at = app.now().getTime();
  const rows: NewNotification[] = notificationsFor(events, mandatesAfter).map((n) => ({
    id: uuidv7(at),
    recipient: n.recipient,
    kind: n.kind,
    mandateId: n.mandateId,
    eventSeq: n.eventSeq,
    language: n.language,
    data: n.data,
    createdAt: n.at,
  }));
  if (rows.length > 0) await tx.enqueueNotifications(rows);
}
