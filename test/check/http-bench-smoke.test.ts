// Keeps the HTTP check benchmark from rotting: a tiny run must print its table, and no stale answer.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ssm-http-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs bench/check-http.ts at a small size: a table, and zero stale answers with the cursor', async () => {
  const out = join(dir, 'check-http.md');
  const args = [
    '--import',
    'tsx',
    'bench/check-http.ts',
    '--sizes',
    '2000',
    '--rounds',
    '1',
    '--seconds',
    '1',
    '--stale-pairs',
    '60',
    '--out',
    out,
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: join(import.meta.dirname, '../..'), timeout: 120_000 });
  expect(stdout).toMatch(/^\| 2,000 \| \d+ \| \d+ \| [\d.]+ \(/m);
  expect(stdout).toMatch(
    /zero stale answers with the command's cursor \(\d+ stop\/transfer-then-check pairs, at N = [\d,]+\) \| 0 stale \| yes \|/,
  );
  expect(readFileSync(out, 'utf8')).toBe(stdout);
}, 150_000);
