// Reading a CSV file in the browser, only to show it back while the server judges it: the header, the
// rows with their spreadsheet row numbers (header = 1, as the server counts), `;`, `,` or tab as
// separator, quoted cells with doubled quotes and newlines, a BOM dropped. The server stays the judge.

export type Separator = ';' | ',' | '\t';

/** The most frequent of `;`, `,` and tab in the header line (`;` when none). */
export function sniffSeparator(headerLine: string): Separator {
  const candidates: Separator[] = [';', ',', '\t'];
  let best: Separator = ';';
  let most = 0;
  for (const c of candidates) {
    const count = headerLine.split(c).length - 1;
    if (count > most) {
      best = c;
      most = count;
    }
  }
  return best;
}

export interface CsvRow {
  /** The spreadsheet row: the header is row 1. */
  row: number;
  cells: string[];
}

export interface ParsedCsv {
  header: string[];
  /** Data rows, blank ones left out (their numbers are kept by the others). */
  rows: CsvRow[];
}

/** Splits the text into records: quotes open a quoted cell only at its start; elsewhere they are kept as typed. */
export function parseCsv(input: string): ParsedCsv {
  const text = input.replace(/^\uFEFF/, '');
  const firstBreak = text.search(/\r?\n/);
  const separator = sniffSeparator(firstBreak < 0 ? text : text.slice(0, firstBreak));
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let atCellStart = true;
  let i = 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    atCellStart = true;
  };
  const endRecord = () => {
    endCell();
    records.push(cells);
    cells = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
      i += 1;
      continue;
    }
    if (ch === separator) {
      endCell();
      i += 1;
      continue;
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i += 2;
      continue;
    }
    if (ch === '\n') {
      endRecord();
      i += 1;
      continue;
    }
    cell += ch;
    atCellStart = false;
    i += 1;
  }
  // The last record, unless the file ends with its line break.
  if (cell !== '' || cells.length > 0 || quoted) endRecord();
  const [header = [], ...data] = records;
  return {
    header: header.map((h) => h.trim()),
    rows: data
      .map((cellsOfRow, index) => ({ row: index + 2, cells: cellsOfRow.map((c) => c.trim()) }))
      .filter((r) => r.cells.some((c) => c !== '')),
  };
}

/** Other names of the columns the import accepts (compared without case, spaces, dashes or underscores). */
const ALIASES: Record<string, string> = {
  op: 'operation',
  start: 'validfrom',
  begin: 'validfrom',
  end: 'validuntil',
  mandateid: 'id',
};

/** A column name as the server names it, to find the cell a problem points at. */
export function columnKey(name: string): string {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  return ALIASES[key] ?? key;
}

export interface RowProblem {
  row: number;
  column: string | null;
  message: string;
}

export interface PreviewRow extends CsvRow {
  problems: RowProblem[];
  /** Indexes of the cells the problems point at. */
  badCells: number[];
}

/**
 * The rows to show with their problems: all of them when the file is short, else only those with a
 * problem (the preview says so). Problems of rows the browser could not find are kept, without cells.
 */
export function previewRows(
  parsed: ParsedCsv,
  problems: readonly RowProblem[],
  limit = 50,
): { rows: PreviewRow[]; onlyProblems: boolean; orphans: RowProblem[] } {
  const byRow = new Map<number, RowProblem[]>();
  for (const p of problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
  const keys = parsed.header.map(columnKey);
  const decorate = (r: CsvRow): PreviewRow => {
    const rowProblems = byRow.get(r.row) ?? [];
    const badCells = rowProblems.flatMap((p) => (p.column ? [keys.indexOf(columnKey(p.column))].filter((i) => i >= 0) : []));
    return { ...r, problems: rowProblems, badCells };
  };
  const onlyProblems = parsed.rows.length > limit;
  const rows = (onlyProblems ? parsed.rows.filter((r) => byRow.has(r.row)) : parsed.rows)
    .slice(0, onlyProblems ? 200 : limit)
    .map(decorate);
  const known = new Set(parsed.rows.map((r) => r.row));
  return { rows, onlyProblems, orphans: problems.filter((p) => !known.has(p.row)) };
}
