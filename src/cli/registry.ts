// `ssm representatives …` and `ssm executors …`: the registers of who may act for an enterprise, for
// operators. Every change is recorded (actor `cli:<account>`, or the source of an import) and reaches running
// instances' check engines within their poll interval.
import { readFileSync } from 'node:fs';
import { executorTypes } from '../core/executors.js';
import { type Parsed, parseEnterpriseNumber, parseNationalNumber } from '../core/party.js';
import { print, UsageError, withApp } from './io.js';

const USAGE_REPRESENTATIVES = `ssm representatives import <file.csv>   columns enterprise;person[;source], header optional
ssm representatives remove <enterprise> <person>`;
const USAGE_EXECUTORS = `ssm executors list <enterprise>
ssm executors set <enterprise> <person> [type …]   exactly these types (none: no longer an executor)`;

function identifier(parsed: Parsed<string>, what: string): string {
  if (!parsed.ok) throw new UsageError(`${what}: ${parsed.refusal.message}`);
  return parsed.value;
}

export async function representatives(args: string[]): Promise<number> {
  if (args[0] === 'import' && args[1]) return importRepresentatives(args[1]);
  if (args[0] === 'remove' && args[1] && args[2]) {
    const enterpriseId = identifier(parseEnterpriseNumber(args[1], 'enterprise'), 'enterprise');
    const personId = identifier(parseNationalNumber(args[2], 'person'), 'person');
    const removed = await withApp((app) => app.store.removeRepresentative(enterpriseId, personId, app.actor));
    print(removed ? `${personId} no longer represents ${enterpriseId}` : `${personId} did not represent ${enterpriseId}: nothing changed`);
    return 0;
  }
  throw new UsageError(USAGE_REPRESENTATIVES);
}

/** Imports `enterprise;person` rows (header optional, `;` or `,`), as the register or an access manager would hand them over. */
async function importRepresentatives(file: string): Promise<number> {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: { enterpriseId: string; personId: string; source: string }[] = [];
  const errors: string[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || (index === 0 && /enterprise/i.test(line))) continue;
    const [ent = '', per = '', source = 'import'] = line.split(/[;,]/).map((c) => c.trim().replace(/^"|"$/g, ''));
    const e = parseEnterpriseNumber(ent, 'enterprise');
    const p = parseNationalNumber(per, 'person');
    if (!e.ok) errors.push(`line ${index + 1}: enterprise: ${e.refusal.code}`);
    else if (!p.ok) errors.push(`line ${index + 1}: person: ${p.refusal.code}`);
    else rows.push({ enterpriseId: e.value, personId: p.value, source });
  }
  if (errors.length > 0) {
    process.stderr.write(`nothing imported; fix these lines:\n  ${errors.join('\n  ')}\n`);
    return 1;
  }
  const added = await withApp((app) => app.store.addRepresentatives(rows, 'import'));
  print(`${rows.length} row(s) read, ${added} new representation(s) recorded`);
  return 0;
}

export async function executors(args: string[]): Promise<number> {
  const [action, enterprise, person, ...types] = args;
  if (action === 'list' && enterprise) {
    const enterpriseId = identifier(parseEnterpriseNumber(enterprise, 'enterprise'), 'enterprise');
    const rows = await withApp((app) => app.store.executorsOf(enterpriseId));
    for (const r of rows) print(`${r.personId}  ${r.type}`);
    print(`${new Set(rows.map((r) => r.personId)).size} executor(s) of ${enterpriseId}`);
    return 0;
  }
  if (action === 'set' && enterprise && person) {
    const enterpriseId = identifier(parseEnterpriseNumber(enterprise, 'enterprise'), 'enterprise');
    const personId = identifier(parseNationalNumber(person, 'person'), 'person');
    return withApp(async (app) => {
      const wanted = executorTypes(app.catalogue, types);
      if (!wanted.ok) throw new UsageError(`${wanted.refusal.field}: ${wanted.refusal.message}`);
      const changes = await app.store.registry.setExecutorTypes(enterpriseId, personId, wanted.types, app.actor, app.now().toISOString());
      for (const c of changes) print(`${c.change} ${c.type}`);
      print(`${personId} executes ${wanted.types.length === 0 ? 'nothing' : wanted.types.join(', ')} for ${enterpriseId}`);
      return 0;
    });
  }
  throw new UsageError(USAGE_EXECUTORS);
}
