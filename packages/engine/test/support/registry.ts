import { seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import { DncBook, loadUsRegistry } from '@paceline/lists';
import { createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { createComplianceGate, createDialer, createMemoryStore } from '../../src/index';
import { testProgressivePacer } from './seams';

/**
 * A dialer on virtual time with the real compliance gate over a `DncBook` holding one US
 * registry copy as of `asOfMs`; `loadCopy` replaces it with a copy as of another date, as a
 * host does when the monthly download arrives. Every call is answered by a person.
 */
export async function dialerWithRegistry(startMs: number, asOfMs: number, call: SimCallPlan) {
  const clock = new VirtualClock(startMs);
  const store = createMemoryStore();
  const trunk = createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel({}, call) });
  const dnc = new DncBook();
  const loadCopy = async (copyAsOfMs: number) => dnc.setRegistry((await loadUsRegistry('2125550100\n', { asOfMs: copyAsOfMs })).registry);
  await loadCopy(asOfMs);
  const dialer = createDialer({
    store,
    trunk,
    clock,
    random: seededRandom(2),
    logger: silentLogger,
    media: trunk.media,
    compliance: createComplianceGate({ dnc }),
    createPacer: testProgressivePacer,
  });
  return { clock, store, dialer, loadCopy };
}
