import { seededRandom, VirtualClock } from '@paceline/core';
import { DncBook, loadUsRegistry } from '@paceline/lists';
import { type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { createComplianceGate, createMemoryStore } from '../../src/index';
import { testDialer } from './test-dialer';

/**
 * A dialer on virtual time with the real compliance gate over a `DncBook` holding one US
 * registry copy as of `asOfMs`; `loadCopy` replaces it with a copy as of another date, as a
 * host does when the monthly download arrives. Every call is answered by a person.
 */
export async function dialerWithRegistry(startMs: number, asOfMs: number, call: SimCallPlan) {
  const clock = new VirtualClock(startMs);
  const store = createMemoryStore();
  const dnc = new DncBook();
  const loadCopy = async (copyAsOfMs: number) => dnc.setRegistry((await loadUsRegistry('2125550100\n', { asOfMs: copyAsOfMs })).registry);
  await loadCopy(asOfMs);
  const { dialer } = testDialer({
    clock,
    store,
    model: scriptedOutcomeModel({}, call),
    random: seededRandom(2),
    compliance: createComplianceGate({ dnc }),
  });
  return { clock, store, dialer, loadCopy };
}
