// `ssm <command>`: the entry point of the CLI.
import { ConfigError } from '../config.js';
import { batch } from './batch.js';
import { clients, webhooks } from './clients.js';
import { audit, backup, demoCitizens, keys, mandates, migrate, prune, seed } from './commands.js';
import { devToken } from './dev-token.js';
import { UsageError } from './io.js';
import { executors, representatives } from './registry.js';
import { serve, start } from './serve.js';

const USAGE = `ssm — Self-Service Mandates

  ssm start                           migrate, seed demo data on first run, serve (what npm start runs)
  ssm serve                           serve the HTTP API (and web app)
  ssm migrate                         create or update the database schema
  ssm seed --demo [--crowd N]         fictitious citizens, enterprises and mandates in every state
  ssm audit verify                    recompute the event log's hash chain and the projection
  ssm mandates list --party <id> …    list a party's mandates
  ssm batch run <file.csv> --as <nn>  run a CSV bulk job in this process (operator tool; --dry-run, --on-behalf-of)
  ssm representatives import|remove …  who may represent which enterprise (the enterprise register)
  ssm executors list|set …            who carries out an enterprise's mandates of which types
  ssm backup <file>                   online copy of the SQLite database
  ssm prune [--json]                  delete expired sessions, old idempotency keys, finished deliveries and e-mails
  ssm keys rotate                     new signing key (old ones stay published)
  ssm clients create|list|rotate|revoke|quota …  business applications' credentials (one domain each)
  ssm webhooks add|list|disable|deliveries|redeliver …  webhooks of business applications and their deliveries
  ssm demo-citizens                   the fictitious citizens to sign in as
  ssm dev-token --person <nn>         an access token from the local identity provider of a running server

Configuration comes from environment variables (see README), e.g. SSM_DATABASE_URL.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number> | number> = {
  start,
  serve,
  migrate,
  seed,
  audit,
  backup,
  prune,
  mandates,
  batch,
  representatives,
  executors,
  keys,
  clients,
  webhooks,
  'demo-citizens': demoCitizens,
  'dev-token': devToken,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ssm ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
