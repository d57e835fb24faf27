import type { Contact } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { importContacts } from '../src/index';
import { generateList, SHAPES } from './support/list-files';

describe('list files of every shape', () => {
  for (const shape of SHAPES) {
    it(`${shape.name}: every row is imported or rejected with its exact message`, async () => {
      const list = await generateList(shape, 400);
      const contacts: Contact[] = [];
      // Fed in small byte chunks, so sequences and records are cut across chunks.
      const chunks = Array.from({ length: Math.ceil(list.bytes.length / 997) }, (_, k) => list.bytes.subarray(k * 997, (k + 1) * 997));
      const { report } = await importContacts(chunks, {
        mapping: list.mapping,
        defaultCountry: 'US',
        onContact: (c) => contacts.push(c),
      });
      expect(report.rowsRead).toBe(list.expected.length);
      expect(report.imported + report.rejected.length).toBe(report.rowsRead);
      const byRow = new Map(report.rejected.map((r) => [r.row, r]));
      const byId = new Map(contacts.map((c) => [c.id, c]));
      for (const e of list.expected) {
        if (e.outcome.imported) {
          const c = byId.get(e.outcome.id);
          expect(byRow.get(e.row), `row ${e.row} should be imported`).toBeUndefined();
          expect(c?.firstName, `row ${e.row}`).toBe(e.outcome.firstName);
          expect(c?.phones[0]?.number, `row ${e.row}`).toBe(e.outcome.e164);
          expect(c?.phones[0]?.extension, `row ${e.row}`).toBe(e.outcome.extension);
        } else {
          expect(byRow.get(e.row), `row ${e.row}`).toEqual({
            row: e.row,
            line: e.line,
            reason: e.outcome.reason,
            message: e.outcome.message,
            ...(byRow.get(e.row)?.column === undefined ? {} : { column: byRow.get(e.row)?.column }),
          });
        }
      }
      if (shape.kind === 'csv') {
        expect(report.format.delimiter).toBe(shape.delimiter);
        expect(report.format.encoding?.encoding).toBe(shape.encoding.replace(/-bom|-nobom/, ''));
        expect(report.format.encoding?.bom).toBe(
          shape.encoding === 'utf-8-bom' || shape.encoding === 'utf-16le' || shape.encoding === 'utf-16be'
            ? shape.encoding !== 'utf-16be'
            : false,
        );
      } else expect(report.format.format).toBe('xlsx');
    });
  }
});
