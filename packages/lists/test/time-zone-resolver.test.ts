import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaCodeInfo, knownAreaCodes, postalHint, resolveTimeZones } from '../src/index';

const DEFAULT = ['America/New_York', 'Pacific/Honolulu'];

describe('resolveTimeZones', () => {
  it('maps single-zone area codes', () => {
    expect(resolveTimeZones({ areaCode: 212 }, DEFAULT)).toMatchObject({
      zones: ['America/New_York'],
      source: 'area-code',
      ambiguous: false,
      region: 'NY',
    });
    expect(resolveTimeZones({ areaCode: 808 }, DEFAULT).zones).toEqual(['Pacific/Honolulu']);
    expect(resolveTimeZones({ areaCode: 602 }, DEFAULT).zones).toEqual(['America/Phoenix']);
    expect(resolveTimeZones({ areaCode: 915 }, DEFAULT).zones).toEqual(['America/Denver']);
    expect(resolveTimeZones({ areaCode: 416 }, DEFAULT).zones).toEqual(['America/Toronto']);
  });

  it('keeps every candidate of a split area code, and hints narrow them', () => {
    expect(resolveTimeZones({ areaCode: 850 }, DEFAULT)).toMatchObject({ zones: ['America/New_York', 'America/Chicago'], ambiguous: true });
    expect(resolveTimeZones({ areaCode: 850, postalCode: '32501' }, DEFAULT)).toMatchObject({
      zones: ['America/Chicago'],
      source: 'postal-code',
    });
    expect(resolveTimeZones({ areaCode: 850, postalCode: '32301' }, DEFAULT).zones).toEqual(['America/New_York']);
    expect(resolveTimeZones({ areaCode: 541, state: 'OR' }, DEFAULT).zones).toEqual(['America/Los_Angeles', 'America/Boise']);
    expect(resolveTimeZones({ areaCode: 208, postalCode: '83814' }, DEFAULT).zones).toEqual(['America/Los_Angeles']);
    expect(resolveTimeZones({ areaCode: 812, postalCode: '47708' }, DEFAULT).zones).toEqual(['America/Chicago']);
    expect(resolveTimeZones({ areaCode: 308, postalCode: '69361' }, DEFAULT).zones).toEqual(['America/Denver']);
    expect(resolveTimeZones({ areaCode: 270 }, DEFAULT).zones).toEqual(['America/Chicago', 'America/Kentucky/Louisville']);
    expect(resolveTimeZones({ areaCode: 423 }, DEFAULT).zones).toEqual(['America/New_York', 'America/Chicago']);
    expect(resolveTimeZones({ areaCode: 605 }, DEFAULT).zones).toEqual(['America/Chicago', 'America/Denver']);
  });

  it('widens to both when a hint contradicts the number (a moved or ported number)', () => {
    expect(resolveTimeZones({ areaCode: 212, state: 'CA' }, DEFAULT).zones).toEqual(['America/New_York', 'America/Los_Angeles']);
  });

  it('uses the country for other numbers and the default when nothing is known', () => {
    expect(resolveTimeZones({ country: 'GB' }, DEFAULT)).toMatchObject({ zones: ['Europe/London'], source: 'country' });
    expect(resolveTimeZones({ country: 'AU', nationalNumber: '255550123' }, DEFAULT).zones).toEqual([
      'Australia/Sydney',
      'Australia/Broken_Hill',
    ]);
    expect(resolveTimeZones({ country: 'RU' }, DEFAULT).zones.length).toBeGreaterThan(5);
    expect(resolveTimeZones({ areaCode: 800 }, DEFAULT)).toMatchObject({ zones: DEFAULT, source: 'default' });
    expect(resolveTimeZones({ country: 'ZZ' }, DEFAULT).source).toBe('default');
  });

  it('has every US state and Canadian province, with valid zones', () => {
    const regions = new Set(knownAreaCodes().map((c) => areaCodeInfo(c)?.region));
    for (const r of 'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AB BC MB NB NL NS ON QC SK'.split(
      ' ',
    )) {
      expect(regions.has(r), r).toBe(true);
    }
    expect(knownAreaCodes().length).toBeGreaterThan(400);
    for (const code of knownAreaCodes()) {
      for (const zone of areaCodeInfo(code)?.zones ?? [])
        expect(() => new Intl.DateTimeFormat('en', { timeZone: zone }), `${code} ${zone}`).not.toThrow();
    }
    expect(areaCodeInfo(345)).toMatchObject({ region: 'KY', country: 'KY', zones: ['America/Cayman'] });
    expect(areaCodeInfo(502)).toMatchObject({ region: 'KY', country: 'US' });
  });

  it('gives the same answer whatever was asked before: the memo never stands in for a hint it ignored (property)', () => {
    const hints = fc.record(
      {
        country: fc.constantFrom('US', 'CA', 'PR', 'GB'),
        areaCode: fc.constantFrom(212, 416, 604, 787, 800, 850, 915, 208),
        // Known ZIP3s, ZIP3s the table does not know (000, 213, 999 … ), ZIP+4, Canadian codes.
        postalCode: fc.constantFrom(
          '10001',
          '32501',
          '32301',
          '00001',
          '00002',
          '21301',
          '99950',
          '83814',
          '79901-1234',
          'K1A 0B1',
          'V5K 0A1',
          '',
        ),
        state: fc.constantFrom('NY', 'FL', 'CA', 'ON', 'BC', 'TX', 'ID', 'fl', ''),
      },
      { requiredKeys: ['areaCode'] },
    );
    fc.assert(
      fc.property(fc.array(hints, { minLength: 1, maxLength: 30 }), (asked) => {
        const memo: string[] = [];
        for (const h of asked) expect(resolveTimeZones(h, memo)).toEqual(resolveTimeZones(h, []));
      }),
      { numRuns: 500 },
    );
  });

  it('reads US ZIP and Canadian postal codes', () => {
    expect(postalHint('10001', 'US')).toEqual({ region: 'NY' });
    expect(postalHint('79901-1234', undefined)).toEqual({ region: 'TX', zones: ['America/Denver'] });
    expect(postalHint('K1A 0B1', 'CA')).toEqual({ region: 'ON' });
    expect(postalHint('X0A 0H0', 'CA')).toEqual({ region: 'NU' });
    expect(postalHint('SW1A 1AA', 'GB')).toBeUndefined();
  });
});
