import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, systemClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { loadSipConfig } from '../src/sip-config';
import { paceline, startPaceline } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'paceline-sip-'));
const deps = { clock: systemClock(), random: seededRandom(1) };

/** A short 8 kHz mono 16-bit PCM WAV (silence). */
function wav(samples = 800): Buffer {
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8_000, 24);
  b.writeUInt32LE(16_000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return path;
}

const campaign = {
  id: 'sip-run',
  name: 'SIP run',
  goal: 'retention',
  dialMode: 'progressive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'America/New_York',
};
file('campaign.json', { campaign, contacts: [{ id: 'c1', phones: [{ number: '+12125550142' }] }] });
file('safe-harbour.wav', wav());
file('not-a-wav.wav', 'hello');
const good = {
  trunks: [{ id: 'lab', host: '127.0.0.1', port: 9, transport: 'udp', username: 'acct', passwordEnv: 'PACELINE_TEST_SIP_SECRET' }],
  messages: { 'safe-harbour': 'safe-harbour.wav' },
  bindAddress: '127.0.0.1',
};

describe('--sip-config', () => {
  it('becomes createSipTrunk options: password from the environment, WAV paths next to the file', () => {
    const options = loadSipConfig(file('good.json', good), ['safe-harbour'], { ...deps, env: { PACELINE_TEST_SIP_SECRET: 's3cret' } });
    expect(options.trunks).toEqual([{ id: 'lab', host: '127.0.0.1', port: 9, transport: 'udp', username: 'acct', password: 's3cret' }]);
    expect(options.messages).toEqual({ 'safe-harbour': join(dir, 'safe-harbour.wav') });
    expect(options.bindAddress).toBe('127.0.0.1');
  });

  it.each([
    ['no trunks', { trunks: [] }, 'sip.trunks: expected at least one trunk'],
    [
      'a bad port',
      { ...good, trunks: [{ id: 'a', host: 'sip.example', port: 70_000 }] },
      'sip.trunks[0].port: expected a port number, 1–65535, got 70000',
    ],
    [
      'a URL for a host',
      { ...good, trunks: [{ id: 'a', host: 'sip:carrier.example' }] },
      'sip.trunks[0].host: expected a host name or IP address',
    ],
    [
      'a misspelt field',
      { ...good, trunks: [{ id: 'a', host: 'h', callsPerSecnd: 5 }] },
      'sip.trunks[0].callsPerSecnd: is not a known field',
    ],
    [
      'duplicate ids',
      {
        ...good,
        trunks: [
          { id: 'a', host: 'h' },
          { id: 'a', host: 'g' },
        ],
      },
      'sip.trunks[1].id: duplicate trunk id "a"',
    ],
    ['an unset password variable', good, 'sip.trunks[0].passwordEnv: environment variable PACELINE_TEST_SIP_SECRET is not set'],
    [
      'a missing WAV',
      { trunks: [{ id: 'a', host: 'h' }], messages: { 'safe-harbour': 'nope.wav' } },
      `sip.messages.safe-harbour: ${join(dir, 'nope.wav')}: no such file`,
    ],
    [
      'a file that is not a WAV',
      { trunks: [{ id: 'a', host: 'h' }], messages: { 'safe-harbour': 'not-a-wav.wav' } },
      `sip.messages.safe-harbour: ${join(dir, 'not-a-wav.wav')}: not a RIFF/WAVE file`,
    ],
    ['no safe-harbour message', { trunks: [{ id: 'a', host: 'h' }] }, 'sip.messages.safe-harbour: is required'],
  ])('refuses %s in one line naming the field', (_what, config, message) => {
    const path = file('bad.json', config);
    expect(() => loadSipConfig(path, ['safe-harbour'], { ...deps, env: {} })).toThrow(`sip config ${path}: `);
    try {
      loadSipConfig(path, ['safe-harbour'], { ...deps, env: {} });
    } catch (error) {
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('paceline run --trunk sip (a real process)', () => {
  it('a bad --sip-config is one line on stderr and exit 1; a missing one exit 2', async () => {
    file('bad-port.json', { ...good, trunks: [{ id: 'lab', host: '127.0.0.1', port: 0 }] });
    const bad = await paceline(['run', 'campaign.json', '--trunk', 'sip', '--sip-config', 'bad-port.json'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `paceline: sip config ${join(dir, 'bad-port.json')}: invalid sip: sip.trunks[0].port: expected a port number, 1–65535, got 0`,
    ]);
    const missingFile = await paceline(['run', 'campaign.json', '--trunk', 'sip', '--sip-config', 'absent.json'], dir);
    expect([missingFile.code, missingFile.stderr.trim()]).toEqual([1, `paceline: sip config ${join(dir, 'absent.json')}: no such file`]);
    const missingFlag = await paceline(['run', 'campaign.json', '--trunk', 'sip'], dir);
    expect(missingFlag.code).toBe(2);
    const simWithConfig = await paceline(['run', 'campaign.json', '--sip-config', 'bad-port.json'], dir);
    expect([simWithConfig.code, simWithConfig.stderr.trim()]).toEqual([2, 'paceline: run: --sip-config needs --trunk sip']);
  });

  it('starts the campaign on the SIP trunk with its dashboard (loopback only) and stops after --duration', async () => {
    file('lab.json', { ...good, trunks: [{ id: 'lab', host: '127.0.0.1', port: 9 }] });
    const child = startPaceline(
      ['run', 'campaign.json', '--trunk', 'sip', '--sip-config', 'lab.json', '--port', '0', '--duration', '2', '--agents', '1'],
      dir,
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout).toContain('Campaign sip-run running on the SIP trunk (lab) with 1 simulated agent(s).');
    expect(stdout).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });
});
