// Shared setup of the notification tests: an application over a real database with a moved clock,
// a worker sending to a real SMTP server, and parties whose addresses went through the real
// confirmation flow.
import { confirmEmail, updateContact } from '../../src/app/notifications/contacts.js';
import { smtpTransport } from '../../src/app/notifications/mailer.js';
import { NotificationWorker, type NotificationWorkerOptions } from '../../src/app/notifications/worker.js';
import type { Language, Party } from '../../src/core/party.js';
import type { TestApp } from '../fixtures/app.js';
import type { TestSmtp } from './smtp.js';

export const PUBLIC_URL = 'https://mandates.example.be';

export function workerFor(app: TestApp, smtp: TestSmtp, options: Partial<NotificationWorkerOptions> = {}): NotificationWorker {
  return new NotificationWorker(app, {
    transport: smtpTransport(smtp.url),
    from: 'SSM <no-reply@mandates.example.be>',
    publicUrl: PUBLIC_URL,
    digestWindowSeconds: 0,
    reminderDays: [60, 30, 7],
    proposalReminderDays: [7],
    ...options,
  });
}

/** Gives parties confirmed addresses the way people do: set, receive the link, open it. */
export async function confirmedContacts(
  app: TestApp,
  smtp: TestSmtp,
  worker: NotificationWorker,
  contacts: readonly { party: Party; email: string; language: Language | null; by: string }[],
): Promise<void> {
  for (const c of contacts) {
    const set = await updateContact(app, { catalogue: app.catalogue, publicUrl: PUBLIC_URL }, c.by, c.party, {
      email: c.email,
      language: c.language,
    });
    if (!set.ok) throw new Error(`setting the contact of ${c.party.id} failed: ${set.problem.code}`);
  }
  await worker.runOnce();
  for (const c of contacts) {
    const mail = smtp.to(c.email).at(-1);
    const token = mail?.text.match(/token=([\w-]+)/)?.[1];
    if (!token) throw new Error(`no confirmation link reached ${c.email}`);
    if (!(await confirmEmail(app, token))) throw new Error(`the link for ${c.email} did not confirm it`);
  }
  smtp.clear();
}
