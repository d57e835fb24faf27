import { describe, expectTypeOf, it } from 'vitest';
import { type Campaign, type Contact, parseCampaign, parseContact, TypedEmitter } from '../src/index';

describe('public types', () => {
  it('parsers return the Static<> types', () => {
    expectTypeOf(parseCampaign).returns.toEqualTypeOf<Campaign>();
    expectTypeOf(parseContact).returns.toEqualTypeOf<Contact>();
    expectTypeOf<Campaign['dialMode']>().toEqualTypeOf<'preview' | 'progressive' | 'power' | 'predictive' | 'agentless'>();
    expectTypeOf<Campaign['pacing']['ringTimeoutMs']>().toEqualTypeOf<number>();
  });

  it('the emitter checks event names and argument tuples', () => {
    const emitter = new TypedEmitter<{ dialed: [id: string] }>();
    expectTypeOf(emitter.emit<'dialed'>).parameters.toEqualTypeOf<['dialed', string]>();
    // @ts-expect-error unknown event
    emitter.on('nope', () => {});
    // @ts-expect-error wrong argument type
    emitter.emit('dialed', 1);
  });
});
