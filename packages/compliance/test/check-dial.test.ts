import { describe, expect, it } from 'vitest';
import { ABANDON_WINDOW_24H_MS, AbandonLedger, Compliance, ContactLedger, checkDial, ProfileRegistry, verdictError } from '../src/index';
import { campaign, contact, DAY, dncOf, HOUR, utc } from './fixtures';

const NY = '+12125550123';
const FL = '+13055550123';

describe('calling windows', () => {
  it('us-federal allows 08:00–21:00 local and points to the next opening', () => {
    const c = contact(NY, { timeZones: ['America/New_York'] });
    const ledger = new ContactLedger();
    // 2026-07-01 12:59 UTC = 08:59 EDT
    expect(checkDial(c, NY, campaign('us-federal'), utc(2026, 7, 1, 12, 59), ledger).allowed).toBe(true);
    // 01:30 UTC = 21:30 EDT: refused until 08:00 EDT = 12:00 UTC next day.
    const late = checkDial(c, NY, campaign('us-federal'), utc(2026, 7, 2, 1, 30), ledger);
    expect(late.allowed).toBe(false);
    expect(late.codes).toEqual(['outside-window']);
    expect(late.nextAllowedAt).toBe(utc(2026, 7, 2, 12, 0));
    expect(late.reasons[0]?.citation).toContain('16 CFR 310.4(c)');
  });

  it('opens at 08:00 local on the spring-forward day and the fall-back day', () => {
    const c = contact(NY, { timeZones: ['America/New_York'] });
    const ledger = new ContactLedger();
    // 2026-03-08: DST starts; 08:00 EDT = 12:00 UTC.
    const spring = checkDial(c, NY, campaign('us-federal'), utc(2026, 3, 8, 7, 0), ledger);
    expect(spring.nextAllowedAt).toBe(utc(2026, 3, 8, 12, 0));
    // 2026-11-01: DST ends; 08:00 EST = 13:00 UTC.
    const fall = checkDial(c, NY, campaign('us-federal'), utc(2026, 11, 1, 7, 0), ledger);
    expect(fall.nextAllowedAt).toBe(utc(2026, 11, 1, 13, 0));
  });

  it('uses the intersection of candidate zones (Phoenix has no DST)', () => {
    const c = contact('+16025550123', { timeZones: ['America/Phoenix', 'America/Denver'] });
    // July: Denver is UTC−6, Phoenix UTC−7. 14:30 UTC = 08:30 Denver, 07:30 Phoenix → refused.
    const v = checkDial(c, '+16025550123', campaign('us-federal'), utc(2026, 7, 1, 14, 30), new ContactLedger());
    expect(v.allowed).toBe(false);
    expect(v.nextAllowedAt).toBe(utc(2026, 7, 1, 15, 0));
  });

  it('an unknown zone gets the profile default (all US zones, Honolulu included)', () => {
    const c = contact(NY);
    // 15:00 UTC = 11:00 EDT but 05:00 in Honolulu → refused.
    const v = checkDial(c, NY, campaign('us-federal'), utc(2026, 7, 1, 15, 0), new ContactLedger());
    expect(v.allowed).toBe(false);
    expect(v.timeZones).toContain('Pacific/Honolulu');
    expect(v.nextAllowedAt).toBe(utc(2026, 7, 1, 18, 0));
  });

  it('Florida area codes get the 20:00 close (presumed resident)', () => {
    const c = contact(FL, { timeZones: ['America/New_York'] });
    // 00:30 UTC = 20:30 EDT.
    const v = checkDial(c, FL, campaign('us-federal'), utc(2026, 7, 2, 0, 30), new ContactLedger());
    expect(v.codes).toEqual(['outside-window']);
    expect(v.profileIds).toEqual(['us-federal', 'us-fl']);
    expect(
      checkDial(contact(NY, { timeZones: ['America/New_York'] }), NY, campaign('us-federal'), utc(2026, 7, 2, 0, 30), new ContactLedger())
        .allowed,
    ).toBe(true);
  });

  it('a state hint applies the overlay to any number', () => {
    const c = contact(NY, { timeZones: ['America/New_York'], state: 'MD' });
    expect(checkDial(c, NY, campaign('us-federal'), utc(2026, 7, 2, 0, 30), new ContactLedger()).profileIds).toContain('us-md');
  });

  it('ca-dncl: weekends 10:00–18:00', () => {
    const c = contact('+14165550123', { timeZones: ['America/Toronto'] });
    // Saturday 2026-07-04 13:30 UTC = 09:30 EDT → refused until 10:00.
    const v = checkDial(c, '+14165550123', campaign('ca-dncl'), utc(2026, 7, 4, 13, 30), new ContactLedger());
    expect(v.nextAllowedAt).toBe(utc(2026, 7, 4, 14, 0));
    // Monday 21:15 EDT is fine on a weekday.
    expect(checkDial(c, '+14165550123', campaign('ca-dncl'), utc(2026, 7, 7, 1, 15), new ContactLedger()).allowed).toBe(true);
  });

  it('au-dncr: no Sunday, no national holiday, Saturday until 17:00', () => {
    const c = contact('+61255550123', { timeZones: ['Australia/Sydney'] });
    const camp = campaign('au-dncr', { callerId: '+61255550100' });
    // Christmas 2026 is a Friday: 10:00 AEDT = 23:00 UTC on the 24th.
    const xmas = checkDial(c, '+61255550123', camp, utc(2026, 12, 24, 23, 0), new ContactLedger());
    expect(xmas.codes).toEqual(['holiday']);
    // Boxing Day (Sat) is a holiday too, Sunday closed: next is Monday 28th 09:00 AEDT = 22:00 UTC on the 27th.
    expect(xmas.nextAllowedAt).toBe(utc(2026, 12, 27, 22, 0));
  });

  it('fr: lunch break and Easter Monday', () => {
    const c = contact('+33155550123', { timeZones: ['Europe/Paris'] });
    const camp = campaign('fr', { callerId: '+33155550100' });
    // 2026-06-02 (Tue) 11:30 UTC = 13:30 CEST → lunch break, next 14:00 CEST = 12:00 UTC.
    expect(checkDial(c, '+33155550123', camp, utc(2026, 6, 2, 11, 30), new ContactLedger()).nextAllowedAt).toBe(utc(2026, 6, 2, 12, 0));
    // Easter Monday 2026-04-06.
    expect(checkDial(c, '+33155550123', camp, utc(2026, 4, 6, 9, 0), new ContactLedger()).codes).toEqual(['holiday']);
  });

  it('campaign.callingWindow narrows the profile window', () => {
    const c = contact(NY, { timeZones: ['America/New_York'] });
    const camp = campaign('us-federal', { callingWindow: { start: '10:00', end: '18:00' } });
    const v = checkDial(c, NY, camp, utc(2026, 7, 1, 13, 0), new ContactLedger());
    expect(v.nextAllowedAt).toBe(utc(2026, 7, 1, 14, 0));
  });
});

describe('caps and locks', () => {
  const at = utc(2026, 7, 1, 15, 0); // 11:00 EDT

  it('Florida: a 4th call in 24 h on the same subject is refused until the first leaves the window', () => {
    const c = contact(FL, { timeZones: ['America/New_York'] });
    const ledger = new ContactLedger();
    for (const h of [0, 1, 2]) ledger.record({ kind: 'attempt', at: at + h * HOUR, campaignId: 'other', phone: FL, contact: c });
    const v = checkDial(c, FL, campaign('us-federal'), at + 3 * HOUR, ledger);
    expect(v.codes).toEqual(['attempt-cap']);
    expect(v.reasons[0]?.ruleId).toBe('us-fl.cap-24h');
    expect(v.nextAllowedAt).toBe(at + DAY);
  });

  it('Maryland counts texts; Florida does not', () => {
    const md = contact('+14105550123', { timeZones: ['America/New_York'] });
    const ledger = new ContactLedger();
    for (const h of [0, 1, 2])
      ledger.record({ kind: 'attempt', at: at + h * HOUR, campaignId: 'x', phone: '+14105550123', contact: md, channel: 'sms' });
    expect(checkDial(md, '+14105550123', campaign('us-federal'), at + 3 * HOUR, ledger).codes).toEqual(['attempt-cap']);
    const fl = contact(FL, { timeZones: ['America/New_York'] });
    const ledger2 = new ContactLedger();
    for (const h of [0, 1, 2])
      ledger2.record({ kind: 'attempt', at: at + h * HOUR, campaignId: 'x', phone: FL, contact: fl, channel: 'sms' });
    expect(checkDial(fl, FL, campaign('us-federal'), at + 3 * HOUR, ledger2).allowed).toBe(true);
  });

  it('Regulation F: 7 calls in 7 days, and a week off after a conversation', () => {
    const c = contact(NY, { timeZones: ['America/New_York'] });
    const ledger = new ContactLedger();
    for (let d = 0; d < 7; d++)
      ledger.record({ kind: 'attempt', at: at - d * DAY, campaignId: 'debt', phone: NY, contact: c, subject: 'debt-9' });
    const capped = checkDial(c, NY, campaign('us-reg-f'), at + HOUR, ledger, { subject: 'debt-9' });
    expect(capped.codes).toEqual(['attempt-cap']);
    expect(capped.nextAllowedAt).toBe(at - 6 * DAY + 7 * DAY);
    // A different debt is not capped by these calls.
    expect(checkDial(c, NY, campaign('us-reg-f'), at + HOUR, ledger, { subject: 'debt-2' }).allowed).toBe(true);
    const talked = new ContactLedger();
    talked.record({ kind: 'conversation', at, campaignId: 'debt', phone: NY, contact: c });
    const locked = checkDial(c, NY, campaign('us-reg-f'), at + 2 * DAY, talked);
    expect(locked.codes).toEqual(['lock']);
    expect(locked.nextAllowedAt).toBe(at + 7 * DAY);
  });

  it('Ofcom: 72 h after an abandon unless an agent is guaranteed; 24 h after a machine', () => {
    const uk = '+442079460123';
    const c = contact(uk, { timeZones: ['Europe/London'] });
    const camp = campaign('uk-ofcom', { callerId: '+442079460000' });
    const ledger = new ContactLedger();
    ledger.record({ kind: 'abandon', at: utc(2026, 7, 1, 10), campaignId: 'camp-1', phone: uk, contact: c });
    const v = checkDial(c, uk, camp, utc(2026, 7, 2, 10), ledger);
    expect(v.codes).toEqual(['lock']);
    expect(v.nextAllowedAt).toBe(utc(2026, 7, 4, 10));
    expect(checkDial(c, uk, camp, utc(2026, 7, 2, 10), ledger, { agentGuaranteed: true }).allowed).toBe(true);
    expect(
      checkDial(c, uk, campaign('uk-ofcom', { callerId: '+442079460000', dialMode: 'preview' }), utc(2026, 7, 2, 10), ledger).allowed,
    ).toBe(true);
    const machine = new ContactLedger();
    machine.record({ kind: 'amd', amdResult: 'machine', at: utc(2026, 7, 1, 10), campaignId: 'camp-1', phone: uk, contact: c });
    expect(checkDial(c, uk, camp, utc(2026, 7, 2, 9), machine).codes).toEqual(['lock']);
    expect(checkDial(c, uk, camp, utc(2026, 7, 2, 10), machine).allowed).toBe(true);
  });

  it('France: 4 calls per 30 days, 60 days after a refusal', () => {
    const fr = '+33155550123';
    const c = contact(fr, { timeZones: ['Europe/Paris'] });
    const camp = campaign('fr', { callerId: '+33155550100' });
    const ledger = new ContactLedger();
    for (let d = 0; d < 4; d++) ledger.record({ kind: 'attempt', at: utc(2026, 6, 1 + d, 9), campaignId: 'x', phone: fr, contact: c });
    expect(checkDial(c, fr, camp, utc(2026, 6, 10, 9), ledger).codes).toEqual(['attempt-cap']);
    const refused = new ContactLedger();
    refused.record({ kind: 'refusal', at: utc(2026, 6, 1, 9), campaignId: 'x', phone: fr, contact: c });
    const v = checkDial(c, fr, camp, utc(2026, 7, 1, 9), refused);
    expect(v.codes).toEqual(['lock']);
    expect(v.nextAllowedAt).toBeGreaterThanOrEqual(utc(2026, 6, 1, 9) + 60 * DAY);
  });

  it('counts the person across numbers and campaigns by contact key', () => {
    const c = contact(FL, { timeZones: ['America/New_York'] });
    const other = contact('+13055550999', { timeZones: ['America/New_York'] });
    const ledger = new ContactLedger();
    for (const h of [0, 1, 2])
      ledger.record({ kind: 'attempt', at: at + h * HOUR, campaignId: `c${h}`, phone: '+13055550999', contact: other });
    expect(checkDial(c, FL, campaign('us-federal'), at + 3 * HOUR, ledger).codes).toEqual(['attempt-cap']);
  });
});

describe('do-not-call, registries, caller ID', () => {
  const at = utc(2026, 7, 1, 15, 0);
  const c = contact(NY, { timeZones: ['America/New_York'] });

  it('a DNC hit is permanent and has no nextAllowedAt', () => {
    const v = checkDial(c, NY, campaign('us-federal'), at + 12 * HOUR, new ContactLedger(), { dnc: dncOf([NY]) });
    expect(v.codes).toEqual(['dnc-internal', 'outside-window']);
    expect(v.permanent).toBe(true);
    expect(v.nextAllowedAt).toBeUndefined();
    const error = verdictError(v);
    expect(error.code).toBe('E_DNC_BLOCKED');
    expect(error.message).toContain('asked during a call');
  });

  it('refuses with a registry copy older than 31 days (US) or 28 days (UK)', () => {
    const us = [{ kind: 'us-national', name: 'ftc', asOfMs: at - 32 * DAY }];
    const v = checkDial(c, NY, campaign('us-federal'), at, new ContactLedger(), { dnc: dncOf([], us) });
    expect(v.codes).toEqual(['registry-stale']);
    expect(v.reasons[0]?.message).toMatch(/32 days old; us-federal allows 31/);
    expect(
      checkDial(c, NY, campaign('us-federal'), at, new ContactLedger(), { dnc: dncOf([], [{ ...us[0], asOfMs: at - 30 * DAY } as never]) })
        .allowed,
    ).toBe(true);
    const uk = '+442079460123';
    const ukContact = contact(uk, { timeZones: ['Europe/London'] });
    const tps = [{ kind: 'uk-tps', name: 'tps', asOfMs: at - 29 * DAY }];
    expect(
      checkDial(ukContact, uk, campaign('uk-ofcom', { callerId: '+442079460000' }), at, new ContactLedger(), { dnc: dncOf([], tps) }).codes,
    ).toEqual(['registry-stale']);
    expect(checkDial(c, NY, campaign('us-federal'), at, new ContactLedger(), { dnc: dncOf([]), requireRegistries: true }).codes).toEqual([
      'registry-missing',
    ]);
  });

  it('validates the caller ID on every dial', () => {
    const bad = { ...campaign('us-federal'), callerId: '+19005550100' };
    const v = checkDial(c, NY, bad, at, new ContactLedger());
    expect(v.codes).toEqual(['invalid-caller-id']);
    expect(verdictError(v).code).toBe('E_NO_CALLER_ID');
    expect(checkDial(c, NY, { ...bad, callerId: '' }, at, new ContactLedger()).codes).toEqual(['no-caller-id']);
    const compliance = new Compliance();
    expect(() => compliance.assertCampaign({ complianceProfile: 'us-federal', callerId: '+1911' })).toThrow(/campaign.callerId/);
    expect(() => compliance.assertCampaign({ complianceProfile: 'mars', callerId: '+14155550100' })).toThrow(
      /unknown compliance profile "mars"/,
    );
  });

  it('refuses a number that is not the contact’s, and an unknown profile', () => {
    expect(checkDial(c, '+12125550999', campaign('us-federal'), at, new ContactLedger()).codes).toEqual(['phone-not-on-contact']);
    expect(checkDial(c, NY, { ...campaign('us-federal'), complianceProfile: 'mars' }, at, new ContactLedger()).codes).toEqual([
      'unknown-profile',
    ]);
  });
});

describe('profiles and the abandon ledger', () => {
  it('refuses a bad custom profile whole, naming the field', () => {
    const registry = new ProfileRegistry();
    expect(() => registry.addProfile({ id: 'x', name: 'x', window: [{ days: [1], start: '09:00', end: '17:00' }] })).toThrow(
      /profile\.abandon: is required/,
    );
    const good = {
      id: 'night-owls',
      name: 'Test',
      window: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '17:00' }],
      windowCitation: 'test',
      abandon: { maxRate: 0.03, windowMs: 86_400_000, citation: 'test' },
      defaultTimeZones: ['Europe/Berlin'],
      callerIdCitation: 'test',
    };
    expect(() => registry.addProfile({ ...good, window: [{ days: [1], start: '21:00', end: '08:00' }] })).toThrow(
      /profile\.window\[0\]\.end/,
    );
    expect(() => registry.addProfile({ ...good, defaultTimeZones: ['Mars/Olympus'] })).toThrow(/profile\.defaultTimeZones\[0\]/);
    expect(() => registry.addProfile({ ...good, holidayCalendars: ['nowhere'] })).toThrow(/unknown calendar "nowhere"/);
    const ok = registry.addProfile(good);
    expect(ok.caps).toEqual([]);
    expect(registry.get('night-owls').id).toBe('night-owls');
  });

  it('counts live answers and abandons over rolling windows', () => {
    const ledger = new AbandonLedger();
    const t0 = utc(2026, 7, 1);
    for (let i = 0; i < 100; i++) ledger.recordLiveAnswer('c', t0 + i * HOUR, i % 20 === 0);
    const now = t0 + 99 * HOUR;
    expect(ledger.counts('c', now, ABANDON_WINDOW_24H_MS)).toEqual({
      liveAnswers: 24,
      abandoned: 1,
      rate: 1 / 24,
      estimatedFalsePositives: 0,
    });
    expect(ledger.liveAnswers('c', now, 30 * DAY)).toBe(100);
    expect(ledger.abandoned('c', now, 30 * DAY)).toBe(5);
    expect(ledger.rate('other', now, DAY)).toBe(0);
    ledger.prune(t0 + 50 * HOUR);
    expect(ledger.liveAnswers('c', now, 30 * DAY)).toBe(49);
  });
});
