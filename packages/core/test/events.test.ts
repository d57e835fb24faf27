import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../src/index';

type Events = { dialed: [callId: string, lines: number]; idle: [] };

describe('TypedEmitter', () => {
  it('delivers typed arguments in subscription order', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: string[] = [];
    emitter.on('dialed', (id, lines) => seen.push(`1:${id}:${lines}`));
    emitter.on('dialed', (id) => seen.push(`2:${id}`));
    emitter.emit('dialed', 'c-1', 3);
    expect(seen).toEqual(['1:c-1:3', '2:c-1']);
  });

  it('contains a throwing listener, reports it, and still runs the others', () => {
    const reported: Array<[unknown, string]> = [];
    const emitter = new TypedEmitter<Events>({ onListenerError: (error, event) => reported.push([error, event]) });
    let after = 0;
    emitter.on('idle', () => {
      throw new Error('listener bug');
    });
    emitter.on('idle', () => {
      after++;
    });
    expect(() => emitter.emit('idle')).not.toThrow();
    expect(after).toBe(1);
    expect(reported).toHaveLength(1);
    const [error, event] = reported[0] ?? [];
    expect((error as Error).message).toBe('listener bug');
    expect(event).toBe('idle');
  });

  it('survives a throwing error handler too', () => {
    const emitter = new TypedEmitter<Events>({
      onListenerError: () => {
        throw new Error('handler bug');
      },
    });
    emitter.on('idle', () => {
      throw new Error('x');
    });
    expect(() => emitter.emit('idle')).not.toThrow();
  });

  it('unsubscribes, and once fires once', () => {
    const emitter = new TypedEmitter<Events>();
    let count = 0;
    const off = emitter.on('idle', () => count++);
    emitter.once('idle', () => count++);
    emitter.emit('idle');
    off();
    emitter.emit('idle');
    expect(count).toBe(2);
    expect(emitter.listenerCount('idle')).toBe(0);
  });
});
