// Contact details as the form edits them: what to send (only what changed) and what is wrong. Pure.
import type { DraftError } from '../wizard/draft.js';
import type { Language } from './format.js';
import type { Contact } from './types.js';

export interface ContactForm {
  email: string;
  /** '' follows each mandate's own language. */
  language: Language | '';
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export const contactFormOf = (c: Contact): ContactForm => ({ email: c.email ?? '', language: c.language ?? '' });

/** The change to send (empty when nothing changed), or the form's problems. */
export function contactChange(
  form: ContactForm,
  current: Contact,
): { ok: true; change: { email?: string | null; language?: Language | null } } | { ok: false; errors: DraftError[] } {
  const email = form.email.trim();
  if (email !== '' && (email.length > 254 || !EMAIL.test(email)))
    return { ok: false, errors: [{ field: 'email', key: 'errors.EMAIL_INVALID' }] };
  const change: { email?: string | null; language?: Language | null } = {};
  if ((email || null) !== current.email) change.email = email || null;
  const language = form.language || null;
  if (language !== current.language) change.language = language;
  return { ok: true, change };
}

/** Where the address stands: none, waiting for its link to be opened (until when), or confirmed. */
export function emailState(c: Contact, now: Date = new Date()): 'none' | 'pending' | 'expired' | 'confirmed' {
  if (!c.email) return 'none';
  if (c.emailConfirmed) return 'confirmed';
  return c.confirmationPendingUntil && Date.parse(c.confirmationPendingUntil) > now.getTime() ? 'pending' : 'expired';
}
