/**
 * Where the upload path's garbage comes from (issue 18): V8's sampling heap profiler, with
 * objects that a collection already freed included, over a 40,000-row import handed to
 * `dialer.addContacts` (memory store) as the dashboard's upload route does; prints bytes
 * allocated per contact, by allocating function (line numbers are tsx's, not the sources').
 *
 *   node --import tsx --conditions=@paceline/source bench/support/upload-allocations.ts
 */
import { Session } from 'node:inspector/promises';
import { seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, createMemoryStore } from '@paceline/engine';
import { importContacts } from '@paceline/lists';
import { createSimTrunk } from '@paceline/trunk-sim';
import { listsOutcomeModel } from './lists-outcome-model';

const N = 40000;
function csv(count: number, offset: number): string {
  const lines = ['Customer ID;First Name;Phone;Zip;Time Zone'];
  for (let i = offset; i < offset + count; i++)
    lines.push(`U${i};Ann ${i % 100};415-${String(2_000_000 + i).slice(0, 3)}-${String(2_000_000 + i).slice(3)};94105;America/Los_Angeles`);
  return `${lines.join('\r\n')}\r\n`;
}
const clock = systemClock();
// No campaign runs (nothing is dialled): the trunk only completes the dialer.
const trunk = createSimTrunk({ clock, random: seededRandom(1), model: listsOutcomeModel() });
const dialer = createDialer({ trunk, media: trunk.media, clock, store: createMemoryStore(), logger: silentLogger });
await dialer.addCampaign({
  id: 'g',
  name: 'g',
  goal: 'sales',
  dialMode: 'progressive',
  complianceProfile: 'us-federal',
  callerId: '+12125550100',
  homeTimeZone: 'UTC',
});
const run = async (offset: number) =>
  importContacts(csv(N, offset), {
    mapping: { id: 'customer id', firstName: 'first name', phones: ['phone'], postalCode: 'zip', timeZone: 'time zone' },
    defaultCountry: 'US',
    listId: `l${offset}`,
    onContacts: async (contacts) => {
      await dialer.addContacts('g', contacts, { handOver: true });
    },
  });
await run(0);
const text = csv(N, N);
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  // `--survivors`: only what outlived a young-generation collection (promoted: kept, or old-space garbage).
  includeObjectsCollectedByMinorGC: !process.argv.includes('--survivors'),
} as never);
await importContacts(text, {
  mapping: { id: 'customer id', firstName: 'first name', phones: ['phone'], postalCode: 'zip', timeZone: 'time zone' },
  defaultCountry: 'US',
  listId: 'l2',
  onContacts: async (contacts) => {
    await dialer.addContacts('g', contacts, { handOver: true });
  },
});
interface SampleNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SampleNode[];
}
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
const self = new Map<string, number>();
const walk = (node: SampleNode) => {
  const f = node.callFrame;
  const name = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  const bytes = node.selfSize;
  if (bytes) self.set(name, (self.get(name) ?? 0) + bytes);
  for (const c of node.children) walk(c);
};
walk(profile.head);
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log('total B/contact', Math.round(total / N));
for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(Math.round(v / N)).padStart(6), k);
process.exit(0);
