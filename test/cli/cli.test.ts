// The `ssm` command as an operator runs it: real processes over a real SQLite file.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZENS, DEMO_ENTERPRISES } from '../../src/app/demo-data.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';

const run = promisify(execFile);
let db: TestDatabase;
let file: string;

async function ssm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ssm.js', ...args], { env: { ...process.env, SSM_DATABASE_URL: db.url } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  db = sqliteDatabase();
  file = db.url.slice('sqlite:'.length);
});
afterAll(async () => db.drop());

describe('ssm', () => {
  it('migrates, seeds demo data in every state, and verifies the audit chain', async () => {
    expect((await ssm('migrate')).code).toBe(0);
    const seeded = await ssm('seed', '--demo');
    expect(seeded.code).toBe(0);
    for (const status of ['pending', 'signed', 'refused', 'withdrawn', 'lapsed', 'stopped', 'transferred'])
      expect(seeded.stdout).toContain(status);
    const again = await ssm('seed', '--demo');
    expect(again.stdout).toContain('already holds events');
    const audit = await ssm('audit', 'verify');
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/^audit ok: \d+ events, \d+ mandates/);
  }, 60_000);

  it('serve on a port already taken ends at once, saying so, and non-zero', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const served = await run('node', ['bin/ssm.js', 'serve'], {
        env: { ...process.env, SSM_DATABASE_URL: db.url, SSM_PORT: String(port), SSM_HOST: '127.0.0.1' },
        timeout: 30_000,
      }).then(
        () => ({ code: 0, output: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
      );
      expect(served.code).not.toBe(0);
      expect(served.output).toContain('EADDRINUSE');
      expect(served.output).not.toContain('ReferenceError');
    } finally {
      taken.close();
    }
  }, 40_000);

  it('lists a party’s mandates, and refuses a bad identifier clearly', async () => {
    const an = DEMO_CITIZENS[0]!.nationalNumber;
    const list = await ssm('mandates', 'list', '--party', an.replace(/^(\d{2})(\d{2})(\d{2})(\d{3})(\d{2})$/, '$1.$2.$3-$4.$5'), '--json');
    expect(list.code).toBe(0);
    const page = JSON.parse(list.stdout);
    expect(page.items.length).toBeGreaterThan(0);
    for (const m of page.items) expect([m.mandator.id, m.mandatee.id]).toContain(an);
    const bad = await ssm('mandates', 'list', '--party', '85073003329');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('IDENTIFIER_CHECK_DIGIT');
  }, 30_000);

  it('imports representatives all or nothing', async () => {
    const csv = join(file, '..', 'reps.csv');
    const enterprise = DEMO_ENTERPRISES[0]!.enterpriseNumber;
    const person = DEMO_CITIZENS[4]!.nationalNumber;
    writeFileSync(csv, `\uFEFFenterprise;person\n${enterprise};${person}\nBE 0403.170.702;${person}\n`);
    const refused = await ssm('representatives', 'import', csv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3: enterprise: IDENTIFIER_CHECK_DIGIT');
    writeFileSync(csv, `enterprise,person\n${enterprise},${person}\n`);
    const imported = await ssm('representatives', 'import', csv);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('1 new representation');
  }, 30_000);

  it('removes a representative and sets an enterprise’s executors, recording each change, and refuses bad input clearly', async () => {
    const enterprise = DEMO_ENTERPRISES[0]!.enterpriseNumber;
    const [rep, clerk] = [DEMO_CITIZENS[4]!.nationalNumber, DEMO_CITIZENS[5]!.nationalNumber];
    const set = await ssm('executors', 'set', enterprise, clerk, 'finance.vat', 'finance.personal-income-tax');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`${clerk} executes finance.personal-income-tax, finance.vat`);
    const listed = await ssm('executors', 'list', enterprise);
    expect(listed.stdout).toContain(`${clerk}  finance.vat`);
    const unknown = await ssm('executors', 'set', enterprise, clerk, 'finance.nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('types.0: There is no mandate type finance.nope');
    const badPerson = await ssm('executors', 'set', enterprise, '85073003329');
    expect(badPerson.code).toBe(2);
    expect(badPerson.stderr).toContain('person:');
    expect((await ssm('executors', 'set', enterprise, clerk)).stdout).toContain(`${clerk} executes nothing`);
    expect((await ssm('executors', 'list', enterprise)).stdout).not.toContain(clerk);

    const removed = await ssm('representatives', 'remove', enterprise, rep);
    expect(removed.stdout).toContain(`${rep} no longer represents ${enterprise}`);
    expect((await ssm('representatives', 'remove', enterprise, rep)).stdout).toContain('nothing changed');

    // Recorded as the account that ran the commands.
    const cli = `cli:${userInfo().username}`;
    const sqlite = new Database(file, { readonly: true });
    const record = sqlite.prepare('select actor, role, change, person_id from registry_changes order by seq').all();
    sqlite.close();
    expect(record.slice(-5)).toEqual([
      { actor: cli, role: 'executor', change: 'added', person_id: clerk },
      { actor: cli, role: 'executor', change: 'added', person_id: clerk },
      { actor: cli, role: 'executor', change: 'removed', person_id: clerk },
      { actor: cli, role: 'executor', change: 'removed', person_id: clerk },
      { actor: cli, role: 'representative', change: 'removed', person_id: rep },
    ]);
  }, 60_000);

  it('prunes on demand and says how much of each', async () => {
    const pruned = await ssm('prune', '--json');
    expect(pruned.code).toBe(0);
    expect(Object.keys(JSON.parse(pruned.stdout)).sort()).toEqual([
      'idempotencyKeys',
      'mailMessages',
      'pendingLogins',
      'sessions',
      'webhookDeliveries',
    ]);
  });

  it('backs up online, and the copy verifies', async () => {
    const copy = join(file, '..', 'backup', 'copy.db');
    expect((await ssm('backup', copy)).code).toBe(0);
    const { stdout } = await run('node', ['bin/ssm.js', 'audit', 'verify'], {
      env: { ...process.env, SSM_DATABASE_URL: `sqlite:${copy}` },
    });
    expect(stdout).toMatch(/^audit ok/);
  }, 30_000);

  it('names the first bad event when a row is altered behind its back, and exits non-zero', async () => {
    const raw = new Database(file);
    raw.prepare("update events set at = '2020-01-01T00:00:00.000Z' where seq = 42").run();
    raw.close();
    const audit = await ssm('audit', 'verify');
    expect(audit.code).toBe(1);
    expect(audit.stderr).toContain('audit FAILED at event 42: hash-mismatch');
  }, 30_000);
});
