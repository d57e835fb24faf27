import type { AmdCalibrationReport } from '@paceline/engine';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

/** Where the AMD false-positive estimate came from, in the report's words. */
const AMD_ESTIMATE_SOURCES: Readonly<Record<string, string>> = {
  'bench-default': 'bench default',
  'listen-back': 'reviewed samples (listen-back)',
};

/** What the report needs of the dialer's AMD calibration (`dialer.amdCalibration`). */
export interface AmdReportSource {
  report(campaignId: string): AmdCalibrationReport;
  abandonCounts(
    campaignId: string,
    measured: { readonly liveAnswers: number; readonly abandoned: number },
    machineDecisionsInWindow: number,
  ): { readonly rate: number; readonly estimatedFalsePositives: number };
}

/**
 * issue-17: the report's rows on answering-machine detection: the estimated share of machine
 * decisions that were people (AMD false positives), how the estimate was made (bench default or
 * reviewed samples; agents' "answering machine" dispositions and revisions count the other error,
 * machines taken for people), and whether the abandon rate includes it (profiles such as Ofcom's).
 * `measured` is the day's live answers and abandons as the report shows them.
 */
export function amdReportRows(
  calibration: AmdReportSource,
  campaignId: string,
  measured: { readonly liveAnswers: number; readonly abandoned: number },
): Array<{ label: string; value: string }> {
  const r = calibration.report(campaignId);
  const e = r.estimate;
  const adjusted = calibration.abandonCounts(campaignId, measured, r.machineDecisions);
  const people = r.machineDecisions * e.rate;
  return [
    {
      label: 'AMD false positives (people taken for machines, estimate)',
      value: `${pct(e.rate)} of ${r.machineDecisions} machine decisions (95% ${pct(e.low)}–${pct(e.high)}), about ${people.toFixed(1)} people`,
    },
    {
      label: 'AMD estimate made from',
      value: `${AMD_ESTIMATE_SOURCES[e.method] ?? e.method}: ${e.explanation}`,
    },
    {
      label: 'Machines found after connecting',
      value: `${r.machinesConnectedAsPeople} (call-analysis revisions, agents’ answering-machine dispositions): not live answers; the other error, not in the estimate`,
    },
    {
      label: 'Abandon rate includes the AMD estimate',
      value: r.countedInAbandonRate
        ? `yes (the profile requires it): ${pct(adjusted.rate, 2)} with ${adjusted.estimatedFalsePositives.toFixed(1)} estimated people added to abandons and live answers`
        : 'no: this campaign’s compliance profile does not count AMD false positives (Ofcom’s does)',
    },
  ];
}
