import { seededRandom } from '@paceline/core';
import { renderHtmlReport } from '@paceline/dashboard';
import { AmdCalibration, BENCH_AMD_FALSE_POSITIVE_RATE } from '@paceline/engine';
import { describe, expect, it } from 'vitest';
import { amdReportRows } from '../../examples/demo/amd-rows';

const START = Date.UTC(2026, 10, 23, 9, 0);

/** The demo's HTML report of a day: the rows as the report table shows them. */
function report(rows: Array<{ label: string; value: string }>): string {
  return renderHtmlReport({ title: 'AMD', subtitle: 'a day', kpis: rows, abandonCap: 0.03, samples: [], outcomes: {} });
}

const escaped = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The value of the report table's row `label`. */
function row(html: string, label: string): string | undefined {
  const m = new RegExp(`<tr><th>${escaped(label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</th><td>([^<]*)</td></tr>`).exec(html);
  return m?.[1];
}

describe('issue-17: the demo report shows the AMD false-positive estimate, how it was made, and whether the abandon rate includes it', () => {
  it('a US campaign before any review: the bench default, not in the abandon rate', () => {
    const calibration = new AmdCalibration({ random: seededRandom(1), includeFalsePositives: () => false, listenBackFraction: 0 });
    for (let i = 0; i < 40; i++) calibration.machineDecided('us', `m${i}`, START + i * 60_000);
    calibration.machineConnected('us', 'late');
    const html = report(amdReportRows(calibration, 'us', { liveAnswers: 200, abandoned: 4 }));
    const pct = `${(BENCH_AMD_FALSE_POSITIVE_RATE * 100).toFixed(1)}%`;
    expect(row(html, 'AMD false positives (people taken for machines, estimate)')).toMatch(
      new RegExp(
        `^${pct.replace('.', '\\.')} of 40 machine decisions \\(95% [\\d.]+%–[\\d.]+%\\), about ${(40 * BENCH_AMD_FALSE_POSITIVE_RATE).toFixed(1)} people$`,
      ),
    );
    const how = row(html, 'AMD estimate made from');
    expect(how).toMatch(/^bench default: No reviewed calls yet/);
    expect(row(html, 'Machines found after connecting')).toMatch(
      /^1 \(call-analysis revisions, agents’ answering-machine dispositions\): not live answers/,
    );
    expect(row(html, 'Abandon rate includes the AMD estimate')).toMatch(/^no: /);
  });

  it('a UK (Ofcom) campaign with reviewed samples: the pooled estimate, added to the abandon rate', () => {
    const calibration = new AmdCalibration({ random: seededRandom(2), includeFalsePositives: () => true, listenBackFraction: 1 });
    for (let i = 0; i < 100; i++) calibration.machineDecided('uk', `m${i}`, START + i * 60_000);
    // 100 sampled; 60 listened back, 6 of them people
    for (let i = 0; i < 60; i++) calibration.reviewed('uk', `m${i}`, i % 10 === 0);
    const estimate = calibration.report('uk').estimate;
    expect(estimate.method).toBe('listen-back');
    const html = report(amdReportRows(calibration, 'uk', { liveAnswers: 300, abandoned: 3 }));
    const people = 100 * estimate.rate;
    expect(row(html, 'AMD false positives (people taken for machines, estimate)')).toContain(
      `${(estimate.rate * 100).toFixed(1)}% of 100 machine decisions`,
    );
    const how = row(html, 'AMD estimate made from');
    expect(how).toMatch(/^reviewed samples \(listen-back\): /);
    expect(how).toContain('6 people in 60 machine decisions listened back');
    // the rate the governor paces on: (3 + people) / (300 + people)
    const included = row(html, 'Abandon rate includes the AMD estimate');
    expect(included).toBe(
      `yes (the profile requires it): ${(((3 + people) / (300 + people)) * 100).toFixed(2)}% with ${people.toFixed(1)} estimated people added to abandons and live answers`,
    );
  });
});
