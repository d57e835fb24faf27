import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPacelineError } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { loadScenarios, parseScenario, SCENARIO_DIR } from '../scenario';

describe('bench scenarios', () => {
  it('are all valid, named after their files, and each a full 8-hour day', () => {
    const scenarios = loadScenarios();
    expect(scenarios.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'itc-20',
        'small-team-5',
        'large-100-low-contact',
        'drift-day',
        'heavy-tail',
        'machines-heavy',
        'small-team-3',
        'team-10',
        'large-200',
        'midday-drop',
        'midday-drop-rise',
        'large-150-drop', // issue-22 22-large: held out
      ]),
    );
    for (const s of scenarios) expect(s.durationHours).toBe(8);
  });

  it('reject a bad field with its path', () => {
    const itc = JSON.parse(readFileSync(join(SCENARIO_DIR, 'itc-20.json'), 'utf8'));
    const attempt = (value: unknown) => {
      try {
        parseScenario(value);
        return 'accepted';
      } catch (error) {
        return isPacelineError(error) ? `${error.code}: ${error.message}` : String(error);
      }
    };
    expect(attempt({ ...itc, shifts: [{ ...itc.shifts[0], count: 0 }] })).toMatch(/E_INVALID_CONFIG.*scenario\.shifts\[0\]\.count/);
    expect(attempt({ ...itc, pacing: { ...itc.pacing, ringTimeoutMs: 5000 } })).toMatch(/scenario\.pacing\.ringTimeoutMs/);
    expect(attempt({ ...itc, shifts: [{ ...itc.shifts[0], logoutAtHour: 0 }] })).toMatch(/scenario\.shifts\[0\]\.logoutAtHour/);
  });
});
