import { createCampaignPacer, type Pacer } from '@paceline/pacing';
import type { CampaignPacer, ComplianceGate, DialVerdict } from '../../src/index';

/** `linesPerReadyAgent` lines per ready agent, minus calls already in flight (a plain pacer for engine tests). */
export function testPacer(linesPerReadyAgent = 1): CampaignPacer {
  const pacer: Pacer = {
    name: 'test',
    decide: (s) => {
      const ready = s.agents.filter((a) => a.state === 'ready').length;
      const launch = Math.max(0, linesPerReadyAgent * ready - s.calls.length);
      return { launch, reason: `test ${linesPerReadyAgent}:1`, inputs: { ready, inFlight: s.calls.length } };
    },
  };
  return createCampaignPacer({ dialMode: 'progressive' }, { pacer });
}

/** The plain progressive test pacer. */
export const testProgressivePacer = () => testPacer(1);

/** A gate that allows everything except numbers in `blocked`, and records what it was told. */
export function testCompliance(blocked: ReadonlySet<string> = new Set()): ComplianceGate & { events: string[]; dnc: Set<string> } {
  const events: string[] = [];
  const dnc = new Set(blocked);
  return {
    events,
    dnc,
    assertCampaign: () => {},
    prepareContact: (contact) => contact,
    check: (_contact, phone): DialVerdict =>
      dnc.has(phone)
        ? { allowed: false, reasons: ['dnc-internal'], permanent: true, dnc: true }
        : { allowed: true, reasons: [], permanent: false },
    record: (e) => {
      events.push(`${e.kind}:${e.phone}`);
    },
    addInternalDnc: (phone) => {
      dnc.add(phone);
    },
    abandonWindowMs: () => 30 * 24 * 3_600_000,
  };
}
