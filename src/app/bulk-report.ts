// What bulk jobs show: per-item results (API), the job report and the export of mandates as CSV that
// Excel in Dutch or French opens as it should: UTF-8 with BOM, `;`, CRLF, and cells that would start a
// formula (= + - @, tab, CR) prefixed with `'` so a crafted reference cannot run in the reader's Excel.
import { stringify } from 'csv-stringify';
import { effectiveState, type Mandate, type MandateStatus, missingSigners, otherRole, type Role } from '../core/mandate.js';
import type { Language, Party } from '../core/party.js';
import type { BatchItemView, BatchJob } from '../store/batch-port.js';
import { CSV_COLUMNS, type CsvColumn } from './bulk-csv.js';
import { bulkMessage } from './bulk-messages.js';
import type { BulkOperation } from './bulk-operations.js';
import type { AppContext } from './context.js';

/** Prefixes a cell that a spreadsheet would read as a formula. */
export const excelSafe = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** A CSV writer for spreadsheets in Belgium: BOM, `;`, CRLF, formula-safe cells; null and undefined are empty. */
export function excelCsv() {
  return stringify({
    delimiter: ';',
    record_delimiter: 'windows',
    bom: true,
    // A lone LF inside a cell is not the record delimiter, but Excel would still break the row on it.
    quoted_match: /[\r\n]/,
    cast: {
      string: (value) => excelSafe(value),
      number: (value) => String(value),
      boolean: (value) => (value ? 'true' : 'false'),
    },
  });
}

/** The CSV column an item's problem is about (its field, as a CSV user sees it). */
export function columnOf(field: string | null | undefined): CsvColumn | null {
  if (!field) return null;
  const path = field.replace(/^mandate\./, '');
  const head = path.split('.')[0] as string;
  if (head === 'If-Match' || head === 'version') return 'id';
  if (head === 'op') return 'operation';
  return (CSV_COLUMNS as readonly string[]).includes(head) ? (head as CsvColumn) : null;
}

const opName = (op: BulkOperation) => (op.op === 'invalid' ? (op.attempted ?? 'invalid') : op.op);

/** One item as the API shows it. */
export function presentItem(item: BatchItemView, language: Language) {
  const op = JSON.parse(item.operation) as BulkOperation;
  const r = item.result;
  return {
    index: item.seq,
    row: item.row,
    line: item.line,
    op: opName(op),
    id: 'id' in op ? op.id : null,
    status: r ? r.outcome : ('pending' as const),
    mandateId: r?.mandateId ?? null,
    relatedId: r?.relatedId ?? null,
    cursor: r?.cursor ?? null,
    code: r?.code ?? (r?.outcome === 'skipped' ? 'ITEM_SKIPPED' : null),
    field: r?.field ?? null,
    column: columnOf(r?.field),
    message: r?.code ? bulkMessage(r.code, language, r.details) : r?.outcome === 'skipped' ? bulkMessage('ITEM_SKIPPED', language) : null,
    detail: r?.message ?? null,
    details: r?.details ?? null,
  };
}

const partyCell = (p: Party | undefined) => p?.id ?? '';

/** The input columns of an item, rendered back from its operation (identifiers as digits, dates ISO). */
function inputCells(op: BulkOperation): string[] {
  const cells: Partial<Record<CsvColumn, string>> = { operation: opName(op) };
  switch (op.op) {
    case 'create':
      Object.assign(cells, {
        type: op.input.type,
        mandator: partyCell(op.input.mandator),
        mandatee: partyCell(op.input.mandatee),
        email: op.email ?? '',
        language: op.input.language,
        reference: op.input.reference ?? '',
        validFrom: op.input.validFrom,
        validUntil: op.input.validUntil ?? '',
      });
      break;
    case 'refuse':
    case 'stop':
      Object.assign(cells, { id: op.id, reason: op.reason ?? '' });
      break;
    case 'amend':
      Object.assign(cells, {
        id: op.id,
        validFrom: op.validFrom ?? '',
        validUntil: op.validUntil === null ? 'unlimited' : (op.validUntil ?? ''),
      });
      break;
    case 'transfer':
      Object.assign(cells, { id: op.id, mandatee: partyCell(op.mandatee) });
      break;
    case 'sign':
    case 'withdraw':
      cells.id = op.id;
      break;
    case 'invalid':
      Object.assign(cells, op.cells ?? {});
      break;
  }
  return REPORT_INPUT.map((c) => cells[c] ?? '');
}

const REPORT_INPUT: CsvColumn[] = [
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
];
export const REPORT_HEADER = ['row', ...REPORT_INPUT, 'outcome', 'code', 'column', 'message', 'mandateId', 'relatedId'];

/** The job report: every item with its input and outcome, header first; read from the store a page at a time. */
export async function* jobReportRows(app: AppContext, job: BatchJob, language: Language): AsyncGenerator<string[]> {
  yield REPORT_HEADER;
  let after = -1;
  for (;;) {
    const page = await app.store.batches.items(job.id, after, 1000);
    for (const item of page) {
      const shown = presentItem(item, language);
      yield [
        String(item.row ?? item.seq + 1),
        ...inputCells(JSON.parse(item.operation) as BulkOperation),
        shown.status,
        shown.code ?? '',
        shown.column ?? '',
        shown.message ?? '',
        shown.mandateId ?? '',
        shown.relatedId ?? '',
      ];
    }
    if (page.length < 1000) return;
    after = (page.at(-1) as BatchItemView).seq;
  }
}

export const EXPORT_HEADER = [
  'id',
  'type',
  'domain',
  'mandator',
  'mandatorKind',
  'mandatee',
  'mandateeKind',
  'status',
  'state',
  'waitingFor',
  'validFrom',
  'validUntil',
  'reference',
  'language',
  'version',
  'createdAt',
  'endedAt',
];

function waitingFor(m: Mandate): Role[] {
  if (m.status === 'pending') return missingSigners(m);
  return m.status === 'signed' && m.pendingAmendment ? [otherRole(m.pendingAmendment.proposedBy)] : [];
}

export interface ExportQuery {
  party: Party;
  role?: Role;
  status?: MandateStatus[];
  type?: string;
}

/** A party's mandates as CSV rows, header first, read a page at a time (the caller checked the party is theirs). */
export async function* mandateExportRows(app: AppContext, query: ExportQuery): AsyncGenerator<string[]> {
  yield EXPORT_HEADER;
  const now = app.now();
  let after: string | undefined;
  do {
    const page = await app.store.listMandates({ ...query, limit: 500, after });
    for (const m of page.items) {
      yield [
        m.id,
        m.type,
        m.domain,
        m.mandator.id,
        m.mandator.kind,
        m.mandatee.id,
        m.mandatee.kind,
        m.status,
        effectiveState(m, now),
        waitingFor(m).join(' '),
        m.validFrom,
        m.validUntil ?? '',
        m.reference ?? '',
        m.language,
        String(m.version),
        m.createdAt,
        m.endedAt ?? '',
      ];
    }
    after = page.next ?? undefined;
  } while (after);
}
