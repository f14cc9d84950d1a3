// Parties' contact details: an e-mail address (confirmed by a link before it receives anything else)
// and a language. A person manages their own, and those of the enterprises they represent.
import { createHash, randomBytes } from 'node:crypto';
import { isLanguage, type Language, type Party } from '../../core/party.js';
import type { Contact } from '../../store/notification-port.js';
import type { AppContext } from '../context.js';
import { mayActAs } from '../queries.js';
import { type RenderContext, renderConfirmation } from './render.js';

/** A refusal of these use cases, with the HTTP status it maps to. */
export interface NotifyProblem {
  status: number;
  code: string;
  message: string;
  field?: string;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: NotifyProblem };

const CONFIRM_HOURS = 72;
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export const notRepresented = (): { ok: false; problem: NotifyProblem } => ({
  ok: false,
  problem: { status: 403, code: 'ACTOR_NOT_REPRESENTATIVE', message: 'You are not a representative of this enterprise.', field: 'party' },
});

export interface ContactView {
  party: Party;
  email: string | null;
  emailConfirmed: boolean;
  /** Until when the confirmation link sent to `email` works (null when none is pending). */
  confirmationPendingUntil: string | null;
  /** The chosen language; null means each mandate's communication language. */
  language: Language | null;
}

export const tokenHashOf = (token: string) => createHash('sha256').update(token).digest('hex');

const view = (party: Party, c: Contact | undefined): ContactView => ({
  party,
  email: c?.email ?? null,
  emailConfirmed: Boolean(c?.email && c.emailConfirmedAt),
  confirmationPendingUntil: c?.email && !c.emailConfirmedAt ? c.confirmExpiresAt : null,
  language: c?.language ?? null,
});

export async function getContact(app: AppContext, personId: string, party: Party): Promise<Outcome<ContactView>> {
  if (!(await mayActAs(app, personId, party))) return notRepresented();
  return { ok: true, value: view(party, await app.store.notifications.getContact(party)) };
}

export interface ContactChange {
  /** A new address (sends a confirmation link), null to remove it, absent to keep it. */
  email?: string | null;
  /** null to follow each mandate's communication language; absent to keep it. */
  language?: string | null;
}

/**
 * Changes contact details. A new address (or the same one while still unconfirmed: a fresh link) is
 * unconfirmed until its link is opened; the confirmation e-mail is queued with the change.
 */
export async function updateContact(
  app: AppContext,
  render: RenderContext,
  personId: string,
  party: Party,
  change: ContactChange,
  preferredLanguage: Language = 'nl',
): Promise<Outcome<ContactView>> {
  if (!(await mayActAs(app, personId, party))) return notRepresented();
  const store = app.store.notifications;
  const before = await store.getContact(party);
  const email = change.email === undefined ? (before?.email ?? null) : change.email === null ? null : change.email.trim();
  if (email !== null && (email.length > 254 || !EMAIL.test(email))) {
    return {
      ok: false,
      problem: { status: 400, code: 'EMAIL_INVALID', message: 'Give an e-mail address such as name@example.be.', field: 'email' },
    };
  }
  if (change.language !== undefined && change.language !== null && !isLanguage(change.language)) {
    return {
      ok: false,
      problem: { status: 400, code: 'LANGUAGE_UNKNOWN', message: 'language is one of nl, fr, de, en (or null).', field: 'language' },
    };
  }
  const language = change.language === undefined ? (before?.language ?? null) : (change.language as Language | null);
  const emailChanged = email !== (before?.email ?? null);
  const needsLink = email !== null && change.email !== undefined && (emailChanged || !before?.emailConfirmedAt);
  const now = app.now();
  let confirmation: Parameters<typeof store.saveContact>[3];
  if (needsLink) {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = tokenHashOf(token);
    const expiresAt = new Date(now.getTime() + CONFIRM_HOURS * 3_600_000).toISOString();
    const message = renderConfirmation(render, party, email, language ?? preferredLanguage, token, tokenHash, expiresAt, now.toISOString());
    confirmation = { tokenHash, expiresAt, message };
  }
  const saved = await store.saveContact(
    party,
    { email, language, emailChanged: emailChanged || needsLink },
    now.toISOString(),
    confirmation,
  );
  return { ok: true, value: view(party, saved) };
}

/** Opens a confirmation link: the address becomes the party's confirmed contact address. */
export async function confirmEmail(app: AppContext, token: string): Promise<Contact | undefined> {
  if (!/^[\w-]{20,100}$/.test(token)) return undefined;
  return app.store.notifications.confirmContact(tokenHashOf(token), app.now().toISOString());
}
