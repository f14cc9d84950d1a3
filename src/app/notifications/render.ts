// Turns notifications into what people read: one sentence (the inbox), a digest e-mail (subject,
// plain text and simple HTML) and the address confirmation e-mail, in the reader's language.
import { createHash } from 'node:crypto';
import type { CatalogueIndex } from '../../core/catalogue.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../core/notifications.js';
import { type Language, type Party, sameParty } from '../../core/party.js';
import type { Contact, NewMailMessage, Notification } from '../../store/notification-port.js';
import { capitalize, formatDay, formatDaysLeft, formatInstant, formatParty, formatValidity } from './format.js';
import { CONFIRMATION, FRAME, type Phrase, WORDING } from './messages.js';

/** Items listed per kind in one digest; the rest are counted and left to the inbox. */
const LISTED_PER_KIND = 25;

export interface RenderContext {
  catalogue: CatalogueIndex;
  /** The service's public URL, for links. */
  publicUrl: string;
}

export function typeLabel(catalogue: CatalogueIndex, type: string, lang: Language): string {
  return catalogue.type(type)?.label[lang] ?? type;
}

function phrase(ctx: RenderContext, n: Pick<Notification, 'data' | 'recipient'>, lang: Language): Phrase {
  const d = n.data;
  const party = (p: Party | null | undefined) => formatParty(p, lang);
  const counterpart = sameParty(d.mandator, n.recipient) ? d.mandatee : d.mandator;
  return {
    type: typeLabel(ctx.catalogue, d.type, lang),
    by: party(d.by),
    counterpart: party(counterpart),
    mandator: party(d.mandator),
    mandatee: party(d.mandatee),
    newMandatee: party(d.newMandatee),
    validity: formatValidity(d.validFrom, d.validUntil, lang),
    proposedValidity: d.proposed ? formatValidity(d.proposed.validFrom, d.proposed.validUntil, lang) : '',
    until: d.validUntil ? formatDay(d.validUntil, lang) : '',
    daysLeft: formatDaysLeft(d.daysLeft ?? 0, lang),
    lapsesAt: d.lapsesAt ? formatInstant(d.lapsesAt, lang) : '',
    reason: d.reason ?? null,
    data: d,
  };
}

/** The one sentence a notification says, in a language. */
export function notificationText(ctx: RenderContext, n: Pick<Notification, 'data' | 'recipient' | 'kind'>, lang: Language): string {
  const text = capitalize(WORDING[lang][n.kind].line(phrase(ctx, n, lang)));
  return n.data.reference ? `${text} [${FRAME[lang].reference}: ${n.data.reference}]` : text;
}

export const notificationHeading = (kind: NotificationKind, lang: Language) => WORDING[lang][kind].heading;

/** The recipient's language: the one they chose, else the mandates' communication language (the most common), else nl. */
export function recipientLanguage(contact: Contact | undefined, due: readonly Pick<Notification, 'language'>[]): Language {
  if (contact?.language) return contact.language;
  const counts = new Map<Language, number>();
  for (const n of due) counts.set(n.language, (counts.get(n.language) ?? 0) + 1);
  let best: Language = 'nl';
  let most = 0;
  for (const [lang, count] of counts) {
    if (count > most) {
      best = lang;
      most = count;
    }
  }
  return best;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The Message-ID's domain: the service's host name. */
const mailDomain = (publicUrl: string) => new URL(publicUrl).hostname || 'localhost';

/** The dedup key of a digest: the same rows always give the same key, hence the same Message-ID. */
export function digestKey(ids: readonly string[]): string {
  return `d-${createHash('sha256')
    .update([...ids].sort().join(','))
    .digest('hex')
    .slice(0, 40)}`;
}

export const messageIdFor = (key: string, publicUrl: string) => `<${key}@${mailDomain(publicUrl)}>`;

export const inboxUrl = (publicUrl: string, recipient: Party) =>
  recipient.kind === 'enterprise' ? `${publicUrl}/mandates?party=${recipient.id}` : `${publicUrl}/mandates`;

const whose = (recipient: Party, lang: Language, use: 'about' | 'for') =>
  FRAME[lang].whose(recipient.kind === 'enterprise' ? formatParty(recipient, lang) : null, use);

/** One digest e-mail for a recipient's due notifications (grouped by kind, oldest first within a group). */
export function renderDigest(
  ctx: RenderContext,
  recipient: Party,
  to: string,
  lang: Language,
  due: readonly Notification[],
  createdAt: string,
): NewMailMessage {
  const frame = FRAME[lang];
  const groups = NOTIFICATION_KINDS.map((kind) => ({ kind, items: due.filter((n) => n.kind === kind) })).filter((g) => g.items.length > 0);
  const inbox = inboxUrl(ctx.publicUrl, recipient);
  const link = (n: Notification) => (n.mandateId ? `${ctx.publicUrl}/mandates/${n.mandateId}` : inbox);
  const first = due[0] as Notification;
  const subject =
    due.length === 1
      ? `${frame.product}: ${notificationHeading(first.kind, lang)} – ${typeLabel(ctx.catalogue, first.data.type, lang)}`
      : `${frame.product}: ${frame.updates(due.length)}`;

  const text: string[] = [frame.greeting, '', frame.intro(whose(recipient, lang, 'about')), ''];
  const html: string[] = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.4; color: #1a1a1a; max-width: 40em">',
    `<p>${escapeHtml(frame.greeting)}</p>`,
    `<p>${escapeHtml(frame.intro(whose(recipient, lang, 'about')))}</p>`,
  ];
  for (const group of groups) {
    const heading = `${notificationHeading(group.kind, lang)} (${group.items.length})`;
    text.push(heading, '-'.repeat(heading.length));
    html.push(`<h2 style="font-size: 1.1em">${escapeHtml(heading)}</h2>`, '<ul>');
    for (const n of group.items.slice(0, LISTED_PER_KIND)) {
      const line = notificationText(ctx, n, lang);
      text.push(`* ${line}`, `  ${frame.view}: ${link(n)}`);
      html.push(`<li>${escapeHtml(line)} <a href="${escapeHtml(link(n))}">${escapeHtml(frame.view)}</a></li>`);
    }
    const rest = group.items.length - LISTED_PER_KIND;
    if (rest > 0) {
      text.push(`  ${frame.more(rest, inbox)}`);
      html.push(`<li>${escapeHtml(frame.more(rest, inbox))}</li>`);
    }
    text.push('');
    html.push('</ul>');
  }
  text.push(frame.manage(inbox), '', '-- ', frame.footer(whose(recipient, lang, 'for')));
  html.push(
    `<p>${escapeHtml(frame.manage(inbox))}</p>`,
    `<p style="font-size: 0.85em; color: #555">${escapeHtml(frame.footer(whose(recipient, lang, 'for')))}</p>`,
    '</body></html>',
  );
  const key = digestKey(due.map((n) => n.id));
  return {
    key,
    messageId: messageIdFor(key, ctx.publicUrl),
    kind: 'digest',
    recipient,
    to,
    language: lang,
    subject,
    text: `${text.join('\n')}\n`,
    html: html.join('\n'),
    items: due.length,
    createdAt,
  };
}

/** The e-mail with the link that confirms a new contact address. */
export function renderConfirmation(
  ctx: RenderContext,
  recipient: Party,
  to: string,
  lang: Language,
  token: string,
  tokenHash: string,
  expiresAt: string,
  createdAt: string,
): NewMailMessage {
  const wording = CONFIRMATION[lang];
  const url = `${ctx.publicUrl}/api/v1/contact/confirm?token=${encodeURIComponent(token)}`;
  const body = wording.body(whose(recipient, lang, 'for'), url, formatInstant(expiresAt, lang));
  const key = `c-${tokenHash.slice(0, 40)}`;
  const paragraphs = body
    .split('\n\n')
    .map((p) => (p === url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : `<p>${escapeHtml(p)}</p>`));
  return {
    key,
    messageId: messageIdFor(key, ctx.publicUrl),
    kind: 'confirmation',
    recipient,
    to,
    language: lang,
    subject: `${FRAME[lang].product}: ${wording.subject}`,
    text: `${body}\n`,
    html: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(wording.subject)}</title></head><body style="font-family: Arial, Helvetica, sans-serif">${paragraphs.join('')}</body></html>`,
    items: 0,
    createdAt,
  };
}
