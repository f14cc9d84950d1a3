// The CSV preview in the browser: separators, quotes, BOM and line breaks as Excel writes them, the
// server's row numbers, and the problems of the dry run placed on their rows and cells.
import { describe, expect, it } from 'vitest';
import { columnKey, parseCsv, previewRows, sniffSeparator } from '../../web/src/lib/csv.js';

describe('reading a CSV file', () => {
  it('picks the separator from the header', () => {
    expect(sniffSeparator('operation;type;mandator')).toBe(';');
    expect(sniffSeparator('operation,type,mandator')).toBe(',');
    expect(sniffSeparator('operation\ttype')).toBe('\t');
    expect(sniffSeparator('type')).toBe(';');
  });

  it('numbers rows as a spreadsheet does (header = 1), blank ones counted but not shown', () => {
    const parsed = parseCsv('\uFEFFtype;mandatee\r\nfinance.vat;0403170701\r\n\r\nfinance.myminfin;85073003328\r\n');
    expect(parsed.header).toEqual(['type', 'mandatee']);
    expect(parsed.rows).toEqual([
      { row: 2, cells: ['finance.vat', '0403170701'] },
      { row: 4, cells: ['finance.myminfin', '85073003328'] },
    ]);
  });

  it('reads quoted cells with separators, doubled quotes and line breaks', () => {
    const parsed = parseCsv('type,reference\nfinance.vat,"file ""A"", part 1\nand 2"\nfinance.vat,plain "quote"\n');
    expect(parsed.rows).toEqual([
      { row: 2, cells: ['finance.vat', 'file "A", part 1\nand 2'] },
      { row: 3, cells: ['finance.vat', 'plain "quote"'] },
    ]);
  });

  it('reads a last row without a line break', () => {
    expect(parseCsv('type\nfinance.vat').rows).toEqual([{ row: 2, cells: ['finance.vat'] }]);
  });
});

describe('the preview', () => {
  const parsed = parseCsv('Type;Mandatee;End\nfinance.vat;0403170701;\nfinance.vat;0403170702;\nfinance.vat;0403170701;31/02/2027\n');

  it('names columns as the server does, aliases included', () => {
    expect(columnKey('Valid Until')).toBe('validuntil');
    expect(columnKey('end')).toBe('validuntil');
    expect(columnKey('mandate_id')).toBe('id');
  });

  it('puts each problem on its row and marks the cell at fault', () => {
    const { rows, onlyProblems, orphans } = previewRows(parsed, [
      { row: 3, column: 'mandatee', message: 'check digits' },
      { row: 4, column: 'validUntil', message: 'not a date' },
      { row: 9, column: null, message: 'somewhere else' },
    ]);
    expect(onlyProblems).toBe(false);
    expect(rows.map((r) => [r.row, r.badCells, r.problems.length])).toEqual([
      [2, [], 0],
      [3, [1], 1],
      [4, [2], 1],
    ]);
    expect(orphans).toEqual([{ row: 9, column: null, message: 'somewhere else' }]);
  });

  it('shows only the rows with problems when the file is long', () => {
    const { rows, onlyProblems } = previewRows(parsed, [{ row: 3, column: 'mandatee', message: 'x' }], 2);
    expect(onlyProblems).toBe(true);
    expect(rows.map((r) => r.row)).toEqual([3]);
  });
});
