/**
 * rb9: the set-up the two-node blend tests share (pool-away, router-rule-pool, inbound-only-agent):
 * node a adds campaign k1 with one contact per number (in a zone where it is midday now), logs its
 * agent ana in to k1 on a break, starts k1 and waits until it leads it; then node b recovers (it
 * knows k1 from the shared store). Both nodes' dialers are the test's; nothing is torn down here.
 */
import type { CampaignInput } from '@paceline/core';
import type { Dialer } from '@paceline/engine';
import { progressiveCampaign } from '../support/campaign';
import { middayZone } from '../support/midday-zone';
import { waitFor } from '../support/wait-for';

/** One node as the helper drives it: its dialer and its clock's `now`. */
interface LeadNode {
  readonly dialer: Dialer;
  readonly clock: { now(): number };
}

/**
 * a starts k1 (the progressive test campaign, home zone UTC, with `overrides`) and leads it, its
 * agent ana on a break; contact `c<i>` is `numbers[i]`. b recovers. Fails after 10 s without the lead.
 */
export async function aLeadsK1(
  a: LeadNode,
  b: LeadNode,
  numbers: readonly string[],
  overrides: Partial<CampaignInput> = {},
): Promise<void> {
  const zone = middayZone(a.clock.now());
  await a.dialer.addCampaign(progressiveCampaign('k1', { homeTimeZone: 'UTC', ...overrides }));
  await a.dialer.addContacts(
    'k1',
    numbers.map((number, i) => ({ id: `c${i}`, phones: [{ number }], timeZones: [zone] })),
  );
  a.dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
  a.dialer.notReady('ana', 'break');
  let leads = false;
  a.dialer.on('leadershipChanged', (e) => {
    leads = e.leader;
  });
  await a.dialer.start('k1');
  await waitFor(() => leads, 10_000, 'a leads k1');
  await b.dialer.recover();
}
