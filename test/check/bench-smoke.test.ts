// Keeps the in-process benchmark from rotting: a tiny run must still print (and write) its table.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs bench/check-inprocess.ts at a small size and prints the table', async () => {
  const out = join(dir, 'check-inprocess.md');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/check-inprocess.ts',
      '--sizes',
      '2000',
      '--rounds',
      '2',
      '--budget-ms',
      '20',
      '--queries',
      '4096',
      '--out',
      out,
    ],
    { cwd: join(import.meta.dirname, '../..'), timeout: 60_000 },
  );
  expect(stdout).toMatch(/^\| mandates \| +held \| +build from SQLite \|/m);
  expect(stdout).toMatch(/^\| +2k \| +[\d,]+ \| +[\d.]+ s \(CPU [\d.]+ s\) \|/m);
  expect(stdout).toMatch(/^\| engine ≥ 0\.5 × Map\.get +\| +[\d.]+ \| (pass|FAIL) +\|$/m);
  expect(readFileSync(out, 'utf8')).toBe(`${stdout.trimEnd()}\n`);
}, 60_000);
