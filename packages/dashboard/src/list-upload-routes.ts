import { PacelineError } from '@paceline/core';
import { UploadGate } from '@paceline/engine';
import { headerKey, type ListFormat, listItems, suggestMapping } from '@paceline/lists';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LIST_UPLOAD_JS } from './list-upload-script';

/** An upload handed to the host's importer: the file as a byte stream, never a whole-file string. */
export interface ListUpload {
  readonly campaignId: string;
  readonly fileName: string;
  /** The file's bytes as they arrive (CSV in any encoding, or XLSX). */
  readonly source: AsyncIterable<Uint8Array>;
  /** The column mapping the manager chose on the preview (a `ColumnMapping`), when one was chosen. */
  readonly mapping?: unknown;
  /** The CSV delimiter the manager chose; default detected. */
  readonly delimiter?: string;
  /** The XLSX sheet the manager chose; default the first. */
  readonly sheet?: string;
}

/** One row problem as the dashboard shows it. */
export interface ListRowProblem {
  readonly row: number;
  readonly line?: number;
  readonly reason: string;
  readonly message: string;
}

/** What an uploaded list's import did, as the dashboard shows it. */
export interface ListImportSummary {
  readonly rowsRead: number;
  readonly imported: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** How the file was read (format, encoding, delimiter, sheet). */
  readonly readAs?: ListFormat;
  /** The first rejects, for the manager to see what was wrong (shown escaped). */
  readonly sample: readonly ListRowProblem[];
  /** The first values dropped from imported rows. */
  readonly warnings?: readonly ListRowProblem[];
}

/** The host's importer: streams the upload into the campaign. */
export type ListImporter = (upload: ListUpload) => Promise<ListImportSummary>;

/** Largest list upload accepted, bytes. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Largest preview sample accepted (the page sends the first 256 kB of the file). */
const MAX_PREVIEW_BYTES = 1024 * 1024;
/** Rows shown on the preview. */
const PREVIEW_ROWS = 10;

function problem(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}

/** The request body (a raw stream, see the content-type parser) with a byte cap; over it, an error the route answers 413 to. */
async function* capped(body: AsyncIterable<Uint8Array>, limit: number): AsyncIterable<Uint8Array> {
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > limit)
      throw new PacelineError('E_INVALID_INPUT', `the file is over the ${Math.round(limit / 1024 / 1024)} MB upload limit; split it`);
    yield chunk;
  }
}

function queryText(request: FastifyRequest, key: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The list upload routes, inside the dashboard's prefix (and so behind its token):
 * `POST /api/campaigns/:id/lists/preview` (the first bytes of the file) answers how the file
 * reads, its header, its first rows and a suggested mapping; `POST /api/campaigns/:id/lists`
 * (`?mapping=<json>&delimiter=&sheet=`) streams the file into the campaign, one upload per
 * campaign at a time (409 while one runs), and answers the report with the row errors.
 */
export function registerListUploadRoutes(
  app: FastifyInstance,
  options: { importList: ListImporter | undefined; known: (request: FastifyRequest, reply: FastifyReply) => string | undefined },
): void {
  const gate = new UploadGate();
  // The body stays a stream: the importer reads it as it arrives (no 50 MB string).
  app.addContentTypeParser(
    [
      'text/csv',
      'text/plain',
      'text/tab-separated-values',
      'application/octet-stream',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    (_request, payload, done) => done(null, payload),
  );
  app.get('/assets/list-upload.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(LIST_UPLOAD_JS));

  app.post('/api/campaigns/:id/lists/preview', async (request, reply) => {
    const id = options.known(request, reply);
    if (id === undefined) return reply;
    if (!options.importList) return problem(reply, 501, 'list upload is not configured on this dialer');
    try {
      const read = listItems(capped(request.body as AsyncIterable<Uint8Array>, MAX_PREVIEW_BYTES), {
        header: true,
        ...(queryText(request, 'delimiter') === undefined ? {} : { delimiter: queryText(request, 'delimiter') as string }),
        ...(queryText(request, 'sheet') === undefined ? {} : { sheet: queryText(request, 'sheet') as string }),
      });
      let header: string[] | undefined;
      const rows: string[][] = [];
      const problems: string[] = [];
      outer: for await (const batch of read.batches) {
        for (const item of batch) {
          if (!('cells' in item)) {
            problems.push(`line ${item.unclosed.line}: a quote opened here is not closed`);
            continue;
          }
          if (item.cells.every((c) => c.trim() === '')) continue;
          if (!header) header = item.cells.map((c) => c.trim());
          else rows.push(item.cells);
          if (rows.length >= PREVIEW_ROWS) break outer;
        }
      }
      if (!header) return problem(reply, 400, 'the file is empty: no header row');
      const seen = new Map<string, number>();
      const duplicates: string[] = [];
      header.forEach((h, i) => {
        const first = seen.get(headerKey(h));
        if (first !== undefined && h !== '')
          duplicates.push(`columns ${first} and ${i} are both named "${h}": pick one by position in the mapping`);
        else seen.set(headerKey(h), i);
      });
      return reply.send({ readAs: read.format(), header, rows, suggested: suggestMapping(header), problems: [...duplicates, ...problems] });
    } catch (error) {
      if (error instanceof PacelineError) return problem(reply, 400, error.message);
      return problem(reply, 400, `the file cannot be read as a list: ${(error as Error).message}`);
    }
  });

  app.post('/api/campaigns/:id/lists', async (request, reply) => {
    const id = options.known(request, reply);
    if (id === undefined) return reply;
    const importList = options.importList;
    if (!importList) return problem(reply, 501, 'list upload is not configured on this dialer');
    if (request.body === undefined || request.body === null)
      return problem(reply, 400, 'expected the list file as the request body (text/csv or XLSX)');
    const name = decodeURIComponent(String(request.headers['x-file-name'] ?? 'upload.csv')).slice(0, 200);
    let mapping: unknown;
    const mappingText = queryText(request, 'mapping');
    if (mappingText !== undefined) {
      try {
        mapping = JSON.parse(mappingText);
      } catch {
        return problem(reply, 400, 'mapping: expected a JSON column mapping');
      }
    }
    const delimiter = queryText(request, 'delimiter');
    const sheet = queryText(request, 'sheet');
    try {
      const report = await gate.exclusive(id, name, () =>
        importList({
          campaignId: id,
          fileName: name,
          source: capped(request.body as AsyncIterable<Uint8Array>, MAX_UPLOAD_BYTES),
          ...(mapping === undefined ? {} : { mapping }),
          ...(delimiter === undefined ? {} : { delimiter }),
          ...(sheet === undefined ? {} : { sheet }),
        }),
      );
      return reply.send({ ok: true, report });
    } catch (error) {
      if (error instanceof PacelineError) {
        if (error.code === 'E_CONFLICT') return problem(reply, 409, error.message);
        return problem(reply, error.message.includes('upload limit') ? 413 : 400, error.message);
      }
      throw error;
    }
  });
}
