// `ssm clients …` and `ssm webhooks …`: operators manage business applications' credentials and webhooks.
// Secrets are printed once, when made; lists never show them.
import { parseArgs } from 'node:util';
import {
  addWebhook,
  BusinessInputError,
  createApiClient,
  disableWebhook,
  redeliverDead,
  revokeApiClient,
  rotateClientSecret,
  setClientQuota,
} from '../app/api-clients.js';
import type { AppContext } from '../app/context.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../store/business-port.js';
import { print, printJson, UsageError, withApp } from './io.js';

const CLIENTS_USAGE = `ssm clients create --domain <domain> --name <name> [--types t1,t2] [--quota <per second>] [--json]
ssm clients list [--json]
ssm clients revoke <client id>
ssm clients rotate <client id> [--overlap <minutes, default 1440>] [--json]   a new secret; the old one works for the overlap
ssm clients quota <client id> <per second|off>
ssm clients history [<client id>] [--limit n] [--json]   who changed which client or webhook, and when`;

const WEBHOOKS_USAGE = `ssm webhooks add --client <client id> --url <http(s) url> [--json]
ssm webhooks list [--client <client id>] [--json]
ssm webhooks disable <webhook id>
ssm webhooks deliveries [--status pending|delivered|dead] [--webhook <id>] [--limit n] [--json]
ssm webhooks redeliver --webhook <id> [--delivery <id>]… [--json]   dead deliveries get a fresh set of tries`;

/** A day: time to roll a new secret out to an application's instances. */
const DEFAULT_OVERLAP_MINUTES = 1440;

/** Runs with the app, turning operator input errors into usage errors (exit code 2). */
async function withBusiness<T>(fn: (app: AppContext) => Promise<T>): Promise<T> {
  try {
    return await withApp(fn);
  } catch (error) {
    if (error instanceof BusinessInputError) throw new UsageError(`--${error.field}: ${error.message}`);
    throw error;
  }
}

function quotaArg(raw: string | undefined): number | null {
  if (raw === undefined || raw === 'off') return null;
  const n = Number(raw);
  if (!(Number.isInteger(n) && n >= 1 && n <= 1_000_000)) throw new UsageError('the quota is 1 to 1000000 requests per second, or off');
  return n;
}

export async function clients(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        domain: { type: 'string' },
        name: { type: 'string' },
        types: { type: 'string' },
        quota: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (!values.domain || !values.name) throw new UsageError(CLIENTS_USAGE);
    const types = values.types
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const quotaPerSecond = quotaArg(values.quota);
    const { client, secret } = await withBusiness((app) =>
      createApiClient(app, { name: values.name as string, domain: values.domain as string, types, quotaPerSecond }),
    );
    if (values.json) {
      print(JSON.stringify({ clientId: client.id, clientSecret: secret }));
    } else {
      print(`client id:     ${client.id}`);
      print(`client secret: ${secret}`);
      print(`domain ${client.domain}${client.types ? `, types ${client.types.join(', ')}` : ', every type'}`);
      print('The secret is shown this once; only its hash is kept. Authenticate with HTTP Basic (client id : secret).');
    }
    return 0;
  }
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
    const { list, now } = await withBusiness(async (app) => ({
      list: await app.store.business.listClients(),
      now: app.now().toISOString(),
    }));
    // No hash of a secret, current or previous: only when the last rotation was, and until when the
    // credentials it replaced still work (if they still do).
    const shown = list.map(({ secretHash: _hidden, previousSecret, secretRotatedAt, ...c }) => ({
      ...c,
      rotatedAt: secretRotatedAt,
      rotatedOutUntil: previousSecret !== null && previousSecret.until > now ? previousSecret.until : null,
    }));
    if (values.json) printJson(shown);
    else {
      for (const c of shown) {
        const status = c.revokedAt ? `revoked ${c.revokedAt}` : 'active';
        print(
          `${c.id}  ${c.domain.padEnd(9)} ${status.padEnd(8)} ${c.name}  [${c.types?.join(',') ?? 'every type'}]${c.quotaPerSecond ? ` quota ${c.quotaPerSecond}/s` : ''}${c.rotatedOutUntil ? ` rotated: old credentials work until ${c.rotatedOutUntil}` : ''}`,
        );
      }
      print(`${shown.length} client(s)`);
    }
    return 0;
  }
  if (sub === 'revoke' && rest[0]) {
    const id = rest[0];
    if (!(await withBusiness((app) => revokeApiClient(app, id)))) {
      process.stderr.write(`no active client ${id}\n`);
      return 1;
    }
    print(`revoked ${id}; running instances refuse it within a minute (cached credentials expire)`);
    return 0;
  }
  if (sub === 'rotate' && rest[0]) {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { overlap: { type: 'string' }, json: { type: 'boolean' } },
    });
    const id = positionals[0];
    if (id === undefined) throw new UsageError(CLIENTS_USAGE);
    const raw = values.overlap ?? String(DEFAULT_OVERLAP_MINUTES);
    if (!/^\d{1,6}$/.test(raw)) throw new UsageError('--overlap: a whole number of minutes, 0 to end the old secret at once');
    const overlap = Number(raw);
    const secret = await withBusiness((app) => rotateClientSecret(app, id, overlap));
    if (secret === undefined) {
      process.stderr.write(`no active client ${id}\n`);
      return 1;
    }
    if (values.json) print(JSON.stringify({ clientId: id, clientSecret: secret, overlapMinutes: overlap }));
    else {
      print(`client secret: ${secret}`);
      print(
        overlap === 0
          ? 'The old secret no longer works, nor do access tokens issued before (running instances: within a minute).'
          : `The old secret keeps working for ${overlap} minutes; switch the application to this one meanwhile.`,
      );
      print('The secret is shown this once; only its hash is kept.');
    }
    return 0;
  }
  if (sub === 'history') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { limit: { type: 'string' }, json: { type: 'boolean' } },
    });
    const limit = Number(values.limit ?? 100);
    if (!(Number.isInteger(limit) && limit > 0 && limit <= 10_000)) throw new UsageError('--limit is 1 to 10000');
    const changes = await withBusiness((app) => app.store.business.clientChanges({ clientId: positionals[0], limit }));
    if (values.json) printJson(changes);
    else {
      for (const c of changes) {
        const on = c.webhookId === null ? `client ${c.clientId}` : `webhook ${c.webhookId} of client ${c.clientId}`;
        print(`${c.at}  ${c.actor}  ${c.action.padEnd(22)} ${on}${c.details === null ? '' : `  ${JSON.stringify(c.details)}`}`);
      }
      print(`${changes.length} change(s), newest first`);
    }
    return 0;
  }
  if (sub === 'quota' && rest[0] && rest[1]) {
    const [id, raw] = rest as [string, string];
    const perSecond = quotaArg(raw);
    if (!(await withBusiness((app) => setClientQuota(app, id, perSecond)))) {
      process.stderr.write(`no client ${id}\n`);
      return 1;
    }
    print(`client ${id}: ${perSecond === null ? 'no quota' : `${perSecond} requests a second`}`);
    return 0;
  }
  throw new UsageError(CLIENTS_USAGE);
}

export async function webhooks(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: { client: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (!values.client || !values.url) throw new UsageError(WEBHOOKS_USAGE);
    const webhook = await withBusiness((app) => addWebhook(app, { clientId: values.client as string, url: values.url as string }));
    if (values.json) print(JSON.stringify({ webhookId: webhook.id, secret: webhook.secret }));
    else {
      print(`webhook id:  ${webhook.id}`);
      print(`HMAC secret: ${webhook.secret}`);
      print('Verify SSM-Signature (t=…,v1=hex HMAC-SHA256 of "<t>.<body>") with this secret; it is shown this once.');
    }
    return 0;
  }
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { client: { type: 'string' }, json: { type: 'boolean' } } });
    const list = await withBusiness((app) => app.store.business.listWebhooks(values.client));
    const shown = list.map(({ secret: _hidden, ...w }) => w);
    if (values.json) printJson(shown);
    else {
      for (const w of shown) print(`${w.id}  client ${w.clientId}  ${w.disabledAt ? 'disabled' : 'active  '}  ${w.url}`);
      print(`${shown.length} webhook(s)`);
    }
    return 0;
  }
  if (sub === 'disable' && rest[0]) {
    const id = rest[0];
    if (!(await withBusiness((app) => disableWebhook(app, id)))) {
      process.stderr.write(`no active webhook ${id}\n`);
      return 1;
    }
    print(`disabled ${id}`);
    return 0;
  }
  if (sub === 'deliveries') {
    const { values } = parseArgs({
      args: rest,
      options: { status: { type: 'string' }, webhook: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    });
    const status = values.status as DeliveryStatus | undefined;
    if (status !== undefined && !DELIVERY_STATUSES.includes(status))
      throw new UsageError(`--status is one of ${DELIVERY_STATUSES.join(', ')}`);
    const limit = Number(values.limit ?? 100);
    if (!(Number.isInteger(limit) && limit > 0 && limit <= 10_000)) throw new UsageError('--limit is 1 to 10000');
    const list = await withBusiness((app) => app.store.business.listDeliveries({ status, webhookId: values.webhook, limit }));
    if (values.json) printJson(list);
    else {
      for (const d of list) {
        print(`${d.id}  webhook ${d.webhookId}  event ${d.seq}  ${d.status.padEnd(9)} tries ${d.attempts}  ${d.lastError ?? ''}`);
      }
      print(`${list.length} deliver${list.length === 1 ? 'y' : 'ies'}`);
    }
    return 0;
  }
  if (sub === 'redeliver') {
    const { values } = parseArgs({
      args: rest,
      options: { webhook: { type: 'string' }, delivery: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    });
    if (!values.webhook) throw new UsageError(WEBHOOKS_USAGE);
    const webhookId = values.webhook;
    const requeued = await withBusiness((app) => redeliverDead(app, { webhookId, deliveryIds: values.delivery }));
    if (values.json) print(JSON.stringify({ webhookId, requeued }));
    else print(`re-queued ${requeued} dead deliver${requeued === 1 ? 'y' : 'ies'} of webhook ${webhookId}`);
    return 0;
  }
  throw new UsageError(WEBHOOKS_USAGE);
}
