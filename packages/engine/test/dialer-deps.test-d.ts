import { describe, expectTypeOf, it } from 'vitest';
import type { DialerDeps } from '../src/index';

describe('DialerDeps', () => {
  it('asks for no randomness the engine would not use', () => {
    expectTypeOf<DialerDeps>().not.toHaveProperty('random');
    expectTypeOf<DialerDeps>().toHaveProperty('clock');
  });
});
