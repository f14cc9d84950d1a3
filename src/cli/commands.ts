// The `ssm` commands for operators: migrate, seed, audit, list, keys, backup, prune.
import { parseArgs } from 'node:util';
import { verifyAudit } from '../app/audit.js';
import { DEMO_CITIZENS } from '../app/demo-data.js';
import { prune as pruneStore } from '../app/retention.js';
import { seedDemo } from '../app/seed-demo.js';
import { newSigningKey } from '../app/signing-keys.js';
import { loadConfig } from '../config.js';
import { MANDATE_STATUSES, type MandateStatus } from '../core/mandate.js';
import { type Party, parseParty } from '../core/party.js';
import { print, printJson, UsageError, withApp } from './io.js';

export async function migrate(): Promise<number> {
  await withApp(async () => print('migrated'));
  return 0;
}

export async function seed(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' }, crowd: { type: 'string' } } });
  if (!values.demo) throw new UsageError('ssm seed --demo [--crowd N]: only demo data can be seeded');
  const crowdSize = values.crowd === undefined ? undefined : Number(values.crowd);
  if (crowdSize !== undefined && !(Number.isInteger(crowdSize) && crowdSize >= 0 && crowdSize <= 800))
    throw new UsageError('--crowd is 0 to 800');
  const summary = await withApp((app) => seedDemo(app, { crowdSize }));
  if (summary.skipped) print('the store already holds events: demo data not seeded');
  else
    print(
      `seeded ${summary.mandates} mandates: ${Object.entries(summary.byStatus)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
    );
  return 0;
}

export async function audit(args: string[]): Promise<number> {
  if (args[0] !== 'verify') throw new UsageError('ssm audit verify');
  const result = await withApp((app) => verifyAudit(app.store));
  if (result.ok) {
    print(`audit ok: ${result.events} events, ${result.mandates} mandates, head ${result.head.seq} ${result.head.hash}`);
    return 0;
  }
  const where = result.seq !== undefined ? `event ${result.seq}` : `mandate ${result.mandateId}`;
  process.stderr.write(`audit FAILED at ${where}: ${result.problem} (${result.events} events verified before it)\n`);
  return 1;
}

function partyArg(raw: string | undefined, name: string): Party {
  if (!raw) throw new UsageError(`--${name} <national number or enterprise number> is required`);
  const digits = raw.replace(/^\s*BE/i, '').replace(/\D/g, '');
  const parsed = parseParty({ kind: digits.length === 11 ? 'person' : 'enterprise', id: raw }, name);
  if (!parsed.ok) throw new UsageError(`--${name}: ${parsed.refusal.message} (${parsed.refusal.code})`);
  return parsed.value;
}

export async function mandates(args: string[]): Promise<number> {
  if (args[0] !== 'list')
    throw new UsageError('ssm mandates list --party <id> [--role mandator|mandatee] [--status s,…] [--limit n] [--json]');
  const { values } = parseArgs({
    args: args.slice(1),
    options: {
      party: { type: 'string' },
      role: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const party = partyArg(values.party, 'party');
  if (values.role && values.role !== 'mandator' && values.role !== 'mandatee') throw new UsageError('--role is mandator or mandatee');
  const status = values.status?.split(',').filter(Boolean) as MandateStatus[] | undefined;
  const bad = status?.find((s) => !MANDATE_STATUSES.includes(s));
  if (bad) throw new UsageError(`--status ${bad}: one of ${MANDATE_STATUSES.join(', ')}`);
  const limit = Number(values.limit ?? 100);
  if (!(Number.isInteger(limit) && limit > 0 && limit <= 10_000)) throw new UsageError('--limit is 1 to 10000');
  const page = await withApp((app) =>
    app.store.listMandates({ party, role: values.role as 'mandator' | 'mandatee' | undefined, status, limit }),
  );
  if (values.json) printJson(page);
  else {
    for (const m of page.items) {
      print(
        `${m.id}  ${m.status.padEnd(11)} ${m.type.padEnd(34)} ${m.mandator.id} → ${m.mandatee.id}  ${m.validFrom}…${m.validUntil ?? '∞'}`,
      );
    }
    print(`${page.items.length} mandate(s)${page.next ? ' (more: raise --limit)' : ''}`);
  }
  return 0;
}

export async function keys(args: string[]): Promise<number> {
  if (args[0] !== 'rotate') throw new UsageError('ssm keys rotate');
  const key = await newSigningKey();
  await withApp((app) => app.store.rotateSigningKey(key));
  print(`new signing key ${key.kid}; older keys stay published for verification (restart running instances to sign with it)`);
  return 0;
}

export function demoCitizens(): number {
  for (const c of DEMO_CITIZENS) print(`${c.nationalNumber}  ${c.name.padEnd(16)} ${c.language}  ${c.note}`);
  return 0;
}

export async function backup(args: string[]): Promise<number> {
  const target = args[0];
  if (!target) throw new UsageError('ssm backup <file>   (SQLite: an online copy; PostgreSQL: use pg_dump)');
  await withApp((app) => app.store.backup(target));
  print(`backed up to ${target}; check it with SSM_DATABASE_URL=sqlite:${target} ssm audit verify`);
  return 0;
}

export async function prune(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const { retentionDays } = loadConfig();
  const counts = await withApp((app) => pruneStore(app, retentionDays));
  if (values.json) printJson(counts);
  else
    print(
      `pruned: ${Object.entries(counts)
        .map(([what, n]) => `${n} ${what}`)
        .join(', ')}`,
    );
  return 0;
}
