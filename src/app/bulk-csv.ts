// CSV import in the manner of Belgian bulk uploads: a header row naming the columns, `;` or `,` (or tab)
// as Excel writes them, UTF-8 with or without BOM, quoted cells with separators and newlines, dates as
// YYYY-MM-DD, DD/MM/YYYY or YYYYMMDD, identifiers with or without dots. Streamed: rows are turned into
// operations as they are read, so a large file is never held whole in parsed form.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { type CalendarDate, isCalendarDate } from '../core/dates.js';
import { isLanguage, type Parsed, type Party, parseEnterpriseNumber, parseNationalNumber } from '../core/party.js';
import type { ItemInput, JobRefusal } from './bulk-jobs.js';
import { JobInputError } from './bulk-jobs.js';
import { type BulkOperation, type ItemProblem, isMandateId, OPERATION_KINDS, type OperationKind, problem } from './bulk-operations.js';

/** The columns of the import, in the documented order (docs/bulk.md). */
export const CSV_COLUMNS = [
  'operation',
  'type',
  'mandator',
  'mandatee',
  'email',
  'language',
  'reference',
  'validFrom',
  'validUntil',
  'id',
  'reason',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Other spellings accepted in a header (compared lower-case, without spaces, dashes or underscores). */
const ALIASES: Record<string, CsvColumn> = {
  op: 'operation',
  start: 'validFrom',
  begin: 'validFrom',
  end: 'validUntil',
  mandateid: 'id',
};

/** Columns of our own reports and exports: accepted and ignored, so a fixed report can be uploaded again. */
const REPORT_COLUMNS = new Set(
  ['row', 'line', 'outcome', 'code', 'column', 'message', 'relatedId', 'cursor', 'status', 'state', 'domain', 'version']
    .concat(['createdAt', 'updatedAt', 'endedAt', 'waitingFor', 'mandatorKind', 'mandateeKind'])
    .map((c) => c.toLowerCase()),
);

const normalize = (name: string) =>
  name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
const BY_NAME = new Map<string, CsvColumn>([...CSV_COLUMNS.map((c) => [c.toLowerCase(), c] as const), ...Object.entries(ALIASES)]);

export interface CsvContext {
  /** Today in Brussels: the default start of a new mandate. */
  today: CalendarDate;
  /** The party the uploader acts for: fills an empty mandator or mandatee of a create. */
  actingParty: Party;
}

const fatal = (refusal: JobRefusal) => new JobInputError(refusal);

/** A date cell: YYYY-MM-DD, DD/MM/YYYY (also with - or .), or YYYYMMDD. */
export function parseCsvDate(value: string): CalendarDate | undefined {
  let iso: string | undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (m) iso = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  m = m ? null : /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (m) iso = `${m[3]}-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`;
  m = iso ? null : /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  return iso && isCalendarDate(iso) ? iso : undefined;
}

/** An identifier cell; its kind follows from its length: 11 digits a person, 9 or 10 an enterprise. */
export function parseCsvParty(value: string, column: string): Parsed<Party> {
  const digits = value.replace(/^\s*BE/i, '').replace(/[\s.\-/]/g, '');
  if (digits.length === 11) {
    const nn = parseNationalNumber(digits, column);
    return nn.ok ? { ok: true, value: { kind: 'person', id: nn.value } } : nn;
  }
  if (digits.length === 9 || digits.length === 10) {
    const en = parseEnterpriseNumber(digits, column);
    return en.ok ? { ok: true, value: { kind: 'enterprise', id: en.value } } : en;
  }
  return {
    ok: false,
    refusal: {
      code: 'IDENTIFIER_FORMAT',
      message: 'A national number has 11 digits, an enterprise number 10 (or 9 without the leading 0).',
      field: column,
    },
  };
}

type Cells = Partial<Record<CsvColumn, string>>;

/** Turns one row into an operation; a row that cannot be read becomes an `invalid` one naming the column. */
export function rowToOperation(cells: Cells, ctx: CsvContext): BulkOperation {
  const raw = (cells.operation ?? '').toLowerCase();
  const op = (raw === '' ? 'create' : raw) as OperationKind;
  const invalid = (p: ItemProblem): BulkOperation => ({
    op: 'invalid',
    attempted: raw === '' ? 'create' : raw,
    problem: p,
    cells: cells as Record<string, string>,
  });
  if (!OPERATION_KINDS.includes(op)) {
    return invalid(
      problem('BULK_OPERATION_UNKNOWN', `operation is one of ${OPERATION_KINDS.join(', ')} (empty means create).`, 'operation'),
    );
  }
  const value = (c: CsvColumn) => {
    const v = cells[c];
    return v === undefined || v === '' ? undefined : v;
  };
  const date = (c: 'validFrom' | 'validUntil'): Parsed<CalendarDate | undefined> => {
    const v = value(c);
    if (v === undefined) return { ok: true, value: undefined };
    const d = parseCsvDate(v);
    return d
      ? { ok: true, value: d }
      : { ok: false, refusal: { code: 'DATE_INVALID', message: `${c} is a date: YYYY-MM-DD, DD/MM/YYYY or YYYYMMDD.`, field: c } };
  };
  const party = (c: 'mandator' | 'mandatee'): Parsed<Party | undefined> => {
    const v = value(c);
    return v === undefined ? { ok: true, value: undefined } : parseCsvParty(v, c);
  };
  if (op === 'create') {
    const type = value('type');
    if (!type) return invalid(problem('BULK_VALUE_MISSING', 'A new mandate needs a type.', 'type'));
    const mandator = party('mandator');
    if (!mandator.ok) return invalid(mandator.refusal);
    const mandatee = party('mandatee');
    if (!mandatee.ok) return invalid(mandatee.refusal);
    if (!mandator.value && !mandatee.value)
      return invalid(problem('BULK_VALUE_MISSING', 'Give the mandator or the mandatee (the other is you).', 'mandator'));
    const from = date('validFrom');
    if (!from.ok) return invalid(from.refusal);
    const until = date('validUntil');
    if (!until.ok) return invalid(until.refusal);
    const language = (value('language') ?? 'nl').toLowerCase();
    if (!isLanguage(language)) return invalid(problem('LANGUAGE_UNKNOWN', 'language is one of nl, fr, de, en.', 'language'));
    const email = value('email');
    if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      return invalid(problem('BULK_VALUE_INVALID', 'email is an e-mail address.', 'email'));
    }
    return {
      op,
      input: {
        type,
        // An empty party is the uploader's own (an accountant's file of clients leaves the mandatee empty).
        mandator: mandator.value ?? ctx.actingParty,
        mandatee: mandatee.value ?? ctx.actingParty,
        validFrom: from.value ?? ctx.today,
        validUntil: until.value ?? null,
        reference: value('reference') ?? null,
        language,
      },
      ...(email === undefined ? {} : { email }),
    };
  }
  const id = value('id');
  if (!id) return invalid(problem('BULK_VALUE_MISSING', `A ${op} names the mandate in column id.`, 'id'));
  if (!isMandateId(id)) return invalid(problem('BULK_VALUE_INVALID', 'id is the id of a mandate (a UUID).', 'id'));
  const mandateId = id.toLowerCase();
  switch (op) {
    case 'sign':
      return { op, id: mandateId };
    case 'withdraw':
      return { op, id: mandateId };
    case 'refuse':
    case 'stop':
      return { op, id: mandateId, reason: value('reason') ?? null };
    case 'amend': {
      const from = date('validFrom');
      if (!from.ok) return invalid(from.refusal);
      const rawUntil = value('validUntil');
      // An empty end leaves it as it is; "unlimited" (or "null") removes it.
      const unlimited = rawUntil !== undefined && /^(unlimited|null|onbeperkt|illimit[ée]e?|unbegrenzt)$/i.test(rawUntil);
      const until = unlimited ? { ok: true as const, value: null } : date('validUntil');
      if (!until.ok) return invalid(until.refusal);
      return {
        op,
        id: mandateId,
        ...(from.value === undefined ? {} : { validFrom: from.value }),
        ...(until.value === undefined ? {} : { validUntil: until.value }),
      };
    }
    default: {
      const mandatee = party('mandatee');
      if (!mandatee.ok) return invalid(mandatee.refusal);
      if (!mandatee.value)
        return invalid(problem('BULK_VALUE_MISSING', 'A transfer names the new mandatee in column mandatee.', 'mandatee'));
      return { op: 'transfer', id: mandateId, mandatee: mandatee.value };
    }
  }
}

/** Reads the header row: every column known (or one of our report columns), none twice, and enough to say what to do. */
export function readHeader(cells: readonly string[]): (CsvColumn | null)[] {
  const seen = new Set<CsvColumn>();
  const columns = cells.map((cell) => {
    const name = normalize(cell);
    const column = BY_NAME.get(name);
    if (column) {
      if (seen.has(column)) {
        throw fatal({
          status: 400,
          code: 'CSV_HEADER',
          message: `The column ${column} appears twice.`,
          field: column,
          details: { column, problem: 'duplicate' },
        });
      }
      seen.add(column);
      return column;
    }
    if (REPORT_COLUMNS.has(name) || name === '') return null;
    throw fatal({
      status: 400,
      code: 'CSV_HEADER',
      message: `Unknown column "${cell.trim()}": the columns are ${CSV_COLUMNS.join(';')}.`,
      field: cell.trim(),
      details: { column: cell.trim(), problem: 'unknown', expected: CSV_COLUMNS },
    });
  });
  const missing = (column: CsvColumn, why: string) =>
    fatal({
      status: 400,
      code: 'CSV_HEADER',
      message: `The column ${column} is missing: ${why}.`,
      field: column,
      details: { column, problem: 'missing' },
    });
  if (!seen.has('operation') && !seen.has('type')) throw missing('type', 'without an operation column every row creates a mandate');
  if (!seen.has('operation') && !seen.has('mandator') && !seen.has('mandatee'))
    throw missing('mandator', 'a new mandate needs a mandator or a mandatee');
  if (seen.has('operation') && !seen.has('id') && !seen.has('type')) throw missing('id', 'operations on existing mandates name them by id');
  return columns;
}

/** Picks the separator from the header line: the most frequent of `;`, `,` and tab (`;` when none). */
export function sniffDelimiter(headerLine: string): string {
  const count = (c: string) => headerLine.split(c).length - 1;
  const candidates = [';', ',', '\t'].map((c) => [c, count(c)] as const).sort((a, b) => b[1] - a[1]);
  const best = candidates[0] as readonly [string, number];
  return best[1] > 0 ? best[0] : ';';
}

/** Decodes UTF-8 strictly (a BOM is dropped): a byte sequence that is not UTF-8 is a CSV_ENCODING problem naming the line. */
async function* decodeUtf8(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  let bytes = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let text: string;
    try {
      text = decoder.decode(buffer, { stream: true });
    } catch {
      throw fatal(encodingProblem(lines + linesBeforeBadByte(buffer), bytes));
    }
    bytes += buffer.length;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines += 1;
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw fatal(encodingProblem(lines, bytes));
  }
  if (rest) yield rest;
}

/** Lines that end in a chunk before its first byte that is not UTF-8 (continuation bytes of a character begun in the chunk before are skipped). */
function linesBeforeBadByte(chunk: Uint8Array): number {
  let start = 0;
  while (start < 3 && start < chunk.length && ((chunk[start] as number) & 0xc0) === 0x80) start += 1;
  const text = new TextDecoder('utf-8').decode(chunk.subarray(start));
  const bad = text.indexOf('\uFFFD');
  return text.slice(0, bad < 0 ? text.length : bad).split('\n').length - 1;
}

const encodingProblem = (line: number, byteOffset: number): JobRefusal => ({
  status: 400,
  code: 'CSV_ENCODING',
  message: `The file is not UTF-8 (near line ${line}). Save it as "CSV UTF-8" and upload it again.`,
  field: 'body',
  details: { line, byteOffset },
});

/** Holds back the text until the first line is complete, so the separator can be chosen from the header. */
async function* withHeaderLine(text: AsyncIterable<string>, onHeader: (line: string) => void): AsyncGenerator<string> {
  let buffered = '';
  let sniffed = false;
  for await (const t of text) {
    if (sniffed) {
      yield t;
      continue;
    }
    buffered += t;
    const end = buffered.search(/\r?\n/);
    if (end >= 0) {
      onHeader(buffered.slice(0, end));
      sniffed = true;
      yield buffered;
      buffered = '';
    }
  }
  if (!sniffed) {
    onHeader(buffered);
    if (buffered) yield buffered;
  }
}

/** Streams the operations of a CSV file (bytes), with each row's spreadsheet row and file line. */
export async function* readCsvItems(source: AsyncIterable<Uint8Array | string>, ctx: CsvContext): AsyncGenerator<ItemInput> {
  let delimiter = ';';
  let headerSeen = false;
  const text = withHeaderLine(decodeUtf8(source), (line) => {
    headerSeen = line.trim() !== '';
    delimiter = sniffDelimiter(line);
  });
  // The first chunk (with the whole header line) is read before the parser is made, with the separator it needs.
  const first = await text.next();
  if (first.done || !headerSeen) {
    // Drain, so a non-UTF-8 empty-looking file still reports its encoding.
    if (!first.done) for await (const _ of text);
    throw fatal({
      status: 400,
      code: 'CSV_EMPTY',
      message: 'The file is empty: it needs a header row and at least one row.',
      field: 'body',
    });
  }
  async function* all() {
    yield first.value as string;
    yield* text;
  }
  // Quotes inside an unquoted cell are taken as they are (hand-edited files have them); an unclosed quoted cell is an error.
  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  const feeding = pipeline(Readable.from(all()), parser).catch((error: unknown) => {
    parser.destroy(error as Error);
  });
  let header: (CsvColumn | null)[] | undefined;
  let row = 0;
  let nextLine = 1;
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      const line = nextLine;
      // The next row starts after this one's newlines (inside quoted cells, and its own end).
      nextLine = line + 1;
      for (const cell of record) for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) nextLine += 1;
      if (!header) {
        header = readHeader(record);
        continue;
      }
      const cells: Cells = {};
      let empty = true;
      record.forEach((value, i) => {
        const v = value.trim();
        if (v !== '') empty = false;
        const column = header?.[i];
        if (column) cells[column] = v;
      });
      if (empty) continue;
      rows += 1;
      const extra = record.slice(header.length).some((v) => v.trim() !== '');
      const op: BulkOperation = extra
        ? {
            op: 'invalid',
            attempted: cells.operation || 'create',
            problem: problem('CSV_COLUMNS', `This row has ${record.length} cells; the header has ${header.length}.`, undefined, {
              cells: record.length,
              columns: header.length,
            }),
          }
        : rowToOperation(cells, ctx);
      yield { row, line, op };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw fatal({
        status: 400,
        code: 'CSV_MALFORMED',
        message: `The file is not valid CSV near line ${(error as CsvError & { lines?: number }).lines ?? nextLine}: ${error.message}`,
        field: 'body',
        details: { line: (error as CsvError & { lines?: number }).lines ?? nextLine, reason: error.code },
      });
    }
    throw error;
  } finally {
    parser.destroy();
    await feeding;
  }
  if (rows === 0) throw fatal({ status: 400, code: 'CSV_NO_ROWS', message: 'The file has a header row but no rows.', field: 'body' });
}
