// Mandates in two domains (finance and ehealth) in several states, made through the real use cases,
// and a webhook receiver on a real local HTTP server.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../../src/app/context.js';
import { createMandate } from '../../src/app/create-mandate.js';
import { signMandate, stopMandate } from '../../src/app/mandate-commands.js';
import type { CommandResult } from '../../src/app/run-command.js';
import type { Actor } from '../../src/core/command.js';
import { brusselsDay } from '../../src/core/dates.js';
import type { StoredEvent } from '../../src/core/events.js';
import { makeNationalNumber, type Party } from '../../src/core/party.js';

export const FINANCE_TYPE = 'finance.personal-income-tax';
export const EHEALTH_TYPE = 'ehealth.health-data-consult';
export const EHEALTH_OTHER_TYPE = 'ehealth.consent-management';

const person = (id: string): Party => ({ kind: 'person', id });
const actor = (app: AppContext, id: string): Actor => ({ kind: 'person', id, authTime: app.now().toISOString(), authLevel: 'test' });

function ok(result: CommandResult) {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.mandate;
}

/**
 * `count` mandates from `first` on (distinct parties each), alternating finance and ehealth (every fourth
 * ehealth one of a second type); two in three get signed and one in five of those stopped.
 */
export async function makeMandates(app: AppContext, count: number, first = 0): Promise<string[]> {
  const ids: string[] = [];
  const today = brusselsDay(app.now());
  for (let i = first; i < first + count; i += 1) {
    const mandator = makeNationalNumber('850101', i + 1);
    const mandatee = makeNationalNumber('900202', i + 1);
    const type = i % 2 === 0 ? FINANCE_TYPE : i % 4 === 1 ? EHEALTH_OTHER_TYPE : EHEALTH_TYPE;
    const m = ok(
      await createMandate(app, actor(app, mandator), person(mandator), {
        type,
        mandator: person(mandator),
        mandatee: person(mandatee),
        validFrom: today,
        validUntil: null,
      }),
    );
    ids.push(m.id);
    if (i % 3 === 0) continue;
    ok(await signMandate(app, { actor: actor(app, mandatee), as: person(mandatee), mandateId: m.id }));
    if (i % 5 === 0) ok(await stopMandate(app, { actor: actor(app, mandator), as: person(mandator), mandateId: m.id }, 'test'));
  }
  return ids;
}

/** Every event of the log with its mandate's domain and type. */
export async function loggedEvents(app: AppContext): Promise<(StoredEvent & { domain: string; mandateType: string })[]> {
  const events = await app.store.readEvents(0, 1_000_000);
  const mandates = new Map<string, { domain: string; type: string }>();
  for (const id of new Set(events.map((e) => e.mandateId))) {
    const m = await app.store.getMandate(id);
    if (m) mandates.set(id, { domain: m.domain, type: m.type });
  }
  return events.map((e) => ({
    ...e,
    domain: mandates.get(e.mandateId)?.domain ?? '?',
    mandateType: mandates.get(e.mandateId)?.type ?? '?',
  }));
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  /** Every request, in arrival order, with the status it was answered. */
  requests: Received[];
  close(): Promise<void>;
}

/** A webhook receiver answering each request with `answer(requestNumber)` (200 by default). */
export async function startReceiver(answer: (n: number, body: string) => number = () => 200): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(requests.length, body);
      requests.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done()` or the deadline. */
export async function eventually(done: () => Promise<boolean> | boolean, timeoutMs = 20_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}
