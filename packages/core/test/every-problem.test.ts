import { describe, expect, it } from 'vitest';
import { PacelineError, parseCampaign, parseContact } from '../src/index';

function issuesOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(PacelineError);
    return (error as PacelineError).issues.map((i) => i.path);
  }
  throw new Error('expected the parse to fail');
}

const valid = {
  id: 'w',
  name: 'Win-back',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
};

describe('one parse reports every problem', () => {
  it('schema errors and semantic checks of other fields together (a campaign with four mistakes reports four)', () => {
    const paths = issuesOf(() =>
      parseCampaign({
        ...valid,
        dialMode: 'predicitve',
        callerId: '12125550100',
        homeTimeZone: 'America/New_Yrok',
        callingWindow: { start: '21:00', end: '09:00' },
      }),
    );
    expect(paths.sort()).toEqual(['campaign.callerId', 'campaign.callingWindow.end', 'campaign.dialMode', 'campaign.homeTimeZone']);
  });

  it('every semantic check beside a schema error: schedule, pacing, dispositions, recycle', () => {
    const paths = issuesOf(() =>
      parseCampaign({
        ...valid,
        goal: 'selling',
        schedule: { startAt: 2_000, endAt: 1_000 },
        pacing: { powerRatio: 5, maxLinesPerAgent: 2 },
        dispositions: [
          { code: 'SALE', label: 'Sale', sale: true, humanContact: false },
          { code: 'SALE', label: 'Again' },
        ],
        recycle: { 'no-anwser': { retryAfterMs: 1 } },
      }),
    );
    expect(paths.sort()).toEqual([
      'campaign.dispositions[0].humanContact',
      'campaign.dispositions[1].code',
      'campaign.goal',
      'campaign.pacing.powerRatio',
      'campaign.recycle["no-anwser"]',
      'campaign.schedule.endAt',
    ]);
  });

  it('a check is skipped when a field it reads failed the schema (no follow-on noise)', () => {
    const paths = issuesOf(() => parseCampaign({ ...valid, callingWindow: { start: '9am', end: '08:00' }, homeTimeZone: 42 }));
    expect(paths.sort()).toEqual(['campaign.callingWindow.start', 'campaign.homeTimeZone']);
  });

  it('a contact: a bad phone type and a bad time zone and a duplicate number', () => {
    const paths = issuesOf(() =>
      parseContact({
        id: 'c1',
        phones: [{ number: '+12125550123' }, { number: '+12125550123' }],
        timeZones: ['Mars/Olympus'],
        priority: 'high',
      }),
    );
    expect(paths.sort()).toEqual(['contact.phones[1].number', 'contact.priority', 'contact.timeZones[0]']);
  });
});
