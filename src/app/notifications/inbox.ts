// The in-app inbox: a party's notifications (the same rows the e-mail digests are made of), with
// their text in the reader's language, the unread count, and marking read.
import type { Language, Party } from '../../core/party.js';
import type { Notification } from '../../store/notification-port.js';
import type { AppContext } from '../context.js';
import { mayActAs } from '../queries.js';
import { notRepresented, type Outcome } from './contacts.js';
import { notificationHeading, notificationText, type RenderContext } from './render.js';

export interface InboxItem {
  id: string;
  kind: Notification['kind'];
  mandateId: string | null;
  at: string;
  read: boolean;
  title: string;
  text: string;
  data: Notification['data'];
}

export interface InboxPage {
  party: Party;
  unread: number;
  items: InboxItem[];
  next: string | null;
}

export async function listInbox(
  app: AppContext,
  render: RenderContext,
  personId: string,
  party: Party,
  query: { limit: number; cursor?: string; unreadOnly?: boolean; lang?: Language },
): Promise<Outcome<InboxPage>> {
  if (!(await mayActAs(app, personId, party))) return notRepresented();
  const store = app.store.notifications;
  const [page, unread, contact] = await Promise.all([
    store.inbox(party, { limit: query.limit, after: query.cursor, unreadOnly: query.unreadOnly }),
    store.unreadCount(party),
    query.lang ? Promise.resolve(undefined) : store.getContact(party),
  ]);
  const items = page.items.map((n) => {
    const lang = query.lang ?? contact?.language ?? n.language;
    return {
      id: n.id,
      kind: n.kind,
      mandateId: n.mandateId,
      at: n.createdAt,
      read: n.readAt !== null,
      title: notificationHeading(n.kind, lang),
      text: notificationText(render, n, lang),
      data: n.data,
    };
  });
  return { ok: true, value: { party, unread, items, next: page.next } };
}

export async function markInboxRead(
  app: AppContext,
  personId: string,
  party: Party,
  ids: readonly string[] | null,
): Promise<Outcome<{ marked: number; unread: number }>> {
  if (!(await mayActAs(app, personId, party))) return notRepresented();
  const marked = await app.store.notifications.markRead(party, ids, app.now().toISOString());
  return { ok: true, value: { marked, unread: await app.store.notifications.unreadCount(party) } };
}
