// `ssm batch run` as an operator runs it: the real binary over a SQLite file, a CSV next to it.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.js';
import { progressReporter } from '../../src/cli/batch.js';
import { testApp } from '../fixtures/app.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';
import { ACME, client, PIT, REP, today } from './support.js';

const run = promisify(execFile);
let db: TestDatabase;
let dir: string;

async function ssm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ssm.js', ...args], {
      env: { ...process.env, SSM_DATABASE_URL: db.url, SSM_LOG_LEVEL: 'silent', SSM_BATCH_CHUNK: '50' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  db = sqliteDatabase();
  dir = dirname(db.url.slice('sqlite:'.length));
  const app = await testApp(db.url);
  await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  await app.store.close();
});
afterAll(async () => db?.drop());

describe('ssm batch run', { timeout: 120_000 }, () => {
  const rows = Array.from({ length: 120 }, (_, i) => `${PIT};${client(i)};${i === 7 ? 'bad' : ''};ref ${i};${today()}`);
  const csv = `type;mandator;mandatee;reference;validFrom\n${rows.join('\n')}\n${PIT};${client(3)};;again;${today()}\n`;

  it('dry-runs: a summary, the problems next to the file, nothing written', async () => {
    const file = join(dir, 'clients.csv');
    writeFileSync(file, csv);
    const answer = await ssm('batch', 'run', file, '--as', REP, '--on-behalf-of', ACME, '--dry-run', '--lang', 'fr');
    expect(answer.code, answer.stderr).toBe(1);
    expect(answer.stdout).toContain('121 rows, 119 would be applied, 2 refused; nothing written');
    const report = readFileSync(join(dir, 'clients.dry-run.csv'), 'utf8');
    expect(report.split('\r\n')[1]).toBe(
      "9;9;create;IDENTIFIER_FORMAT;mandatee;Ce numéro n'a pas la bonne forme (numéro de registre national : 11 chiffres, numéro d'entreprise : 10 chiffres).",
    );
    const app = await testApp(db.url);
    expect((await app.store.head()).seq).toBe(0);
    await app.store.close();
  });

  it('runs the job with progress on stderr and writes the report', async () => {
    const file = join(dir, 'clients.csv');
    const reportFile = join(dir, 'out.csv');
    const answer = await ssm('batch', 'run', file, '--as', REP, '--on-behalf-of', ACME, '--report', reportFile);
    expect(answer.code, answer.stderr).toBe(1);
    expect(answer.stdout).toMatch(/job [0-9a-f-]{36} done: 121 rows, 119 done, 2 refused, 0 skipped/);
    expect(answer.stderr).toContain('progress: 121/121  done 119  refused 2');
    const report = readFileSync(reportFile, 'utf8').split('\r\n');
    expect(report[0]).toBe(
      '\uFEFFrow;operation;type;mandator;mandatee;email;language;reference;validFrom;validUntil;id;reason;outcome;code;column;message;mandateId;relatedId',
    );
    expect(report[121]).toContain(';refused;MANDATE_DUPLICATE;type;');
    const app = await testApp(db.url);
    expect(await verifyAudit(app.store)).toMatchObject({ ok: true, mandates: 119 });
    await app.store.close();
  });

  it('refuses bad arguments with usage', async () => {
    expect((await ssm('batch', 'run', join(dir, 'clients.csv'))).code).toBe(2);
    expect((await ssm('batch', 'run', join(dir, 'nope.csv'), '--as', REP)).code).toBe(2);
    expect((await ssm('batch', 'run', join(dir, 'clients.csv'), '--as', '123')).stderr).toContain('national number');
  });

  it('draws a bar on a terminal and plain lines elsewhere', () => {
    let clock = 0;
    const out: string[] = [];
    const tty = { isTTY: true, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressReporter(tty, () => clock);
    clock = 1000;
    bar.update({ processed: 50, total: 100, done: 49, refused: 1 });
    expect(out[0]).toMatch(/^\r\[#{15}\.{15}\] {2}50% {2}50\/100 {2}done 49 {2}refused 1 {2}50\/s {2}ETA 1s/);
    const lines: string[] = [];
    const plain = progressReporter({ isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream, () => clock);
    clock = 3000;
    plain.update({ processed: 10, total: 100, done: 10, refused: 0 });
    plain.update({ processed: 20, total: 100, done: 20, refused: 0 });
    plain.update({ processed: 100, total: 100, done: 100, refused: 0 });
    expect(lines).toEqual(['progress: 10/100  done 10  refused 0  5/s\n', 'progress: 100/100  done 100  refused 0  50/s\n']);
  });
});
