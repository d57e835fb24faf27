import type { Random } from '@paceline/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { DialerDeps } from '../src/index';

describe('DialerDeps', () => {
  it('takes its randomness (AMD listen-back sampling) and time injected', () => {
    expectTypeOf<DialerDeps['random']>().toEqualTypeOf<Random | undefined>();
    expectTypeOf<DialerDeps>().toHaveProperty('clock');
  });
});
