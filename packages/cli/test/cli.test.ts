import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paceline, startPaceline } from './run-cli';

const SCENARIO = join(import.meta.dirname, '..', '..', '..', 'bench', 'scenarios', 'small-team-5.json');
const dir = mkdtempSync(join(tmpdir(), 'paceline-cli-'));

describe('paceline (a real process)', () => {
  it('prints help for the program and every command, exit 0', async () => {
    const top = await paceline(['--help'], dir);
    expect(top.code).toBe(0);
    for (const command of ['simulate', 'bench', 'lists', 'plan', 'run']) expect(top.stdout).toContain(command);
    const sub = await paceline(['lists', 'import', '--help'], dir);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--dnc');
  });

  it('--version prints the version of the package, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    const result = await paceline(['--version'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  }, 60_000);

  it('simulate prints the KPI table, replays a seed exactly, and writes the HTML report', async () => {
    const html = join(dir, 'report.html');
    const a = await paceline(['simulate', SCENARIO, '--seed', '4', '--json'], dir);
    const b = await paceline(['simulate', SCENARIO, '--seed', '4', '--json', '--html', html], dir);
    expect(a.code).toBe(0);
    const kpis = JSON.parse(a.stdout).kpis;
    expect(kpis.dials).toBeGreaterThan(500);
    expect(kpis.abandonRate).toBeLessThan(0.05);
    // small-team-5 hangs up on 3% of people (AMD false positives): counted against the truth.
    expect(kpis.amdPeopleAsMachines).toBeGreaterThan(0);
    expect(kpis.amdMachineDecisions).toBeGreaterThan(kpis.amdPeopleAsMachines);
    expect(kpis.abandonRateWithAmd).toBeCloseTo(
      (kpis.abandoned + kpis.amdPeopleAsMachines) / (kpis.liveAnswers + kpis.amdPeopleAsMachines),
      12,
    );
    expect(kpis.abandonRateWithAmd).toBeGreaterThan(kpis.abandonRate);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('new Chart(');
    expect(page).toContain('small-team-5');
    expect(page).toContain(`AMD false positives (people taken for machines)</th><td>${kpis.amdPeopleAsMachines} (`);
    expect(page).toContain('abandon rate incl. AMD false positives (Ofcom)');
    const table = await paceline(['simulate', SCENARIO, '--pacer', 'progressive'], dir);
    expect(table.stdout).toMatch(/abandon rate\s+\d+\.\d\d%/);
    expect(table.stdout).toMatch(/AMD machine decisions\s+\d+/);
  }, 120_000);

  it('a bad scenario field fails in one line naming its path', async () => {
    const bad = JSON.parse(readFileSync(SCENARIO, 'utf8'));
    bad.shifts[0].count = 0;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const r = await paceline(['simulate', 'bad.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('scenario.shifts[0].count');
  });

  it('bad files and bad flags are one line and a non-zero exit', async () => {
    const missing = await paceline(['simulate', 'nope.json'], dir);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, `paceline: scenario ${join(dir, 'nope.json')}: no such file`]);
    const flag = await paceline(['simulate', SCENARIO, '--seed', 'x'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe('paceline: --seed: expected a whole number ≥ 0, got "x"');
    const unknown = await paceline(['plan', '--wat'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const bench = await paceline(['bench', 'nonsense'], dir);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toContain('expected one of pacing, lists, engine, fulfilment');
  });

  it('plan gives agents, days and occupancy (table and --json)', async () => {
    const args = ['plan', '--contacts', '50000', '--contact-rate', '0.2', '--talk', '180', '--wrap', '30', '--hours', '8'];
    const json = await paceline([...args, '--json'], dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).plan).toMatchObject({ agentsNeeded: 86, expectedOccupancy: 0.85 });
    const table = await paceline([...args, '--agents', '40'], dir);
    expect(table.stdout).toMatch(/agents needed\s+40/);
    expect(table.stdout).toMatch(/days to complete\s+2\.1\d/);
    const both = await paceline([...args, '--agents', '40', '--days', '2'], dir);
    expect([both.code, both.stderr.trim()]).toEqual([2, 'paceline: plan: give --days or --agents, not both']);
  });

  it('lists import writes the clean list and the rejects with reasons, scrubbing DNC', async () => {
    writeFileSync(
      join(dir, 'list.csv'),
      'phone,first_name\n(212) 555-0142,Ann\n212-555-0142,Dup\nnot-a-phone,Bad\n+1 415 555 0199,Eve\n3125550123,Dan\n',
    );
    writeFileSync(join(dir, 'dnc.txt'), '3125550123\n');
    const r = await paceline(
      ['lists', 'import', 'list.csv', '--map', 'phones=phone,firstName=first_name', '--dnc', 'dnc.txt', '--json'],
      dir,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rowsRead: 5, imported: 2, rejected: 3 });
    const clean = readFileSync(join(dir, 'list.clean.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(clean.map((c) => c.phones[0].number)).toEqual(['+12125550142', '+14155550199']);
    const rejects = readFileSync(join(dir, 'list.rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('row,line,column,reason,message');
    expect(rejects.slice(1).map((l) => l.split(',')[3])).toEqual(['duplicate', 'bad-phone', 'dnc']);
    const badMap = await paceline(['lists', 'import', 'list.csv', '--map', 'phones=mobile'], dir);
    expect(badMap.code).toBe(1);
    expect(badMap.stderr).toContain('no column "mobile"');
  });

  it('run serves the dashboard behind its token and stops after --duration', async () => {
    writeFileSync(
      join(dir, 'campaign.json'),
      JSON.stringify({
        campaign: {
          id: 'cli-run',
          name: 'CLI run',
          goal: 'retention',
          dialMode: 'predictive',
          complianceProfile: 'us-federal',
          callerId: '+12125550100',
          homeTimeZone: 'America/New_York',
        },
        contacts: [{ id: 'c1', phones: [{ number: '+12125550142' }] }],
      }),
    );
    const sip = await paceline(['run', 'campaign.json', '--trunk', 'sip'], dir);
    expect([sip.code, sip.stderr]).toEqual([2, expect.stringContaining('--sip-config <file.json> is required')]);
    const child = startPaceline(['run', 'campaign.json', '--port', '0', '--duration', '4', '--json'], dir);
    const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const { dashboard, token } = JSON.parse(line.toString());
    const base = dashboard.slice(0, dashboard.indexOf('/?'));
    expect((await fetch(`${base}/api/campaigns`)).status).toBe(401);
    const ok = await fetch(`${base}/api/campaigns`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { campaigns: unknown[] }).campaigns[0]).toMatchObject({ campaignId: 'cli-run', state: 'running' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 90_000); // a real process started through tsx: slow to start on a loaded machine

  it('run prints a live summary line, and the final report on Ctrl-C', async () => {
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({
        campaign: {
          id: 'cli-summary',
          name: 'CLI summary',
          goal: 'retention',
          dialMode: 'predictive',
          complianceProfile: 'us-federal',
          callerId: '+12125550100',
          homeTimeZone: 'America/New_York',
        },
        contacts: [{ id: 'c1', phones: [{ number: '+12125550142' }] }],
      }),
    );
    const child = startPaceline(['run', 'summary.json', '--port', '0', '--summary-every', '1', '--log-level', 'silent'], dir);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // Two summary lines, a second apart, each with the campaign's local time, conversion and why.
    await expect
      .poll(() => stdout.split('\n').filter((l) => l.includes(' · cli-summary · ')).length, { timeout: 30_000, interval: 200 })
      .toBeGreaterThanOrEqual(2);
    const line = stdout.split('\n').find((l) => l.includes(' · cli-summary · ')) ?? '';
    expect(line).toMatch(
      /^\d\d:\d\d America\/New_York · cli-summary · running · dials \d+ \(\d+\/h\) · live \d+ · conversion \d+\.\d% · save rate \d+\.\d% · abandon 30d \d+\.\d\d% \(cap 3%\) · agents \d+\/\d+ · /,
    );
    expect(line).toMatch(/(Not dialling|Dialling)/);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout).toContain('Final report');
    expect(stdout).toContain('Campaign cli-summary (CLI summary)');
    expect(stdout).toMatch(/Conversion \(sales \/ live answers\)\s+\d+\.\d%/);
    expect(stdout).toMatch(/Save rate \(saves \/ live answers\)\s+\d+\.\d%/);
    expect(stdout).toContain('measures the 30-day rate');
  }, 90_000);
});
