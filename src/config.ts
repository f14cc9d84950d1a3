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
}

interface Variable<K extends keyof Config> {
  key: K;
  env: string;
  doc: string;
  default: (partial: Partial<Config>) => Config[K];
  parse: (raw: string) => Config[K];
}

const integer = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max}`);
  return n;
};
const text = (pattern?: RegExp, hint?: string) => (raw: string) => {
  if (pattern && !pattern.test(raw)) throw new Error(hint ?? `must match ${pattern}`);
  return raw;
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
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config as Config;
}
