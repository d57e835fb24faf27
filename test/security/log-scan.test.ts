// No log line carries a phone number, a name, a postcode or an e-mail address. Three
// episodes, every line scanned for every contact's personal data: a campaign day on the real
// engine (default logger at trace), a Redis out-of-memory episode during addContacts (real
// redis-server with a tiny maxmemory; ioredis puts the whole script input, contacts included,
// in err.command.args), and `paceline run` as a real process with --log-level debug.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContactInput, type Random, seededRandom } from '@paceline/core';
import { createDialer, defaultLogger } from '@paceline/engine';
import { EngineSimulation } from '@paceline/sim';
import { createRedisStore } from '@paceline/store-redis';
import { basicOutcomeModel, createSimTrunk, TYPICAL_CONSUMER_LIST } from '@paceline/trunk-sim';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaceline } from '../../packages/cli/test/run-cli';
import { describeWithRedis } from '../support/redis-server';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 10, 13, 0); // Tue 10 Mar 2026, 09:00 New York
const AREAS = ['212', '305', '312', '415', '602', '617'];
const SYLLABLES = ['zor', 'vex', 'qua', 'lim', 'tor', 'bex', 'nyx', 'ulf', 'dra', 'kiv', 'pax', 'sul'];

interface Person {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly postalCode: string;
  readonly email: string;
  /** E.164. */
  readonly phone: string;
  readonly otherPhone: string;
}

/** Contacts whose names, postcodes and addresses occur nowhere else, so any occurrence in a log is a leak. */
function people(count: number, random: Random, idPrefix = 'p'): Person[] {
  const word = (n: number) => Array.from({ length: n }, () => SYLLABLES[random.int(SYLLABLES.length)]).join('');
  return Array.from({ length: count }, (_, i) => {
    const first = `Q${word(2)}${i}`;
    const last = `X${word(3)}${i}`;
    const area = AREAS[i % AREAS.length] as string;
    return {
      id: `${idPrefix}-${i}`,
      firstName: first,
      lastName: last,
      postalCode: `QZ${i} ${random.int(9)}XW`,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@mail.example`,
      phone: `+1${area}555${String(1_000 + i).padStart(4, '0')}`,
      otherPhone: `+1${AREAS[(i + 3) % AREAS.length]}555${String(5_000 + i).padStart(4, '0')}`,
    };
  });
}

function contactInput(p: Person): ContactInput {
  return {
    id: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    postalCode: p.postalCode,
    phones: [
      { number: p.phone, type: 'mobile' },
      { number: p.otherPhone, type: 'landline' },
    ],
    profile: { email: p.email, notes: `prefers ${p.otherPhone}, mail ${p.email}` },
  };
}

/** Every personal datum of `list` found in `lines`, as `line #: what` (empty: no leak). */
function leaks(lines: readonly string[], list: readonly Person[]): string[] {
  const nationals = new Set(list.flatMap((p) => [p.phone.slice(2), p.otherPhone.slice(2)]));
  const words = new Map<string, string>();
  for (const p of list) for (const w of [p.firstName, p.lastName, p.postalCode, p.email]) words.set(w.toLowerCase(), `${p.id}'s ${w}`);
  const wordPattern = new RegExp([...words.keys()].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const found: string[] = [];
  lines.forEach((line, n) => {
    // Digits with separators between them count as one number: "+1 (212) 555-1000" is 12125551000.
    for (const run of line.replace(/(\d)[\s().\-/]{1,3}(?=\d)/g, '$1').match(/\d{10,}/g) ?? []) {
      for (let i = 0; i + 10 <= run.length; i++)
        if (nationals.has(run.slice(i, i + 10))) found.push(`line ${n}: phone ${run.slice(i, i + 10)}`);
    }
    for (const match of line.toLowerCase().match(wordPattern) ?? []) found.push(`line ${n}: ${words.get(match)}`);
  });
  return found;
}

/** A pino destination that keeps every line. */
function capture(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(...line.split('\n').filter(Boolean)) };
}

describe('log scan: a campaign day on the real engine, default logger at trace', () => {
  const list = people(300, seededRandom(20).split('people'));
  const sink = capture();
  let sim: EngineSimulation;
  beforeAll(async () => {
    sim = await EngineSimulation.create({
      seed: 20,
      startAt: START,
      campaign: {
        id: 'scan-day',
        name: 'Log scan day',
        goal: 'retention',
        dialMode: 'predictive',
        complianceProfile: 'us-federal',
        callerId: '+12125550100',
        homeTimeZone: 'America/New_York',
        maxAttempts: 3,
      },
      contacts: list.map(contactInput),
      shifts: Array.from({ length: 6 }, (_, i) => ({
        id: `a${i}`,
        name: `Agent ${i}`,
        campaignIds: ['scan-day'],
        loginAt: START,
        logoutAt: START + 6 * HOUR,
      })),
      behaviour: {
        talkMs: (_o, r: Random) => 60_000 + r.int(60_000),
        wrapMs: () => 10_000,
        disposition: (_o, r: Random, now: number) =>
          r.next() < 0.2 ? { code: 'CALLBACK', data: { callbackAt: now + HOUR } } : { code: 'SAVED' },
      },
      outcomeModel: basicOutcomeModel(TYPICAL_CONSUMER_LIST),
      logger: defaultLogger({ level: 'trace', destination: sink }),
    });
    // Bad rows on the way in: rejected with messages that must not echo what they carried.
    const rejected = await sim.dialer.addContacts('scan-day', [
      { id: 'bad-1', firstName: list[0]?.firstName, phones: [{ number: `${list[0]?.phone}9999999` }] },
      { id: list[1]?.id, phones: [{ number: list[1]?.phone }] },
    ] as ContactInput[]); // deliberately bad rows, as a JavaScript caller may send them
    // A host logging the rejects through Paceline's logger: the messages echo what the rows carried.
    expect(rejected.rejected.length).toBeGreaterThan(0);
    defaultLogger({ destination: sink }).warn(
      { rejected: rejected.rejected },
      `rejected: ${rejected.rejected.map((r) => r.message).join('; ')}`,
    );
    await sim.runUntil(START + 6 * HOUR);
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('dialled the list and logged, and no line names a contact other than by id', () => {
    expect(sim.counters.dials).toBeGreaterThan(100);
    expect(sink.lines.length).toBeGreaterThan(0);
    expect(leaks(sink.lines, list)).toEqual([]);
  });
});

describeWithRedis(
  'log scan: Redis runs out of memory during addContacts',
  (server) => {
    let redis: Redis;
    beforeAll(async () => {
      redis = new Redis(server().port, server().host, { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      redis?.disconnect();
    });

    it('logs the outage with the driver error’s name, code and command, without the contacts it carried', async () => {
      const list = people(4_000, seededRandom(21), 'oom');
      const sink = capture();
      const clock = { now: () => START, setTimer: () => 0 as never, clearTimer: () => {} };
      const trunk = createSimTrunk({ clock, random: seededRandom(1), model: basicOutcomeModel(TYPICAL_CONSUMER_LIST) });
      const store = createRedisStore({ redis, tenant: 'oom' });
      const dialer = createDialer({
        trunk,
        store,
        clock,
        random: seededRandom(2),
        logger: defaultLogger({ level: 'debug', destination: sink }),
      });
      await dialer.addCampaign({
        id: 'oom',
        name: 'OOM',
        goal: 'retention',
        dialMode: 'progressive',
        complianceProfile: 'us-federal',
        callerId: '+12125550100',
        homeTimeZone: 'America/New_York',
      });
      let failure: unknown;
      for (let i = 0; i < list.length && failure === undefined; i += 200) {
        await dialer.addContacts('oom', list.slice(i, i + 200).map(contactInput)).catch((error: unknown) => {
          failure = error;
        });
      }
      expect(String(failure)).toMatch(/OOM/);
      const warning = sink.lines.map((l) => JSON.parse(l)).find((l) => /store unavailable/.test(l.msg));
      // The first write to meet the full memory is the phone index's SADD (written before the
      // contacts' script, issue 23) or the script itself: either way its name, never its arguments.
      expect(warning?.err).toMatchObject({
        type: 'ReplyError',
        command: expect.stringMatching(/^(evalsha|sadd)$/),
        message: expect.stringContaining('OOM'),
      });
      expect(leaks(sink.lines, list)).toEqual([]);

      // Control: the same error through a bare pino (no Paceline serializer) leaks contacts,
      // so the scan above would have caught the leak.
      const bare = capture();
      pino({ level: 'debug' }, bare).warn({ err: failure }, 'store unavailable');
      expect(leaks(bare.lines, list).length).toBeGreaterThan(0);
      await dialer.close();
    }, 60_000);
  },
  { appendOnly: false, extraArgs: ['--maxmemory', '3mb'] },
);

describe('log scan: paceline run with --log-level debug (a real process)', () => {
  it('writes debug lines on stderr, none with a phone, name, postcode or e-mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paceline-log-scan-'));
    const list = people(60, seededRandom(22), 'cli');
    writeFileSync(
      join(dir, 'campaign.json'),
      JSON.stringify({
        campaign: {
          id: 'cli-scan',
          name: 'CLI log scan',
          goal: 'retention',
          dialMode: 'progressive',
          complianceProfile: 'us-federal',
          callerId: '+12125550100',
          homeTimeZone: 'UTC',
          callingWindow: { start: '00:00', end: '23:59' },
        },
        contacts: [
          ...list.map(contactInput),
          { id: 'cli-bad', firstName: list[0]?.firstName, phones: [{ number: list[0]?.phone.slice(0, 6) }] },
        ],
      }),
    );
    const child = startPaceline(['run', 'campaign.json', '--port', '0', '--duration', '4', '--json', '--log-level', 'debug'], dir);
    const out: string[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => out.push(d.toString()));
    const [code] = await once(child, 'exit');
    const lines = out.join('').split('\n').filter(Boolean);
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.length).toBeGreaterThan(1);
    expect(leaks(lines, list)).toEqual([]);
  }, 60_000);
});
