import type { Parser } from 'csv-parse';
import { chunksOf, type TextSource } from './text-source';

/** Feed a source into a csv-parse parser, honouring back-pressure, then end it. */
export async function pump(source: TextSource, parser: Parser): Promise<void> {
  for await (const chunk of chunksOf(source)) {
    if (!parser.write(chunk)) await new Promise<void>((resolve) => parser.once('drain', () => resolve()));
  }
  parser.end();
}
