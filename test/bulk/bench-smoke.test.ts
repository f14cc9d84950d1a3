// Keeps the bulk benchmark from rotting: every phase of it, on both dialects, at a tiny N.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('runs bench/bulk.ts end to end at N = 300 and writes its table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bench-smoke-'));
  try {
    const out = join(dir, 'bulk.md');
    const { stdout } = await run('node', ['--import', 'tsx', 'bench/bulk.ts', '--n', '300', '--chunk', '100', '--out', out], {
      timeout: 60_000,
    });
    const table = readFileSync(out, 'utf8');
    expect(stdout).toContain('# Bulk jobs benchmark (N = 300)');
    for (const label of [
      '(i) raw insert',
      '(ii)/(iii) one job',
      '(iv) first progress visible',
      '(v) POST /api/v1/checks during the job',
      '(v) the same with SSM_BATCH_THREAD=0',
      '(vi) peak RSS',
    ]) {
      expect(table).toContain(label);
    }
    // Both dialects were measured.
    expect(table).toMatch(/\| \(ii\)\/\(iii\)[^|]*\| [\d.]+ s \([\d,]+\/s\)[^|]*\| [\d.]+ s \([\d,]+\/s\) \|/);
    // The SQLite job ran three times (the default), each on a fresh file: the median and the range.
    expect(table).toMatch(/median of 3 runs[^|]*\| [\d.]+ s \([\d,]+\/s\), range [\d.]+ s–[\d.]+ s;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
