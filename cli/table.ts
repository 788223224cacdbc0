// Plain-text tables for the commands that print them: each column padded to its widest cell.

/** A row of cells, or a line of its own (a heading) that takes no part in the column widths. */
export type Row = string[] | string;

/** `align` holds one letter per column: 'l' (text) or 'r' (numbers). */
export function formatTable(rows: Row[], align: string): string {
  const cells = rows.filter((row): row is string[] => typeof row !== 'string');
  const widths = [...align].map((_, c) => Math.max(0, ...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return rows.map((row) => (typeof row === 'string' ? row : line(row))).join('\n') + '\n';
}

/** An integer with thousands separators: 92,266,496. */
export const count = (n: number): string => n.toLocaleString('en-US');
