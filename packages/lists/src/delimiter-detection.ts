/** A field delimiter the importer detects. */
export type ListDelimiter = ',' | ';' | '\t' | '|';

/** The delimiters tried, in the order that breaks ties. */
export const DELIMITERS: readonly ListDelimiter[] = [',', ';', '\t', '|'];

/** How many lines of the sample are looked at. */
const SAMPLE_LINES = 50;

/**
 * Guess the delimiter from the first lines of a file: for each candidate, the count per line
 * outside quotes; the winner is the one whose count is the same (and not zero) on the most
 * lines, then the larger count, then the order of {@link DELIMITERS}. A European Excel file
 * (`;`, with `,` as the decimal mark) has a steady number of `;` per line and a varying
 * number of `,`, so it is read as `;`. A file of one column has none: `,`.
 */
export function detectDelimiter(sample: string): ListDelimiter {
  const counts = new Map<ListDelimiter, number[]>(DELIMITERS.map((d) => [d, []]));
  let lines = 0;
  let inQuotes = false;
  const current = new Map<ListDelimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let lineHasText = false;
  const endLine = () => {
    if (lineHasText) {
      for (const d of DELIMITERS) counts.get(d)?.push(current.get(d) ?? 0);
      lines++;
    }
    for (const d of DELIMITERS) current.set(d, 0);
    lineHasText = false;
  };
  for (let i = 0; i < sample.length && lines < SAMPLE_LINES; i++) {
    const c = sample[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === '\n') endLine();
    else if (!inQuotes && (c === ',' || c === ';' || c === '\t' || c === '|')) current.set(c, (current.get(c) ?? 0) + 1);
    if (c !== '\n' && c !== '\r' && c !== ' ') lineHasText = true;
  }
  if (lines < SAMPLE_LINES) endLine();
  let best: ListDelimiter = ',';
  let bestLines = 0;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const perLine = counts.get(d) ?? [];
    const tally = new Map<number, number>();
    for (const n of perLine) if (n > 0) tally.set(n, (tally.get(n) ?? 0) + 1);
    let mode = 0;
    let modeLines = 0;
    for (const [n, k] of tally) if (k > modeLines || (k === modeLines && n > mode)) [mode, modeLines] = [n, k];
    // The header line must have it too, unless the file has a single line.
    if (mode === 0 || (perLine[0] ?? 0) === 0) continue;
    if (modeLines > bestLines || (modeLines === bestLines && mode > bestCount)) {
      best = d;
      bestLines = modeLines;
      bestCount = mode;
    }
  }
  return best;
}
