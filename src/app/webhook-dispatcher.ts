// Pushes the change feed to webhooks, from a durable outbox. Two steps, each safe with several instances:
// 1. fan-out: tail the event log by cursor and, in the transaction that advances the cursor, record one
//    delivery per (webhook, event) — a restart loses none and doubles none (unique (webhook, seq) besides);
// 2. delivery: claim due deliveries with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), POST the signed
//    CloudEvent, then mark it delivered, or retry later with exponential back-off, or dead after N tries.
// Events of one mandate reach a webhook in order: a delivery waits while an earlier one of the same
// mandate is still pending. Delivery is at-least-once: receivers deduplicate on SSM-Event-Id.
import type { ActiveWebhook, ClaimedDelivery, NewDelivery, ScopedEvent } from '../store/business-port.js';
import { WEBHOOK_FEED } from '../store/business-port.js';
import type { Store } from '../store/port.js';
import { type MandateCloudEvent, toCloudEvents } from './change-feed.js';
import { uuidv7 } from './ids.js';
import { signWebhookBody } from './webhook-signature.js';

export interface DispatcherLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DispatcherOptions {
  /** Tries before a delivery is dead (SSM_WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First retry delay; doubles with each try (SSM_WEBHOOK_BASE_DELAY_MS). */
  baseDelayMs: number;
  maxDelayMs?: number;
  /** How often the loop looks for new events and due deliveries. */
  pollMs?: number;
  /** How long a claimed delivery is reserved for the instance making the attempt. */
  leaseMs?: number;
  /** Time allowed for the receiver to answer; keep it well under the lease. */
  timeoutMs?: number;
  fanOutBatch?: number;
  deliveryBatch?: number;
  now?: () => number;
  fetch?: typeof fetch;
  log?: DispatcherLog;
}

export interface DispatchSummary {
  /** Events read from the log and deliveries recorded for them. */
  events: number;
  planned: number;
  delivered: number;
  retried: number;
  dead: number;
}

const SILENT: DispatcherLog = { warn: () => undefined, error: () => undefined };

/** Which webhooks an event goes to: those of clients of its domain (and type), created before it. */
export function planDeliveries(events: readonly ScopedEvent[], webhooks: readonly ActiveWebhook[], at: number): NewDelivery[] {
  const scoped = webhooks.map((w) => ({ ...w, typeSet: w.types === null ? null : new Set(w.types) }));
  const planned: NewDelivery[] = [];
  for (const e of events) {
    for (const w of scoped) {
      if (w.domain !== e.domain || e.seq <= w.afterSeq || (w.typeSet !== null && !w.typeSet.has(e.type))) continue;
      planned.push({ id: uuidv7(at), webhookId: w.id, seq: e.seq, mandateId: e.mandateId });
    }
  }
  return planned;
}

export class WebhookDispatcher {
  private readonly options: Required<Omit<DispatcherOptions, 'log'>> & { log: DispatcherLog };
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    options: DispatcherOptions,
  ) {
    this.options = {
      maxDelayMs: 3_600_000,
      pollMs: 1_000,
      leaseMs: 30_000,
      timeoutMs: 10_000,
      fanOutBatch: 500,
      deliveryBatch: 50,
      now: Date.now,
      fetch: globalThis.fetch,
      log: SILENT,
      ...options,
    };
  }

  /** Runs the loop until stop(); errors are logged and the next tick tries again. */
  start() {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      if (!this.running) return;
      this.current = this.runOnce().catch((err) => this.options.log.error({ err }, 'webhook dispatch failed'));
      await this.current;
      if (this.running) this.timer = setTimeout(tick, this.options.pollMs).unref();
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  /** Stops the loop and waits for the attempt in progress (its deliveries are settled, not abandoned). */
  async stop() {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /** One pass: fan out every new event, then make one round of due deliveries. */
  async runOnce(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { events: 0, planned: 0, delivered: 0, retried: 0, dead: 0 };
    const { fanOutBatch, deliveryBatch, now, leaseMs } = this.options;
    for (;;) {
      const at = now();
      const step = await this.store.business.fanOut(WEBHOOK_FEED, fanOutBatch, new Date(at).toISOString(), (events, webhooks) =>
        planDeliveries(events, webhooks, at),
      );
      summary.events += step.events;
      summary.planned += step.deliveries;
      if (!step.claimed || step.events < fanOutBatch) break;
    }
    const at = now();
    const claimed = await this.store.business.claimDeliveries(
      new Date(at).toISOString(),
      new Date(at + leaseMs).toISOString(),
      deliveryBatch,
    );
    if (claimed.length === 0) return summary;
    const events = await toCloudEvents(this.store.business, await this.store.business.eventsAt([...new Set(claimed.map((d) => d.seq))]));
    const bySeq = new Map(events.map((e) => [e.data.seq, e]));
    const outcomes = await Promise.all(claimed.map((d) => this.attempt(d, bySeq.get(d.seq))));
    for (const outcome of outcomes) summary[outcome] += 1;
    return summary;
  }

  private backoff(attempts: number): number {
    const { baseDelayMs, maxDelayMs } = this.options;
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
    // Equal jitter: half fixed, half random, so receivers coming back up are not hit by every retry at once.
    return Math.round(delay / 2 + (Math.random() * delay) / 2);
  }

  private async attempt(d: ClaimedDelivery, event: MandateCloudEvent | undefined): Promise<'delivered' | 'retried' | 'dead'> {
    const { store, options } = this;
    if (!d.active || !event) {
      await store.business.settleDelivery(d, {
        status: 'dead',
        error: d.active ? `event ${d.seq} not found` : 'webhook disabled or client revoked',
      });
      return 'dead';
    }
    const body = JSON.stringify(event);
    let error: string;
    try {
      const response = await options.fetch(d.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'user-agent': 'ssm-webhooks/1',
          'ssm-signature': signWebhookBody(d.secret, body, Math.floor(options.now() / 1000)),
          'ssm-event-id': event.id,
          'ssm-delivery-id': d.id,
          'ssm-delivery-attempt': String(d.attempts),
        },
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        await store.business.settleDelivery(d, { status: 'delivered', at: new Date(options.now()).toISOString() });
        return 'delivered';
      }
      error = `HTTP ${response.status}`;
    } catch (err) {
      // fetch reports network failures as "fetch failed" with the reason (refused, DNS, TLS …) as its cause.
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      error =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : [(err as Error).message, cause].filter(Boolean).join(': ');
    }
    if (d.attempts >= options.maxAttempts) {
      options.log.warn({ deliveryId: d.id, webhookId: d.webhookId, seq: d.seq, error }, 'webhook delivery dead');
      await store.business.settleDelivery(d, { status: 'dead', error });
      return 'dead';
    }
    const nextAttemptAt = new Date(options.now() + this.backoff(d.attempts)).toISOString();
    await store.business.settleDelivery(d, { status: 'pending', nextAttemptAt, error });
    return 'retried';
  }
}
