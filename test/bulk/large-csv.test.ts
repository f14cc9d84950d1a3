// A 50 MB CSV of 100,000 rows uploaded over HTTP: spooled and parsed as a stream, stored as a job
// without holding the parsed file in memory; one row more than a job may carry is refused clearly.
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../fixtures/server.js';
import { ACME, client, PIT, REP, today } from './support.js';

let server: Awaited<ReturnType<typeof startServer>>;
let token: string;
const dir = mkdtempSync(join(tmpdir(), 'ssm-bulk-csv-'));

function writeCsv(file: string, rows: number, referenceLength: number) {
  const reference = 'x'.repeat(referenceLength);
  const lines = ['\uFEFFtype;mandator;mandatee;language;reference;validFrom;validUntil'];
  for (let i = 0; i < rows; i++) lines.push(`${PIT};${client(i)};;nl;${reference} ${i};${today()};`);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
}

const upload = (file: string) =>
  fetch(`${server.url}/api/v1/batches?onBehalfOf=${ACME}&fileName=big.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);

beforeAll(async () => {
  // No worker here: the test is about receiving the file, not processing it.
  server = await startServer({ env: { SSM_BATCH_WORKER: '0' } });
  await server.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  token = await server.tokenFor(REP);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a large CSV', () => {
  it('is received as a stream: 50 MB, 100,000 rows, one job', async () => {
    const file = join(dir, 'big.csv');
    writeCsv(file, 100_000, 480);
    expect(statSync(file).size).toBeGreaterThan(50 * 1024 * 1024);
    const answer = await upload(file);
    const body = (await answer.json()) as { id: string; total: number; status: string };
    expect(answer.status, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({ total: 100_000, status: 'queued', fileName: 'big.csv' });
    const items = await server.app.store.batches.items(body.id, 99_990, 100);
    expect(items.map((i) => i.row)).toEqual([99_993, 99_994, 99_995, 99_996, 99_997, 99_998, 99_999, 100_000, 100_001]);
  }, 120_000);

  it('refuses a file with more rows than a job may carry, and keeps nothing of it', async () => {
    const file = join(dir, 'too-many.csv');
    writeCsv(file, 100_001, 0);
    const jobsBefore = await server.app.store.batches.list(REP, 100);
    const answer = await upload(file);
    expect(answer.status).toBe(413);
    expect(((await answer.json()) as { code: string }).code).toBe('CSV_TOO_MANY_ROWS');
    expect(await server.app.store.batches.list(REP, 100)).toEqual(jobsBefore);
  }, 120_000);
});
