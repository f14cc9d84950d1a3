// Business applications' credentials and webhooks: created by operators (CLI), scoped to one domain
// of the catalogue (and optionally some of its types), verified on every API call.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiClient, ChangeStamp, Webhook } from '../store/business-port.js';
import type { AppContext } from './context.js';
import { uuidv7 } from './ids.js';

/** Input an operator got wrong, naming the option at fault. */
export class BusinessInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The record of an operator's action made now, by whom the app acts as. */
const stamp = (app: AppContext): ChangeStamp => {
  const at = app.now();
  return { id: uuidv7(at.getTime()), at: at.toISOString(), actor: app.actor };
};

/** A fresh 256-bit secret, base64url (43 characters). */
const newSecret = () => randomBytes(32).toString('base64url');

/**
 * SHA-256, not a slow password hash: the secret is 256 random bits made by us, never chosen by a person,
 * so there is no dictionary to try and brute force is out of reach whatever the hash speed. A slow KDF
 * would only make every check request pay for nothing.
 */
export const hashClientSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export interface NewClientInput {
  name: string;
  domain: string;
  types?: readonly string[] | null;
  quotaPerSecond?: number | null;
}

/** Validates the scope against the catalogue and records the client; the secret is returned once and only its hash is kept. */
export async function createApiClient(app: AppContext, input: NewClientInput): Promise<{ client: ApiClient; secret: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new BusinessInputError('name', 'name is 1 to 200 characters');
  if (!app.catalogue.domain(input.domain)) {
    throw new BusinessInputError('domain', `unknown domain ${input.domain}; one of ${app.catalogue.domains.map((d) => d.id).join(', ')}`);
  }
  let types: string[] | null = null;
  if (input.types && input.types.length > 0) {
    types = [...new Set(input.types)];
    for (const t of types) {
      const type = app.catalogue.type(t);
      if (!type) throw new BusinessInputError('types', `unknown mandate type ${t}`);
      if (type.domain !== input.domain) throw new BusinessInputError('types', `${t} is not a type of the domain ${input.domain}`);
    }
  }
  const quota = input.quotaPerSecond ?? null;
  if (quota !== null && !(Number.isInteger(quota) && quota >= 1 && quota <= 1_000_000)) {
    throw new BusinessInputError('quota', 'the quota is an integer number of requests per second, 1 to 1000000');
  }
  const secret = newSecret();
  const client: ApiClient = {
    id: randomUUID(),
    name,
    domain: input.domain,
    types,
    secretHash: hashClientSecret(secret),
    previousSecret: null,
    secretRotatedAt: null,
    createdAt: app.now().toISOString(),
    revokedAt: null,
    quotaPerSecond: quota,
  };
  await app.store.business.createClient(client, stamp(app));
  return { client, secret };
}

export async function revokeApiClient(app: AppContext, clientId: string): Promise<boolean> {
  return app.store.business.revokeClient(clientId, stamp(app));
}

/** Sets or lifts (null) a client's quota; false for an unknown client. */
export async function setClientQuota(app: AppContext, clientId: string, perSecond: number | null): Promise<boolean> {
  return app.store.business.setClientQuota(clientId, perSecond, stamp(app));
}

/** Longest overlap of a rotation: a week, for applications deployed by hand. */
export const ROTATION_OVERLAP_MAX_MINUTES = 7 * 24 * 60;

/**
 * Gives an active client a new secret, returned once (only its hash is kept). The old one keeps working
 * for `overlapMinutes` so the application can switch without refused requests; 0 ends it at once (a
 * leaked secret), access tokens issued with it included. Undefined when there is no active client of that id.
 */
export async function rotateClientSecret(app: AppContext, clientId: string, overlapMinutes: number): Promise<string | undefined> {
  if (!(Number.isInteger(overlapMinutes) && overlapMinutes >= 0 && overlapMinutes <= ROTATION_OVERLAP_MAX_MINUTES)) {
    throw new BusinessInputError('overlap', `the overlap is 0 to ${ROTATION_OVERLAP_MAX_MINUTES} minutes`);
  }
  const change = stamp(app);
  const secret = newSecret();
  const previousUntil = overlapMinutes === 0 ? null : new Date(Date.parse(change.at) + overlapMinutes * 60_000).toISOString();
  const rotated = await app.store.business.rotateClientSecret(clientId, hashClientSecret(secret), previousUntil, change);
  return rotated ? secret : undefined;
}

/** Constant-time equality of two hex SHA-256 hashes. */
const sameHash = (a: string, b: string) => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The active client these credentials belong to, or undefined; the secret is compared in constant time.
 * `until` is when they stop being accepted: the overlap's end for a secret being rotated out.
 */
export async function verifyClientCredentials(
  app: AppContext,
  clientId: string,
  secret: string,
): Promise<{ client: ApiClient; until: number } | undefined> {
  if (!/^[\w-]{1,64}$/.test(clientId)) return undefined;
  const client = await app.store.business.getClient(clientId);
  const presented = hashClientSecret(secret);
  // Hash and compare even for an unknown client, so timing tells nothing about which ids exist.
  const current = sameHash(client?.secretHash ?? '0'.repeat(64), presented);
  const previous = client?.previousSecret ?? null;
  const previousUntil = previous === null ? Number.NEGATIVE_INFINITY : Date.parse(previous.until);
  const old = sameHash(previous?.hash ?? '0'.repeat(64), presented) && previousUntil > app.now().getTime();
  if (!client || client.revokedAt !== null || !(current || old)) return undefined;
  return { client, until: current ? Number.POSITIVE_INFINITY : previousUntil };
}

function parseWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BusinessInputError('url', `${raw} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BusinessInputError('url', 'the webhook URL is http:// or https://');
  if (url.username || url.password) throw new BusinessInputError('url', 'put no credentials in the webhook URL; requests are signed');
  return url.toString();
}

/** Adds a webhook for an active client; its HMAC secret is returned once (and kept, since the service signs with it). */
export async function addWebhook(app: AppContext, input: { clientId: string; url: string }): Promise<Webhook> {
  const url = parseWebhookUrl(input.url);
  const client = await app.store.business.getClient(input.clientId);
  if (!client) throw new BusinessInputError('client', `no client ${input.clientId}`);
  if (client.revokedAt !== null) throw new BusinessInputError('client', `client ${input.clientId} is revoked`);
  return app.store.business.addWebhook(
    { id: uuidv7(app.now().getTime()), clientId: client.id, url, secret: newSecret(), createdAt: app.now().toISOString() },
    stamp(app),
  );
}

/** Stops sending to a webhook (kept, for the record); false if unknown or already disabled. */
export async function disableWebhook(app: AppContext, webhookId: string): Promise<boolean> {
  return app.store.business.disableWebhook(webhookId, stamp(app));
}

/** Most deliveries an operator may name in one redelivery. */
export const REDELIVER_NAMED_MAX = 1000;

/**
 * Gives a webhook's dead deliveries (all, or the named ones) a fresh set of tries, once its receiver is
 * fixed. They go out in log order, after newer events of the same mandates that were delivered meanwhile;
 * each event carries its mandate's version, by which a receiver keeps the latest.
 */
export async function redeliverDead(app: AppContext, input: { webhookId: string; deliveryIds?: readonly string[] }): Promise<number> {
  const webhook = (await app.store.business.listWebhooks()).find((w) => w.id === input.webhookId);
  if (!webhook) throw new BusinessInputError('webhook', `no webhook ${input.webhookId}`);
  if (webhook.disabledAt !== null) throw new BusinessInputError('webhook', `webhook ${webhook.id} is disabled: nothing is sent to it`);
  const client = await app.store.business.getClient(webhook.clientId);
  if (!client || client.revokedAt !== null) {
    throw new BusinessInputError('webhook', `the client of webhook ${webhook.id} is revoked: nothing is sent to it`);
  }
  const named = input.deliveryIds;
  if (named !== undefined && (named.length === 0 || named.length > REDELIVER_NAMED_MAX)) {
    throw new BusinessInputError('delivery', `name 1 to ${REDELIVER_NAMED_MAX} deliveries, or none to redeliver every dead one`);
  }
  const { requeued, notDead } = await app.store.business.redeliverDead(webhook.id, stamp(app), named);
  if (notDead.length > 0) {
    throw new BusinessInputError('delivery', `not a dead delivery of webhook ${webhook.id}: ${notDead.join(', ')}; nothing was re-queued`);
  }
  return requeued;
}
