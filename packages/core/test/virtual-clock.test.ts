import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systemClock, VirtualClock } from '../src/index';

describe('VirtualClock', () => {
  it('does nothing until advanced, then fires in time order', () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
    expect(fired).toEqual([]);
    clock.advance(200);
    expect(fired).toEqual(['a@1100']);
    expect(clock.now()).toBe(1_200);
    clock.advance(200);
    expect(fired).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1_400);
  });

  it('fires timers due at the same instant in the order they were set, including ones set while firing', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(1);
      clock.setTimer(0, () => fired.push(3));
    });
    clock.setTimer(10, () => fired.push(2));
    expect(clock.runNext()).toBe(true);
    expect(fired).toEqual([1, 2, 3]);
    expect(clock.runNext()).toBe(false);
  });

  it('cancels timers and counts what is pending', () => {
    const clock = new VirtualClock();
    let ran = false;
    const handle = clock.setTimer(5, () => {
      ran = true;
    });
    clock.setTimer(10, () => {});
    expect(clock.pending).toBe(2);
    clock.clearTimer(handle);
    clock.clearTimer(handle);
    expect(clock.pending).toBe(1);
    expect(clock.nextAt()).toBe(10);
    clock.runAll();
    expect(ran).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('refuses to go back in time and clamps negative delays', () => {
    const clock = new VirtualClock(50);
    expect(() => clock.advanceTo(10)).toThrow(/cannot go back in time/);
    let at = -1;
    clock.setTimer(-20, () => {
      at = clock.now();
    });
    clock.runNext();
    expect(at).toBe(50);
  });

  it('property: fire times never decrease and each timer fires once, at its due time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 10_000 }), { maxLength: 200 }),
        fc.array(fc.nat({ max: 3_000 }), { maxLength: 20 }),
        (delays, steps) => {
          const clock = new VirtualClock();
          const fired: Array<{ due: number; at: number }> = [];
          for (const d of delays) clock.setTimer(d, () => fired.push({ due: d, at: clock.now() }));
          for (const s of steps) clock.advance(s);
          clock.runAll();
          expect(fired).toHaveLength(delays.length);
          for (let i = 0; i < fired.length; i++) {
            const f = fired[i] as { due: number; at: number };
            expect(f.at).toBe(f.due);
            if (i > 0) expect(f.at).toBeGreaterThanOrEqual((fired[i - 1] as { at: number }).at);
          }
        },
      ),
    );
  });
});

describe('systemClock', () => {
  it('tells wall time and runs a real timer', async () => {
    const clock = systemClock();
    const start = clock.now();
    expect(Math.abs(start - Date.now())).toBeLessThan(1_000);
    await new Promise<void>((resolve) => clock.setTimer(5, resolve));
    expect(clock.now()).toBeGreaterThanOrEqual(start);
    let ran = false;
    clock.clearTimer(
      clock.setTimer(1, () => {
        ran = true;
      }),
    );
    await new Promise<void>((resolve) => clock.setTimer(20, resolve));
    expect(ran).toBe(false);
  });
});
