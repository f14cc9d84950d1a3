// Contact details: only what changed is sent, the address is checked first, and the state of its
// confirmation is told apart (none, waiting for the link, link expired, confirmed).
import { describe, expect, it } from 'vitest';
import { contactChange, contactFormOf, emailState } from '../../web/src/lib/contact.js';
import type { Contact } from '../../web/src/lib/types.js';

const party = { kind: 'person' as const, id: '85073003328' };
const none: Contact = { party, email: null, emailConfirmed: false, confirmationPendingUntil: null, language: null };
const pending: Contact = {
  party,
  email: 'an@example.be',
  emailConfirmed: false,
  confirmationPendingUntil: '2027-01-04T10:00:00Z',
  language: 'fr',
};

describe('contact details', () => {
  it('sends only what changed', () => {
    expect(contactChange({ email: ' an@example.be ', language: '' }, none)).toEqual({ ok: true, change: { email: 'an@example.be' } });
    expect(contactChange(contactFormOf(pending), pending)).toEqual({ ok: true, change: {} });
    expect(contactChange({ email: '', language: 'fr' }, pending)).toEqual({ ok: true, change: { email: null } });
    expect(contactChange({ email: 'an@example.be', language: '' }, pending)).toEqual({ ok: true, change: { language: null } });
  });

  it('refuses an address that is not one', () => {
    expect(contactChange({ email: 'an@example', language: '' }, none)).toEqual({
      ok: false,
      errors: [{ field: 'email', key: 'errors.EMAIL_INVALID' }],
    });
  });

  it('tells where the address stands', () => {
    expect(emailState(none)).toBe('none');
    expect(emailState(pending, new Date('2027-01-02T00:00:00Z'))).toBe('pending');
    expect(emailState(pending, new Date('2027-01-05T00:00:00Z'))).toBe('expired');
    expect(emailState({ ...pending, emailConfirmed: true, confirmationPendingUntil: null })).toBe('confirmed');
  });
});
