// The notification worker, safe to run on every instance. Each round:
// 1. reminders: records those due (unique keys make each happen once) with their notifications;
// 2. digests: for recipients whose oldest unsent notification is older than the digest window, renders
//    ONE message with all of them (under the planner lock) and links the notifications to it;
// 3. delivery: claims due messages with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), sends each,
//    and marks it sent once the SMTP server accepted it; failures retry with back-off.
// Delivery is at-least-once: a crash between the server's acceptance and the mark sends the message
// again after the lease, with the same Message-ID (derived from the notification ids), on which
// receivers and MTAs deduplicate.
import type { Config } from '../../config.js';
import type { Party } from '../../core/party.js';
import type { Contact, MailMessage, Notification } from '../../store/notification-port.js';
import type { AppContext } from '../context.js';
import { type MailTransport, transportFor } from './mailer.js';
import { sendDueReminders } from './reminders.js';
import { type RenderContext, recipientLanguage, renderDigest } from './render.js';

export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NotificationWorkerOptions {
  /** Where mail goes; null (production without SSM_SMTP_URL) leaves messages waiting in the outbox. */
  transport: MailTransport | null;
  from: string;
  publicUrl: string;
  digestWindowSeconds: number;
  reminderDays: readonly number[];
  proposalReminderDays: readonly number[];
  pollMs?: number;
  /** How long a claimed message is reserved for the instance sending it. */
  leaseMs?: number;
  /** Messages sent per round. */
  batch?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  log?: WorkerLog;
  /** Test hook: runs after the server accepted a message and before it is marked sent (a crash there is what it simulates). */
  afterAccepted?: (message: MailMessage) => void | Promise<void>;
}

export interface RoundSummary {
  reminders: number;
  planned: number;
  /** Notifications for recipients without a confirmed address: in the inbox only. */
  inboxOnly: number;
  sent: number;
  retried: number;
  dead: number;
}

const SILENT: WorkerLog = { warn: () => undefined, error: () => undefined };
const RECIPIENTS_PER_PLAN = 100;

export class NotificationWorker {
  private readonly options: Required<Omit<NotificationWorkerOptions, 'afterAccepted' | 'transport'>> &
    Pick<NotificationWorkerOptions, 'afterAccepted' | 'transport'>;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> = Promise.resolve();
  private readonly render: RenderContext;

  constructor(
    private readonly app: AppContext,
    options: NotificationWorkerOptions,
  ) {
    this.options = { pollMs: 10_000, leaseMs: 120_000, batch: 20, maxAttempts: 10, baseDelayMs: 60_000, log: SILENT, ...options };
    this.render = { catalogue: app.catalogue, publicUrl: options.publicUrl };
  }

  /** Runs rounds until stop(); an error is logged and the next round tries again. */
  start() {
    if (this.running) return;
    this.running = true;
    if (!this.options.transport) {
      this.options.log.warn({}, 'no SMTP server configured (SSM_SMTP_URL) in production: e-mail waits in the outbox');
    }
    const tick = async () => {
      if (!this.running) return;
      this.current = this.runOnce().catch((err) => this.options.log.error({ err }, 'notification round failed'));
      await this.current;
      if (this.running) this.timer = setTimeout(tick, this.options.pollMs).unref();
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops and waits for the round in progress. */
  async stop() {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
    this.options.transport?.close();
  }

  async runOnce(): Promise<RoundSummary> {
    const summary: RoundSummary = { reminders: 0, planned: 0, inboxOnly: 0, sent: 0, retried: 0, dead: 0 };
    summary.reminders = await sendDueReminders(this.app, this.options);
    await this.plan(summary);
    if (this.options.transport) await this.deliver(this.options.transport, summary);
    return summary;
  }

  private async plan(summary: RoundSummary) {
    const { digestWindowSeconds, publicUrl } = this.options;
    for (;;) {
      const now = this.app.now();
      const dueBefore = new Date(now.getTime() - digestWindowSeconds * 1000).toISOString();
      const compose = (recipient: Party, contact: Contact | undefined, due: Notification[]) => {
        // Unconfirmed addresses receive nothing but their confirmation.
        if (!contact?.email || !contact.emailConfirmedAt) return null;
        return renderDigest(
          { ...this.render, publicUrl },
          recipient,
          contact.email,
          recipientLanguage(contact, due),
          due,
          now.toISOString(),
        );
      };
      const step = await this.app.store.notifications.planDigests(dueBefore, RECIPIENTS_PER_PLAN, compose);
      summary.planned += step.messages;
      summary.inboxOnly += step.skipped;
      if (!step.claimed || step.recipients < RECIPIENTS_PER_PLAN) return;
    }
  }

  private async deliver(transport: MailTransport, summary: RoundSummary) {
    const { leaseMs, batch, from, afterAccepted } = this.options;
    const store = this.app.store.notifications;
    for (;;) {
      const now = this.app.now().getTime();
      const claimed = await store.claimMessages(new Date(now).toISOString(), new Date(now + leaseMs).toISOString(), batch);
      for (const message of claimed) {
        try {
          await transport.send({
            messageId: message.messageId,
            from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            html: message.html,
            date: new Date(message.createdAt),
            language: message.language,
          });
        } catch (err) {
          summary[await this.failed(message, err as Error)] += 1;
          continue;
        }
        // Outside the try: a crash here (after acceptance, before the mark) must not count as a failed send.
        await afterAccepted?.(message);
        await store.settleMessage(message, { status: 'sent', at: this.app.now().toISOString() });
        summary.sent += 1;
      }
      if (claimed.length < batch) return;
    }
  }

  private async failed(message: MailMessage, err: Error): Promise<'retried' | 'dead'> {
    const { maxAttempts, baseDelayMs, log } = this.options;
    const error = err.message || String(err);
    if (message.attempts >= maxAttempts) {
      log.warn({ key: message.key, to: message.to, error }, 'e-mail given up');
      await this.app.store.notifications.settleMessage(message, { status: 'dead', error });
      return 'dead';
    }
    const delay = Math.min(3_600_000, baseDelayMs * 2 ** (message.attempts - 1));
    const nextAttemptAt = new Date(this.app.now().getTime() + delay).toISOString();
    await this.app.store.notifications.settleMessage(message, { status: 'retry', nextAttemptAt, error });
    return 'retried';
  }
}

/** The worker as the configuration asks for it (SMTP, the local sink outside production, or none). */
export function notificationWorkerFor(
  app: AppContext,
  config: Pick<
    Config,
    | 'smtpUrl'
    | 'nodeEnv'
    | 'mailDir'
    | 'mailFrom'
    | 'publicUrl'
    | 'digestWindowSeconds'
    | 'reminderDays'
    | 'proposalReminderDays'
    | 'notifyIntervalMs'
  >,
  log?: WorkerLog,
): NotificationWorker {
  return new NotificationWorker(app, {
    transport: transportFor(config),
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    digestWindowSeconds: config.digestWindowSeconds,
    reminderDays: config.reminderDays,
    proposalReminderDays: config.proposalReminderDays,
    pollMs: config.notifyIntervalMs,
    ...(log ? { log } : {}),
  });
}
