// Every environment variable the service reads, validated at boot with a message naming the variable.
export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  /** Public base URL (for redirects and links), e.g. https://mandates.example.be. */
  publicUrl: string;
  nodeEnv: string;
  proposalDays: number;
  signMaxAgeSeconds: number;
  catalogueFile: string;
  logLevel: string;
  /** Trust X-Forwarded-* from a reverse proxy (true, or a hop count / address list as Fastify accepts). */
  trustProxy: boolean;
  rateLimitPerMinute: number;
  /** Answer well-formed checks of known business applications in front of the framework (off: every request goes through it). */
  checkFastLane: boolean;
  /** How often the scheduler marks lapsed proposals. */
  schedulerIntervalMs: number;
  retentionDays: number;
  /** Tries of a webhook delivery before it is marked dead. */
  webhookMaxAttempts: number;
  /** First webhook retry delay in milliseconds; it doubles with each try (with jitter, capped at an hour). */
  webhookBaseDelayMs: number;
  /** Run the local OpenID provider with fictitious citizens at /idp (development, demos, tests only). */
  devIdp: boolean;
  /** The OpenID Connect issuer people sign in with. */
  oidcIssuer: string;
  oidcClientId: string;
  oidcClientSecret: string;
  /** Space-separated scopes asked at sign-in. */
  oidcScope: string;
  /** The ID token / access token claim that carries the national number (`sub` is the fallback). */
  oidcNationalNumberClaim: string;
  /** The audience bearer access tokens must be issued for. */
  oidcAudience: string;
  /** SMTP server URL for e-mail notifications; empty for the local sink (outside production). */
  smtpUrl: string;
  /** Sender of e-mail notifications. */
  mailFrom: string;
  /** Directory of the local mail sink (.eml files). */
  mailDir: string;
  /** Notifications for one recipient within this many seconds go out as one digest. */
  digestWindowSeconds: number;
  /** Days before a limited mandate ends on which both parties are reminded. */
  reminderDays: number[];
  /** Days before a pending proposal lapses on which the missing signer is reminded. */
  proposalReminderDays: number[];
  /** How often the notification worker runs. */
  notifyIntervalMs: number;
  /** Run the bulk-job worker in this instance. */
  batchWorker: boolean;
  /** Run bulk jobs in a thread of their own at a lower CPU priority (off: on the thread that serves requests). */
  batchThread: boolean;
  /** Items per chunk (one write transaction) of a bulk job. */
  batchChunkSize: number;
  /** Bulk jobs of at most this many items are processed in the request that submits them. */
  batchInlineMax: number;
  /** Seconds a worker holds a bulk job without progress before another instance may take it over. */
  batchLeaseSeconds: number;
}

interface Variable<K extends keyof Config> {
  key: K;
  env: string;
  doc: string;
  default: (partial: Partial<Config>) => Config[K];
  parse: (raw: string) => Config[K];
  /** A rule across variables, checked once all are read; returns the problem, if any. */
  check?: (config: Config) => string | undefined;
}

const integer = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max}`);
  return n;
};
/** An in-memory SQLite database lives in one connection: no other thread can open it. */
const inMemory = (databaseUrl: string | undefined) => databaseUrl === 'sqlite::memory:';
const flag = (raw: string) => {
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new Error('must be 1 or 0');
};
const text = (pattern?: RegExp, hint?: string) => (raw: string) => {
  if (pattern && !pattern.test(raw)) throw new Error(hint ?? `must match ${pattern}`);
  return raw;
};

/** Comma-separated whole days, largest first (reminder thresholds). */
const dayList = (raw: string) => {
  const days = raw.split(',').map((part) => Number(part.trim()));
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 366))
    throw new Error('must be comma-separated whole days from 1 to 366, e.g. 60,30,7');
  return [...new Set(days)].sort((a, b) => b - a);
};

/** The table of variables; docs/operations.md and the README render the same list. */
export const VARIABLES: Variable<keyof Config>[] = [
  {
    key: 'databaseUrl',
    env: 'SSM_DATABASE_URL',
    doc: '`sqlite:<file>` (embedded) or `postgres://user@host:5432/db`',
    default: () => 'sqlite:./data/ssm.db',
    parse: text(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://'),
  },
  { key: 'port', env: 'SSM_PORT', doc: 'HTTP port', default: () => 3000, parse: integer(0, 65535) },
  { key: 'host', env: 'SSM_HOST', doc: 'interface to listen on', default: () => '127.0.0.1', parse: text() },
  {
    key: 'publicUrl',
    env: 'SSM_PUBLIC_URL',
    doc: 'the URL users reach the service at',
    default: (c) => `http://localhost:${c.port ?? 3000}`,
    parse: text(/^https?:\/\/[^/]+$/, 'must be http(s)://host[:port] without a path'),
  },
  { key: 'nodeEnv', env: 'NODE_ENV', doc: '`production` refuses development-only features', default: () => 'development', parse: text() },
  {
    key: 'proposalDays',
    env: 'SSM_PROPOSAL_DAYS',
    doc: 'days a proposal waits for the countersignature before it lapses',
    default: () => 30,
    parse: integer(1, 365),
  },
  {
    key: 'signMaxAgeSeconds',
    env: 'SSM_SIGN_MAX_AGE',
    doc: 'seconds since sign-in within which a person may sign',
    default: () => 600,
    parse: integer(10, 86_400),
  },
  {
    key: 'catalogueFile',
    env: 'SSM_CATALOGUE',
    doc: 'the catalogue of domains and mandate types',
    default: () => 'catalogue/catalogue.json',
    parse: text(),
  },
  {
    key: 'logLevel',
    env: 'SSM_LOG_LEVEL',
    doc: 'pino log level',
    default: () => 'info',
    parse: text(/^(fatal|error|warn|info|debug|trace|silent)$/, 'must be a pino level'),
  },
  {
    key: 'trustProxy',
    env: 'SSM_TRUST_PROXY',
    doc: '`1` behind a reverse proxy that sets X-Forwarded-For/Proto',
    default: () => false,
    parse: (raw) => raw === '1' || raw === 'true',
  },
  {
    key: 'rateLimitPerMinute',
    env: 'SSM_RATE_LIMIT',
    doc: 'self-service requests per minute, per person and per address',
    default: () => 300,
    parse: integer(1, 1_000_000),
  },
  {
    key: 'checkFastLane',
    env: 'SSM_CHECK_FAST_LANE',
    doc: '`1` answers well-formed checks of business applications with cached credentials before the framework sees them (same validation and answers; `0`: every request goes through the framework)',
    default: () => true,
    parse: flag,
  },
  {
    key: 'webhookMaxAttempts',
    env: 'SSM_WEBHOOK_MAX_ATTEMPTS',
    doc: 'tries of a webhook delivery before it is marked dead',
    default: () => 8,
    parse: integer(1, 100),
  },
  {
    key: 'webhookBaseDelayMs',
    env: 'SSM_WEBHOOK_BASE_DELAY_MS',
    doc: 'first webhook retry delay in ms; doubles with each try (with jitter, capped at an hour)',
    default: () => 1_000,
    parse: integer(1, 3_600_000),
  },
  {
    key: 'devIdp',
    env: 'SSM_DEV_IDP',
    doc: '`1` runs the local OpenID provider with fictitious citizens at `/idp` (default `1` unless NODE_ENV=production, where it refuses to run)',
    default: (c) => c.nodeEnv !== 'production',
    parse: flag,
    check: (c) =>
      c.devIdp && c.nodeEnv === 'production'
        ? 'the local identity provider is for development only and refuses to run when NODE_ENV=production'
        : undefined,
  },
  {
    key: 'oidcIssuer',
    env: 'SSM_OIDC_ISSUER',
    doc: 'OpenID Connect issuer people sign in with (default with SSM_DEV_IDP=1: `<SSM_PUBLIC_URL>/idp`)',
    default: (c) => (c.devIdp ? `${c.publicUrl}/idp` : ''),
    parse: text(/^https?:\/\/[^?#]+$/, 'must be an http(s) URL without query or fragment'),
    check: (c) => {
      if (c.oidcIssuer === '') return 'is required when SSM_DEV_IDP is off (e.g. in production)';
      if (c.nodeEnv === 'production' && !c.oidcIssuer.startsWith('https:')) return 'must be https in production';
      return undefined;
    },
  },
  {
    key: 'oidcClientId',
    env: 'SSM_OIDC_CLIENT_ID',
    doc: 'client id of SSM at the issuer',
    default: (c) => (c.devIdp ? 'ssm-web' : ''),
    parse: text(),
    check: (c) => (c.oidcClientId === '' ? 'is required when SSM_DEV_IDP is off' : undefined),
  },
  {
    key: 'oidcClientSecret',
    env: 'SSM_OIDC_CLIENT_SECRET',
    doc: 'client secret of SSM at the issuer (client_secret_basic)',
    default: (c) => (c.devIdp ? 'ssm-web-development-secret' : ''),
    parse: text(),
    check: (c) => (c.oidcClientSecret === '' ? 'is required when SSM_DEV_IDP is off' : undefined),
  },
  {
    key: 'oidcScope',
    env: 'SSM_OIDC_SCOPE',
    doc: 'scopes asked at sign-in (must include `openid`)',
    default: () => 'openid profile',
    parse: text(/(^|\s)openid(\s|$)/, 'must include openid'),
  },
  {
    key: 'oidcNationalNumberClaim',
    env: 'SSM_OIDC_NN_CLAIM',
    doc: 'the token claim that carries the national number (falls back to `sub`)',
    default: () => 'national_number',
    parse: text(/^[\w.:-]{1,100}$/, 'must be a claim name'),
  },
  {
    key: 'oidcAudience',
    env: 'SSM_OIDC_AUDIENCE',
    doc: 'audience (`aud`) bearer access tokens must carry (default `<SSM_PUBLIC_URL>/api`)',
    default: (c) => `${c.publicUrl}/api`,
    parse: text(),
  },
  {
    key: 'schedulerIntervalMs',
    env: 'SSM_SCHEDULER_INTERVAL_MS',
    doc: 'how often lapsed proposals are marked (milliseconds)',
    default: () => 60_000,
    parse: integer(1000, 86_400_000),
  },
  {
    key: 'retentionDays',
    env: 'SSM_RETENTION_DAYS',
    doc: 'days finished webhook deliveries and sent e-mails are kept before the hourly clean-up deletes them (the event log is never pruned)',
    default: () => 90,
    parse: integer(1, 36_500),
  },
  {
    key: 'smtpUrl',
    env: 'SSM_SMTP_URL',
    doc: 'SMTP server for e-mail notifications, `smtp://user:pass@host:587` or `smtps://…`; without it (outside production) mail goes to the local sink',
    default: () => '',
    parse: text(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL'),
  },
  {
    key: 'mailFrom',
    env: 'SSM_MAIL_FROM',
    doc: 'sender of e-mail notifications (default `SSM <no-reply@<host of SSM_PUBLIC_URL>>`)',
    default: (c) => `SSM <no-reply@${new URL(c.publicUrl ?? 'http://localhost').hostname}>`,
    parse: text(/@/, 'must be an e-mail address, optionally with a name: Name <address>'),
  },
  {
    key: 'mailDir',
    env: 'SSM_MAIL_DIR',
    doc: 'the local mail sink (one .eml file per message) used when SSM_SMTP_URL is not set outside production',
    default: () => './data/mail',
    parse: text(),
  },
  {
    key: 'digestWindowSeconds',
    env: 'SSM_DIGEST_WINDOW_SECONDS',
    doc: 'seconds notifications for one recipient are gathered into one digest e-mail',
    default: () => 300,
    parse: integer(0, 86_400),
  },
  {
    key: 'reminderDays',
    env: 'SSM_REMINDER_DAYS',
    doc: 'days before a limited mandate ends on which both parties are reminded (comma-separated)',
    default: () => [60, 30, 7],
    parse: dayList,
  },
  {
    key: 'proposalReminderDays',
    env: 'SSM_PROPOSAL_REMINDER_DAYS',
    doc: 'days before a pending proposal lapses on which the party that has not signed is reminded (comma-separated)',
    default: () => [7],
    parse: dayList,
  },
  {
    key: 'notifyIntervalMs',
    env: 'SSM_NOTIFY_INTERVAL_MS',
    doc: 'how often the notification worker plans digests, sends mail and looks for reminders (milliseconds)',
    default: () => 10_000,
    parse: integer(100, 3_600_000),
  },
  {
    key: 'batchWorker',
    env: 'SSM_BATCH_WORKER',
    doc: '`1` runs the bulk-job worker in this instance (`0`: jobs are left to other instances)',
    default: () => true,
    parse: flag,
  },
  {
    key: 'batchThread',
    env: 'SSM_BATCH_THREAD',
    doc: '`1` runs bulk jobs in a thread of their own at a lower CPU priority, so requests (checks above all) keep their latency while a job runs; `0` runs them on the thread that serves requests (the default, and the only choice, for an in-memory SQLite database)',
    default: (c) => !inMemory(c.databaseUrl),
    parse: flag,
    check: (c) =>
      c.batchThread && inMemory(c.databaseUrl) ? 'must be 0 with an in-memory SQLite database (a thread cannot share it)' : undefined,
  },
  {
    key: 'batchChunkSize',
    env: 'SSM_BATCH_CHUNK',
    doc: 'items of a bulk job per chunk (each chunk is one transaction)',
    default: () => 1000,
    parse: integer(10, 5000),
  },
  {
    key: 'batchInlineMax',
    env: 'SSM_BATCH_INLINE_MAX',
    doc: 'bulk jobs of at most this many items are answered at once (200); larger ones run in the background (202)',
    default: () => 100,
    parse: integer(0, 1000),
  },
  {
    key: 'batchLeaseSeconds',
    env: 'SSM_BATCH_LEASE_SECONDS',
    doc: 'seconds without progress after which another instance takes over a bulk job whose worker died',
    default: () => 30,
    parse: integer(2, 3600),
  },
];

export class ConfigError extends Error {}

/** Reads and validates the configuration; `overrides` lets tests and the CLI set values without touching process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const config: Partial<Config> = {};
  const problems: string[] = [];
  for (const v of VARIABLES) {
    const raw = env[v.env];
    if (v.key in overrides) {
      (config as Record<string, unknown>)[v.key] = overrides[v.key];
      continue;
    }
    try {
      (config as Record<string, unknown>)[v.key] = raw === undefined || raw === '' ? v.default(config) : v.parse(raw);
    } catch (error) {
      problems.push(`${v.env}: ${(error as Error).message}`);
    }
  }
  if (problems.length === 0) {
    for (const v of VARIABLES) {
      const problem = v.check?.(config as Config);
      if (problem) problems.push(`${v.env}: ${problem}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config as Config;
}
