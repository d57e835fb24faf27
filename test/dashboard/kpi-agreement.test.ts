import { parseCampaign, systemClock } from '@paceline/core';
import { type CampaignMonitor, dashboardPlugin } from '@paceline/dashboard';
import { agentLabel, KPI_DEFINITIONS } from '@paceline/engine';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { renderKpis } from '../../examples/demo/terminal-view';
import { finalReport, summaryLine } from '../../packages/cli/src/commands/run-summary';
import { retentionDay } from './floor-harness';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const htmlEscaped = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * One definition of conversion (DESIGN.md: sales / live answers) and of the save rate (saves /
 * live answers), the same numbers wherever they are shown: the dashboard's campaign snapshot and
 * agents view, the CLI's live line and final report, and the demo's end-of-day report — all over
 * one simulated retention morning with several sales and many saves.
 */
describe('conversion and save rate agree in every place they are shown', () => {
  it('dashboard snapshot, agents view, CLI summary and report, demo report: the same numbers, each with its explanation', async () => {
    const startAt = Date.UTC(2026, 10, 23, 14, 0); // Monday 09:00 in New York
    const { campaignInput, sim } = await retentionDay({ id: 'kpi-day', seed: 24, startAt, customers: 800, agents: 6 });
    const app = Fastify();
    let monitor: CampaignMonitor | undefined;
    await app.register(dashboardPlugin, {
      prefix: '/dashboard',
      dialer: sim.dialer,
      campaigns: [parseCampaign(campaignInput)],
      tokens: { manager: 'kpi-manager-token-0123456789' },
      clock: sim.clock,
      ticker: systemClock(),
      onReady: (m) => {
        monitor = m;
      },
    });
    await app.ready();
    try {
      await sim.runUntil(startAt + 3 * 3_600_000);
      if (!monitor) throw new Error('no monitor');
      const snapshot = await monitor.floorSnapshot();
      const c = snapshot.campaigns[0];
      if (!c) throw new Error('no campaign in the snapshot');
      expect(c.liveAnswers).toBeGreaterThan(50);
      expect(c.saves).toBeGreaterThan(0);
      // The definitions (DESIGN.md): saves are not in conversion.
      expect(c.conversion).toBe(c.sales / c.liveAnswers);
      expect(c.saveRate).toBe(c.saves / c.liveAnswers);
      expect(c.conversion).not.toBe((c.sales + c.saves) / c.liveAnswers);

      // The agents view: each row by the same definitions over the agent's calls, named "name (id)".
      expect(snapshot.agents.length).toBe(6);
      for (const r of snapshot.agents) {
        expect(r.conversion).toBe(r.calls === 0 ? 0 : r.sales / r.calls);
        expect(r.saveRate).toBe(r.calls === 0 ? 0 : r.saves / r.calls);
        expect(agentLabel(r)).toMatch(new RegExp(`^Agent \\d+ \\(${r.agentId}\\)$`));
      }

      // The CLI: the live line and the final report print the snapshot's numbers and explain them.
      const line = summaryLine(snapshot);
      expect(line).toContain(`conversion ${pct(c.conversion)} · save rate ${pct(c.saveRate)}`);
      const report = finalReport(snapshot);
      expect(report).toMatch(new RegExp(`Conversion \\(sales / live answers\\)\\s+${pct(c.conversion).replace('.', '\\.')}`));
      expect(report).toMatch(new RegExp(`Save rate \\(saves / live answers\\)\\s+${pct(c.saveRate).replace('.', '\\.')}`));
      expect(report).toContain(`Conversion: ${KPI_DEFINITIONS.conversion}`);
      expect(report).toContain(`Save rate: ${KPI_DEFINITIONS.saveRate}`);
      for (const r of snapshot.agents) expect(report).toContain(agentLabel(r));

      // The demo's end-of-day report over the same simulation.
      const status = await sim.dialer.status(campaignInput.id);
      const kpis = renderKpis(sim, status, 3 * 3_600_000);
      const row = (label: string) => kpis.rows.find((r) => r.label === label)?.value;
      expect(row('Conversion (sales / live answers)')).toBe(pct(c.conversion));
      expect(row('Save rate (saves / live answers)')).toBe(pct(c.saveRate));
      expect(kpis.text).toContain(KPI_DEFINITIONS.conversion);
      expect(kpis.text).toContain(KPI_DEFINITIONS.saveRate);

      // The page: both KPIs carry their definition as a tooltip, in the campaign card and the agents view.
      const page = await app.inject({ url: '/dashboard/', headers: { authorization: 'Bearer kpi-manager-token-0123456789' } });
      for (const k of ['conversion', 'saveRate'] as const) {
        expect(page.body.split(`title="${htmlEscaped(KPI_DEFINITIONS[k])}"`).length - 1).toBe(2);
      }
    } finally {
      await app.close();
      await sim.close();
    }
  }, 60_000);
});
