import { describe, expect, it } from 'vitest';
import { arrivalDeferMs, expectedLiveClaims, hasRoom } from '../src/index';

/** issue-23 23-router: the arrival deferral's one rule (the simulator's InboundQueue and the engine's InboundRouter run it). */
const base = { ready: 1, claims: 0.75, waitedMs: 0, maxMs: 8_000, targetAnswerMs: 20_000 };

describe('arrivalDeferMs (issue 23, 23-router)', () => {
  it('keeps an arriving caller for the window while the live answers claim every ready agent (claims > ready − 1)', () => {
    expect(arrivalDeferMs(base)).toBe(8_000);
    expect(arrivalDeferMs({ ...base, ready: 2, claims: 1.5 })).toBe(8_000);
    expect(arrivalDeferMs({ ...base, waitedMs: 3_000 })).toBe(5_000); // the rest of its window
  });

  it('does not keep a caller while one ready agent is left over, without a ready agent, or with no claims', () => {
    expect(arrivalDeferMs({ ...base, ready: 2, claims: 1 })).toBe(0);
    expect(arrivalDeferMs({ ...base, ready: 3, claims: 0.75 })).toBe(0);
    expect(arrivalDeferMs({ ...base, ready: 0 })).toBe(0);
    expect(arrivalDeferMs({ ...base, claims: 0 })).toBe(0);
  });

  it('never past the window nor the answer target', () => {
    expect(arrivalDeferMs({ ...base, waitedMs: 8_000 })).toBe(0);
    expect(arrivalDeferMs({ ...base, waitedMs: 9_000 })).toBe(0);
    expect(arrivalDeferMs({ ...base, maxMs: 30_000 })).toBe(20_000);
    expect(arrivalDeferMs({ ...base, maxMs: 30_000, waitedMs: 19_000 })).toBe(1_000);
    expect(arrivalDeferMs({ ...base, maxMs: 0 })).toBe(0);
  });

  it('the room variant: never defers when the interval has no service-level room for this caller to miss', () => {
    // 4 of 5 offered answered within the target: exactly 80 % even if this one (the fifth) misses.
    expect(arrivalDeferMs({ ...base, room: { target: 0.8, offered: 5, answeredInTarget: 4 } })).toBe(8_000);
    expect(arrivalDeferMs({ ...base, room: { target: 0.8, offered: 5, answeredInTarget: 3 } })).toBe(0);
    expect(arrivalDeferMs({ ...base, room: { target: 0.8, offered: 1, answeredInTarget: 0 } })).toBe(0); // the interval's first caller
    // margin 0.5: 90 % needed.
    expect(arrivalDeferMs({ ...base, room: { target: 0.8, offered: 10, answeredInTarget: 8, margin: 0.5 } })).toBe(0);
    expect(arrivalDeferMs({ ...base, room: { target: 0.8, offered: 10, answeredInTarget: 9, margin: 0.5 } })).toBe(8_000);
  });

  it('hasRoom: the answered-within-target count covers target (+ margin) × offered', () => {
    expect(hasRoom({ target: 0.8, offered: 0, answeredInTarget: 0 })).toBe(true);
    expect(hasRoom({ target: 0.8, offered: 20, answeredInTarget: 16 })).toBe(true);
    expect(hasRoom({ target: 0.8, offered: 20, answeredInTarget: 15 })).toBe(false);
    expect(hasRoom({ target: 0.8, offered: 20, answeredInTarget: 19, margin: 1 })).toBe(false);
    expect(hasRoom({ target: 0.8, offered: 20, answeredInTarget: 20, margin: 1 })).toBe(true);
  });

  it('expectedLiveClaims: waiting live answers whole, greetings at the human share (prior 3 in 4)', () => {
    expect(expectedLiveClaims(0, 1, 0, 0)).toBe(0.75);
    expect(expectedLiveClaims(1, 2, 0, 0)).toBe(2.5);
    expect(expectedLiveClaims(0, 2, 1, 16)).toBe(0.4); // 4 / 20 human
  });
});
