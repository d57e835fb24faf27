import { VirtualClock } from '@paceline/core';
import { type ColumnMapping, importContacts } from '@paceline/lists';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { dashboardPlugin, type ListImporter } from '../src/index';
import { campaign, fakeDialer, TOKEN } from './support/fake-dialer';

const headers = { authorization: `Bearer ${TOKEN}`, 'x-paceline-dashboard': '1' };

/** An importer as a host writes one (the CLI's csvListImporter does the same with a dialer). */
function importer(added: string[][], gate?: Promise<void>): ListImporter {
  return async (upload) => {
    await gate;
    const { report } = await importContacts(upload.source, {
      mapping: (upload.mapping as ColumnMapping | undefined) ?? { phones: ['phone'] },
      defaultCountry: 'US',
      campaignId: upload.campaignId,
      onContacts: (contacts) => void added.push(contacts.map((c) => `${c.firstName}:${c.phones[0]?.number}`)),
    });
    return {
      rowsRead: report.rowsRead,
      imported: report.imported,
      rejected: report.rejected.length,
      rejectedByReason: report.rejectedByReason,
      readAs: report.format,
      sample: report.rejected.map((r) => ({ row: r.row, line: r.line, reason: r.reason, message: r.message })),
    };
  };
}

async function mount(importList: ListImporter) {
  const app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dash',
    dialer: fakeDialer(),
    campaigns: [campaign],
    token: TOKEN,
    clock: new VirtualClock(0),
    importList,
  });
  return app;
}

// A European Excel export: semicolons, Windows-1252, two columns both called "Phone".
const FILE = Buffer.from(
  'Name;Phone;PHONE;Zip\r\nJürgen;n/a;212-555-0101;10001\r\nZoë;212-555-0102;call 212 555 0199 now;10002\r\nAnn;;;10003\r\n',
  'latin1',
);

describe('list upload routes', () => {
  it('previews the first rows: how the file reads, its header, a suggested mapping and the same-named columns', async () => {
    const app = await mount(importer([]));
    const res = await app.inject({
      method: 'POST',
      url: '/dash/api/campaigns/c1/lists/preview',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      payload: FILE,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      readAs: { format: 'csv', delimiter: ';', encoding: { encoding: 'windows-1252', bom: false } },
      header: ['Name', 'Phone', 'PHONE', 'Zip'],
      rows: [
        ['Jürgen', 'n/a', '212-555-0101', '10001'],
        ['Zoë', '212-555-0102', 'call 212 555 0199 now', '10002'],
        ['Ann', '', '', '10003'],
      ],
      suggested: { phones: [1, 2], postalCode: 3 },
      problems: ['columns 1 and 2 are both named "PHONE": pick one by position in the mapping'],
    });
    await app.close();
  });

  it('imports with the mapping chosen by position and answers every row error', async () => {
    const added: string[][] = [];
    const app = await mount(importer(added));
    const byName = await app.inject({
      method: 'POST',
      url: `/dash/api/campaigns/c1/lists?mapping=${encodeURIComponent(JSON.stringify({ phones: ['phone'], firstName: 'name' }))}`,
      headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'agency.csv' },
      payload: FILE,
    });
    expect(byName.statusCode).toBe(400);
    expect(byName.json().error).toContain('"phone" names 2 columns, 1 "Phone" and 2 "PHONE"; map one by its index (1 or 2)');

    const res = await app.inject({
      method: 'POST',
      url: `/dash/api/campaigns/c1/lists?mapping=${encodeURIComponent(JSON.stringify({ phones: [2], firstName: 0 }))}`,
      headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'agency.csv' },
      payload: FILE,
    });
    expect(res.statusCode).toBe(200);
    const report = res.json().report;
    expect(report).toMatchObject({ rowsRead: 3, imported: 1, rejected: 2 });
    expect(report.sample).toEqual([
      {
        row: 2,
        line: 3,
        reason: 'bad-phone',
        message:
          'PHONE: not a phone number ("call 212 555 0199 now"): a phone cell holds only the number, with spaces, + - . ( ) and an optional extension such as "ext. 12"',
      },
      { row: 3, line: 4, reason: 'missing-field', message: 'no phone number in any phone column' },
    ]);
    expect(added.flat()).toEqual(['Jürgen:+12125550101']);
    await app.close();
  });

  it('runs one upload per campaign at a time', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = await mount(importer([], gate));
    const upload = () =>
      app.inject({
        method: 'POST',
        url: `/dash/api/campaigns/c1/lists?mapping=${encodeURIComponent(JSON.stringify({ phones: [2] }))}`,
        headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'one.csv' },
        payload: FILE,
      });
    const first = upload();
    await new Promise((resolve) => setImmediate(resolve));
    const second = await upload();
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toBe('campaign c1: the upload of "one.csv" is still running; wait for its report, then upload "one.csv"');
    release();
    expect((await first).statusCode).toBe(200);
    expect((await upload()).statusCode).toBe(200);
    await app.close();
  });
});
