// The CSV reader: separators, BOM, quoting, formatted identifiers and dates, and every malformed file
// giving a clear problem (never a crash), however the bytes are split into chunks.
import { describe, expect, it } from 'vitest';
import { type CsvContext, parseCsvDate, readCsvItems } from '../../src/app/bulk-csv.js';
import { type ItemInput, JobInputError } from '../../src/app/bulk-jobs.js';
import { excelCsv } from '../../src/app/bulk-report.js';
import { ACME, C, client, enterprise, formatted, PIT, person, REP } from './support.js';

const ctx: CsvContext = { today: '2026-12-01', actingParty: enterprise(ACME) };

async function read(input: string | Buffer, chunkSize = 1 << 16): Promise<ItemInput[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const items: ItemInput[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const item of readCsvItems(source(), ctx)) items.push(item);
  return items;
}

async function problemOf(input: string | Buffer, chunkSize?: number) {
  try {
    await read(input, chunkSize);
  } catch (error) {
    if (error instanceof JobInputError) return error.refusal;
    throw error;
  }
  throw new Error('expected a problem');
}

const creates = (items: ItemInput[]) =>
  items.map((i) => {
    if (i.op.op !== 'create') throw new Error(`row ${i.row}: ${JSON.stringify(i.op)}`);
    return i.op.input;
  });

describe('reading a CSV', () => {
  it('reads ; with a BOM, CRLF and Excel quoting, keeping spreadsheet rows and file lines', async () => {
    const text = `\uFEFFtype;mandator;reference;language\r\n${PIT};${client(1)};"a;b\r\nsecond line";FR\r\n${PIT};${client(2)};"say ""hi""";\r\n`;
    const items = await read(text);
    expect(items.map((i) => [i.row, i.line])).toEqual([
      [2, 2],
      [3, 4],
    ]);
    expect(creates(items)).toEqual([
      {
        type: PIT,
        mandator: person(client(1)),
        mandatee: enterprise(ACME),
        validFrom: '2026-12-01',
        validUntil: null,
        reference: 'a;b\r\nsecond line',
        language: 'fr',
      },
      {
        type: PIT,
        mandator: person(client(2)),
        mandatee: enterprise(ACME),
        validFrom: '2026-12-01',
        validUntil: null,
        reference: 'say "hi"',
        language: 'nl',
      },
    ]);
  });

  it('reads , and tab separators, chosen from the header', async () => {
    for (const sep of [',', '\t']) {
      const items = await read(`type${sep}mandator${sep}reference\n${PIT}${sep}${client(3)}${sep}"x${sep}y"\n`);
      expect(creates(items)[0]).toMatchObject({ mandator: person(client(3)), reference: `x${sep}y` });
    }
  });

  it('gives the same result however the bytes are split (multi-byte characters across chunks included)', async () => {
    const text = `\uFEFFtype;mandator;reference\n${PIT};${client(4)};Société «générale» – Köln\n${PIT};${client(5)};"€ ; ""q"""\n`;
    const whole = await read(text);
    for (const size of [1, 2, 3, 7]) expect(await read(text, size)).toEqual(whole);
    expect(creates(whole)[0]?.reference).toBe('Société «générale» – Köln');
  });

  it('accepts formatted identifiers and infers their kind from their length', async () => {
    const text = [
      'mandator;mandatee;type',
      `${formatted(client(6))};BE 0403.170.701;${PIT}`,
      `${client(7)};403170701;${PIT}`,
      `${client(8)};${formatted(C)};${PIT}`,
      `${client(9)};0403.170.702;${PIT}`,
      `${client(10)};12345678;${PIT}`,
    ].join('\n');
    const items = await read(text);
    expect(items.slice(0, 3).map((i) => (i.op.op === 'create' ? [i.op.input.mandator, i.op.input.mandatee] : null))).toEqual([
      [person(client(6)), enterprise(ACME)],
      [person(client(7)), enterprise(ACME)],
      [person(client(8)), person(C)],
    ]);
    expect(items[3]?.op).toMatchObject({ op: 'invalid', problem: { code: 'IDENTIFIER_CHECK_DIGIT', field: 'mandatee' } });
    expect(items[4]?.op).toMatchObject({ op: 'invalid', problem: { code: 'IDENTIFIER_FORMAT', field: 'mandatee' } });
  });

  it('reads dates as YYYY-MM-DD, DD/MM/YYYY and YYYYMMDD, and refuses impossible ones', async () => {
    expect(['2027-01-31', '31/01/2027', '1/2/2027', '31-01-2027', '31.01.2027', '20270131'].map(parseCsvDate)).toEqual([
      '2027-01-31',
      '2027-01-31',
      '2027-02-01',
      '2027-01-31',
      '2027-01-31',
      '2027-01-31',
    ]);
    expect(['31/02/2027', '2027-13-01', '270131', 'tomorrow', '2027/01/31'].map(parseCsvDate)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const items = await read(
      `type;mandator;validFrom;validUntil\n${PIT};${client(11)};15/12/2026;20271214\n${PIT};${client(12)};30/02/2027;\n`,
    );
    expect(creates(items.slice(0, 1))[0]).toMatchObject({ validFrom: '2026-12-15', validUntil: '2027-12-14' });
    expect(items[1]).toMatchObject({ row: 3, op: { op: 'invalid', problem: { code: 'DATE_INVALID', field: 'validFrom' } } });
  });

  it('reads every operation, and refuses a row that cannot be one, naming the column', async () => {
    const id = '01a20e1c-0000-7000-8000-000000000000';
    const text = [
      'Operation;ID;Mandatee;Valid_Until;Reason;type',
      `SIGN;${id};;;;`,
      `refuse;${id};;;too late;`,
      `withdraw;${id};;;;`,
      `stop;${id};;;;`,
      `amend;${id};;unlimited;;`,
      `amend;${id};;31/12/2027;;`,
      `transfer;${id};${C};;;`,
      `transfer;${id};;;;`,
      `fly;${id};;;;`,
      `stop;;;;;`,
      `stop;not-an-id;;;;`,
    ].join('\n');
    const ops = (await read(text)).map((i) => i.op);
    expect(ops.slice(0, 7)).toEqual([
      { op: 'sign', id },
      { op: 'refuse', id, reason: 'too late' },
      { op: 'withdraw', id },
      { op: 'stop', id, reason: null },
      { op: 'amend', id, validUntil: null },
      { op: 'amend', id, validUntil: '2027-12-31' },
      { op: 'transfer', id, mandatee: person(C) },
    ]);
    expect(ops.slice(7).map((o) => (o.op === 'invalid' ? [o.problem.code, o.problem.field] : o.op))).toEqual([
      ['BULK_VALUE_MISSING', 'mandatee'],
      ['BULK_OPERATION_UNKNOWN', 'operation'],
      ['BULK_VALUE_MISSING', 'id'],
      ['BULK_VALUE_INVALID', 'id'],
    ]);
  });

  it('skips blank rows, refuses rows with cells beyond the header, and reads our own report back', async () => {
    const text = `type;mandator\n\n${PIT};${client(13)}\n;;\n${PIT};${client(14)};extra\n`;
    const items = await read(text);
    expect(items.map((i) => [i.row, i.op.op])).toEqual([
      [3, 'create'],
      [5, 'invalid'],
    ]);
    expect(items[1]?.op).toMatchObject({ problem: { code: 'CSV_COLUMNS', details: { cells: 3, columns: 2 } } });
    const report = `row;operation;type;mandator;mandatee;outcome;code;column;message;mandateId\n2;create;${PIT};${client(15)};${ACME};refused;X;type;…;\n`;
    expect(creates(await read(report))[0]).toMatchObject({ mandator: person(client(15)), mandatee: enterprise(ACME) });
  });

  it('fills an empty party with the uploader, and needs at least one', async () => {
    const items = await read(`type;mandator;mandatee\n${PIT};;${REP}\n${PIT};;\n`);
    expect(items[0]?.op).toMatchObject({ op: 'create', input: { mandator: enterprise(ACME), mandatee: person(REP) } });
    expect(items[1]?.op).toMatchObject({ op: 'invalid', problem: { code: 'BULK_VALUE_MISSING', field: 'mandator' } });
  });
});

describe('an unreadable CSV', () => {
  it('is empty', async () => {
    expect(await problemOf('')).toMatchObject({ status: 400, code: 'CSV_EMPTY' });
    expect(await problemOf('\uFEFF')).toMatchObject({ code: 'CSV_EMPTY' });
    expect(await problemOf('\r\n\r\n')).toMatchObject({ code: 'CSV_EMPTY' });
  });

  it('has only a header', async () => {
    expect(await problemOf('type;mandator')).toMatchObject({ status: 400, code: 'CSV_NO_ROWS' });
    expect(await problemOf('\uFEFFtype;mandator\r\n\r\n;\r\n')).toMatchObject({ code: 'CSV_NO_ROWS' });
  });

  it('has a wrong header, named', async () => {
    expect(await problemOf(`type;mandator;colour\n${PIT};x;y\n`)).toMatchObject({
      status: 400,
      code: 'CSV_HEADER',
      field: 'colour',
      details: { problem: 'unknown' },
    });
    expect(await problemOf(`mandator;mandatee\nx;y\n`)).toMatchObject({
      code: 'CSV_HEADER',
      field: 'type',
      details: { problem: 'missing' },
    });
    expect(await problemOf(`type;reference\nx;y\n`)).toMatchObject({ code: 'CSV_HEADER', field: 'mandator' });
    expect(await problemOf(`operation;reason\nstop;y\n`)).toMatchObject({ code: 'CSV_HEADER', field: 'id' });
    expect(await problemOf(`type;mandator;Mandator\nx;y;z\n`)).toMatchObject({
      code: 'CSV_HEADER',
      field: 'mandator',
      details: { problem: 'duplicate' },
    });
  });

  it('is not UTF-8 (Latin-1), at the start or deep inside, split anyhow', async () => {
    const latin1 = Buffer.from(`type;mandator;reference\n${PIT};${client(16)};Société\n`, 'latin1');
    expect(await problemOf(latin1)).toMatchObject({ status: 400, code: 'CSV_ENCODING', details: { line: 2 } });
    const late = Buffer.concat([
      Buffer.from(`type;mandator;reference\n${`${PIT};${client(17)};ok\n`.repeat(5000)}`),
      Buffer.from(`${PIT};${client(18)};Zürich\n`, 'latin1'),
    ]);
    for (const size of [1 << 16, 1000])
      expect(await problemOf(late, size)).toMatchObject({ code: 'CSV_ENCODING', details: { line: 5002 } });
  });

  it('has a quoted cell that never closes', async () => {
    expect(await problemOf(`type;mandator;reference\n${PIT};${client(19)};"never closed\n`)).toMatchObject({
      status: 400,
      code: 'CSV_MALFORMED',
    });
  });
});

describe('CSV for Excel', () => {
  const write = async (rows: string[][]) => {
    const out = excelCsv();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    const ended = new Promise((r) => out.on('end', r));
    for (const row of rows) out.write(row);
    out.end();
    await ended;
    return Buffer.concat(chunks);
  };

  it('writes UTF-8 with a BOM, ";" and CRLF, quoting what needs it', async () => {
    const bytes = await write([
      ['id', 'reference'],
      ['1', 'a;b'],
      ['2', 'two\nlines'],
      ['3', 'Ölçü "quoted"'],
    ]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('id;reference\r\n1;"a;b"\r\n2;"two\nlines"\r\n3;"Ölçü ""quoted"""\r\n');
  });

  it('defuses cells a spreadsheet would run as a formula', async () => {
    const cells = ['=1+1', '+32', '-2', '@SUM(A1)', '\tx', '\rx', 'a=b', '0403170701'];
    const text = (await write([cells])).subarray(3).toString('utf8');
    expect(text).toBe(`'=1+1;'+32;'-2;'@SUM(A1);'\tx;"'\rx";a=b;0403170701\r\n`);
  });

  it('reads back what it writes', async () => {
    const bytes = await write([
      ['type', 'mandator', 'reference'],
      [PIT, client(20), 'x;"y"\nz'],
    ]);
    expect(creates(await read(bytes))[0]).toMatchObject({ mandator: person(client(20)), reference: 'x;"y"\nz' });
  });
});
