/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection"): one that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return, after any leading spaces. Phone numbers
 * (`+1 212…`) and negative numbers are such cells too: they are neutralised like the rest,
 * which costs a visible `'` and is what spreadsheets expect.
 */
export function isFormulaLike(cell: string): boolean {
  let i = 0;
  while (i < cell.length && cell.charCodeAt(i) === 32) i++;
  const c = cell.charCodeAt(i);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 0xff1d /* fullwidth = */;
}

/** The cell with a leading `'` when it is formula-like, so a spreadsheet shows it as text. */
export function neutraliseFormula(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}

/**
 * One CSV cell for a file Paceline writes (rejects, exports): formula-like text neutralised,
 * then quoted when it holds the delimiter, a quote or a line break.
 */
export function csvCell(value: string | number | boolean | undefined | null, delimiter = ','): string {
  const text = neutraliseFormula(value === undefined || value === null ? '' : String(value));
  return text.includes(delimiter) || /["\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line break) of {@link csvCell}s. */
export function csvLine(values: readonly (string | number | boolean | undefined | null)[], delimiter = ','): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter);
}
