import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISPOSITIONS,
  isCallerError,
  jsonSchemas,
  PacelineError,
  parseAgent,
  parseAttempt,
  parseCampaign,
  parseContact,
  parseDisposition,
  parseOrder,
  toJsonSchemaDocument,
} from '../src/index';
import { campaignInput, contactInput } from './fixtures';

function errorOf(fn: () => unknown): PacelineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PacelineError);
    return error as PacelineError;
  }
  throw new Error('expected the call to throw');
}

describe('parseCampaign', () => {
  it('applies defaults and leaves the input untouched', () => {
    const input = campaignInput();
    const before = structuredClone(input);
    const campaign = parseCampaign(input);
    expect(input).toEqual(before);
    expect(campaign.pacing).toEqual({
      abandonTarget: 0.03,
      maxLinesPerAgent: 3,
      powerRatio: 2,
      ringTimeoutMs: 25_000,
      minAgentsForPredictive: 2,
    });
    expect(campaign.machineHandling).toBe('hangup');
    expect(campaign.maxAttempts).toBe(6);
    expect(campaign.dispositions.map((d) => d.code)).toEqual(DEFAULT_DISPOSITIONS.map((d) => d.code));
    expect(campaign.recycle.busy).toEqual({ retryAfterMs: 600_000 });
    expect(campaign.offerIds).toEqual([]);
  });

  it('merges recycle rules over the defaults', () => {
    const campaign = parseCampaign({ ...campaignInput(), recycle: { busy: { retryAfterMs: 60_000, maxAttempts: 3 } } });
    expect(campaign.recycle.busy).toEqual({ retryAfterMs: 60_000, maxAttempts: 3 });
    expect(campaign.recycle['no-answer']).toEqual({ retryAfterMs: 7_200_000 });
  });

  it('does not share default objects between parses', () => {
    const a = parseCampaign(campaignInput());
    const b = parseCampaign(campaignInput());
    (a.dispositions[0] as { label: string }).label = 'changed';
    expect(b.dispositions[0]?.label).toBe('Sale');
  });

  it('reports a bad time with the path, the expectation and the value', () => {
    const error = errorOf(() => parseCampaign({ ...campaignInput(), callingWindow: { start: '25:00', end: '20:00' } }));
    expect(error.code).toBe('E_INVALID_CAMPAIGN');
    expect(error.message).toContain('campaign.callingWindow.start: expected HH:mm, got "25:00"');
  });

  it('lists every problem at once', () => {
    const { name: _omitted, ...withoutName } = campaignInput();
    const error = errorOf(() =>
      parseCampaign({ ...withoutName, goal: 'fundraising', callerId: '555-0100', pacing: { ringTimeoutMs: 10_000 }, colour: 'blue' }),
    );
    const paths = error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['campaign.callerId', 'campaign.colour', 'campaign.goal', 'campaign.name', 'campaign.pacing.ringTimeoutMs']);
    expect(error.issues.find((i) => i.path === 'campaign.goal')?.message).toContain('"retention"');
    expect(error.issues.find((i) => i.path === 'campaign.pacing.ringTimeoutMs')?.message).toBe(
      'expected milliseconds, at least 15000, got 10000',
    );
    expect(error.issues.find((i) => i.path === 'campaign.colour')?.message).toContain('not a known field');
    expect(error.issues.find((i) => i.path === 'campaign.name')?.message).toBe('is required');
    expect(isCallerError(error)).toBe(true);
  });

  it('refuses semantic errors the schema cannot express', () => {
    const error = errorOf(() =>
      parseCampaign({
        ...campaignInput(),
        homeTimeZone: 'Mars/Olympus',
        callingWindow: { start: '21:00', end: '08:00' },
        pacing: { powerRatio: 4, maxLinesPerAgent: 2 },
        recycle: { SOLD: { retryAfterMs: 1 } },
      }),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'campaign.callingWindow.end',
      'campaign.homeTimeZone',
      'campaign.pacing.powerRatio',
      'campaign.recycle["SOLD"]',
    ]);
  });

  it('refuses duplicate and contradictory disposition codes', () => {
    const sale = { code: 'SALE', label: 'Sale', sale: true, humanContact: false };
    const error = errorOf(() => parseCampaign({ ...campaignInput(), dispositions: [sale, { code: 'SALE', label: 'again' }] }));
    expect(error.issues.map((i) => i.path)).toEqual(['campaign.dispositions[0].humanContact', 'campaign.dispositions[1].code']);
  });

  it('refuses something that is not an object', () => {
    expect(errorOf(() => parseCampaign('campaign')).message).toBe('campaign: expected an object, got "campaign"');
    expect(errorOf(() => parseCampaign(null)).code).toBe('E_INVALID_CAMPAIGN');
    expect(errorOf(() => parseCampaign([])).message).toContain('an array of 0');
  });
});

describe('parseContact', () => {
  it('parses with defaults', () => {
    const contact = parseContact(contactInput());
    expect(contact.phones[0]).toEqual({ number: '+14155550123', type: 'unknown', priority: 0 });
    expect(contact.consents).toEqual([]);
    expect(contact.priority).toBe(0);
  });

  it('names the bad phone by index', () => {
    const error = errorOf(() => parseContact({ id: 'c', phones: [{ number: '+14155550123' }, { number: '0044 20 7946 0000' }] }));
    expect(error.code).toBe('E_INVALID_CONTACT');
    expect(error.message).toContain('contact.phones[1].number: expected an E.164 number such as +14155550123, got "0044 20 7946 0000"');
  });

  it('refuses a contact without phones, duplicates and unknown zones', () => {
    expect(errorOf(() => parseContact({ id: 'c', phones: [] })).issues[0]).toEqual({
      path: 'contact.phones',
      message: 'expected at least one phone, got an array of 0',
    });
    const error = errorOf(() =>
      parseContact({ id: 'c', phones: [{ number: '+14155550123' }, { number: '+14155550123' }], timeZones: ['America/Nowhere'] }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['contact.phones[1].number', 'contact.timeZones[0]']);
  });

  it('accepts consent records and profile attributes of every scalar kind', () => {
    const contact = parseContact({
      ...contactInput(),
      profile: { tier: 'gold', spend: 1200.5, vip: true, churn: null },
      consents: [{ kind: 'express-written', recordedAt: 1_700_000_000_000, source: 'web form' }],
    });
    expect(contact.consents[0]?.channel).toBe('voice');
    expect(() => parseContact({ ...contactInput(), profile: { nested: { a: 1 } } })).toThrow(/contact\.profile\.nested/);
  });
});

describe('other parsers', () => {
  const attempt = { id: 'a-1', campaignId: 'k', contactId: 'c', phone: '+14155550123', callerId: '+14155550100', startedAt: 1000 };

  it('parses an attempt and checks its times', () => {
    expect(parseAttempt(attempt).abandoned).toBe(false);
    const error = errorOf(() => parseAttempt({ ...attempt, endedAt: 500, outcome: 'voicemail' }));
    expect(error.code).toBe('E_INVALID_ATTEMPT');
    expect(error.issues.map((i) => i.path)).toEqual(['attempt.outcome']);
    expect(errorOf(() => parseAttempt({ ...attempt, endedAt: 500 })).issues[0]?.path).toBe('attempt.endedAt');
  });

  it('parses dispositions and agents', () => {
    expect(parseDisposition({ code: 'SALE', label: 'Sale', sale: true })).toMatchObject({ humanContact: true, final: false });
    expect(errorOf(() => parseDisposition({ code: 'sale', label: 'x' })).issues[0]?.path).toBe('disposition.code');
    expect(errorOf(() => parseDisposition({ code: 'CB', label: 'x', callback: true, final: true })).issues[0]?.path).toBe(
      'disposition.final',
    );
    expect(parseAgent({ id: 'ag-1', name: 'Ana' }).skills).toEqual([]);
    expect(errorOf(() => parseAgent({ id: '', name: 'Ana' })).code).toBe('E_INVALID_AGENT');
  });

  it('parses orders and requires the address or location the choice needs', () => {
    const order = {
      id: 'o-1',
      idempotencyKey: 'a-1:SALE',
      campaignId: 'k',
      contactId: 'c',
      items: [{ sku: 'PLAN-XL', name: 'XL plan', quantity: 1, unitPriceMinor: 2999 }],
      currency: 'USD',
      fulfilment: { kind: 'delivery' },
      payment: 'on-delivery',
      createdAt: 5,
    };
    expect(errorOf(() => parseOrder(order)).issues).toEqual([
      { path: 'order.fulfilment.address', message: 'is required for home delivery' },
    ]);
    expect(errorOf(() => parseOrder({ ...order, fulfilment: { kind: 'pickup' } })).issues[0]?.path).toBe('order.fulfilment.locationId');
    const ok = parseOrder({ ...order, fulfilment: { kind: 'pickup', locationId: 'store-9' } });
    expect(ok.items[0]?.quantity).toBe(1);
    expect(
      errorOf(() => parseOrder({ ...order, items: [{ sku: 'x', name: 'x', quantity: 0, unitPriceMinor: -1 }] })).issues.map((i) => i.path),
    ).toEqual(['order.items[0].quantity', 'order.items[0].unitPriceMinor']);
  });
});

describe('JSON Schema export', () => {
  it('exports plain JSON Schema documents for every domain type', () => {
    expect(Object.keys(jsonSchemas).sort()).toEqual(['Agent', 'Attempt', 'CallOutcome', 'Campaign', 'Contact', 'Disposition', 'Order']);
    const doc = toJsonSchemaDocument('Campaign');
    expect(doc.type).toBe('object');
    expect(doc.required).toContain('callerId');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
