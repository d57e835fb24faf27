import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentWrites, VirtualClock } from '../src/index';

describe('RecentWrites', () => {
  it('keeps the latest write per key, oldest first, and forgets what left the window', () => {
    const clock = new VirtualClock(1_000);
    const recent = new RecentWrites<string>(clock, 100);
    recent.record('a', 'a1');
    clock.advance(40);
    recent.record('b', 'b1');
    clock.advance(40);
    recent.record('a', 'a2');
    expect(recent.entries()).toEqual([
      ['b', 'b1'],
      ['a', 'a2'],
    ]);
    clock.advance(61);
    expect(recent.get('b')).toBeUndefined();
    expect(recent.entries()).toEqual([['a', 'a2']]);
    clock.advance(40);
    expect(recent.size).toBe(0);
  });

  it('refuses a window that is not a positive number, naming it', () => {
    expect(() => new RecentWrites(new VirtualClock(0), 0)).toThrow(/windowMs: expected a positive number of ms, got 0/);
    expect(() => new RecentWrites(new VirtualClock(0), Number.NaN)).toThrow(/windowMs/);
  });

  it('property: entries are exactly the keys last written inside the window, with their last value, in write order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 60 })), { maxLength: 60 }),
        fc.integer({ min: 1, max: 200 }),
        (writes, windowMs) => {
          const clock = new VirtualClock(0);
          const recent = new RecentWrites<number>(clock, windowMs);
          const model: Array<[string, number, number]> = [];
          writes.forEach(([key, gap], i) => {
            clock.advance(gap);
            recent.record(key, i);
            model.push([key, i, clock.now()]);
          });
          const latest = new Map<string, [number, number]>();
          for (const [key, value, at] of model) {
            latest.delete(key);
            latest.set(key, [value, at]);
          }
          const expected = [...latest].filter(([, [, at]]) => at >= clock.now() - windowMs).map(([key, [value]]) => [key, value]);
          expect(recent.entries()).toEqual(expected);
        },
      ),
    );
  });
});
