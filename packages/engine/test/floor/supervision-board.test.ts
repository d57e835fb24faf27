import { TypedEmitter, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import type { CallOffer, DialerEvents } from '../../src/events';
import { type CallSupervisor, SupervisionBoard, type SupervisionMode } from '../../src/floor/supervision';

function setup() {
  const clock = new VirtualClock(1_000);
  const events = new TypedEmitter<DialerEvents>({
    onListenerError: (e) => {
      throw e;
    },
  });
  const on = new Map<string, { callId: string; mode: SupervisionMode }>();
  const supervisor: CallSupervisor = {
    supervise: async (callId, supervisorId, mode) => void on.set(supervisorId, { callId, mode }),
    setMode: async (supervisorId, mode) => {
      const current = on.get(supervisorId);
      if (current) on.set(supervisorId, { ...current, mode });
    },
    leave: async (supervisorId) => void on.delete(supervisorId),
    sessions: () => [...on].map(([supervisorId, s]) => ({ supervisorId, ...s })),
  };
  const board = new SupervisionBoard({ dialer: { on: (e, l) => events.on(e, l) }, supervisor, clock });
  const connect = (callId: string, agentId: string) =>
    events.emit('connected', { campaignId: 'c1', callId, agentId, latencyMs: 50 } as unknown as CallOffer);
  return { clock, events, board, connect };
}

describe('SupervisionBoard', () => {
  it('lists connected calls oldest first with their supervisors, and forgets ended ones', async () => {
    const { clock, events, board, connect } = setup();
    connect('call-1', 'ana');
    clock.advance(5_000);
    connect('call-2', 'ben');
    await board.join('call-2', 'sam', 'barge');
    expect(board.calls()).toEqual([
      { callId: 'call-1', campaignId: 'c1', agentId: 'ana', connectedAt: 1_000, supervisors: [] },
      { callId: 'call-2', campaignId: 'c1', agentId: 'ben', connectedAt: 6_000, supervisors: [{ supervisorId: 'sam', mode: 'barge' }] },
    ]);
    events.emit('ended', { campaignId: 'c1', callId: 'call-1', outcome: 'completed', at: 7_000 } as never);
    expect(board.calls().map((c) => c.callId)).toEqual(['call-2']);
    board.close();
    connect('call-3', 'cat');
    expect(board.calls().map((c) => c.callId)).toEqual(['call-2']);
  });

  it('refuses a bad mode, a blank supervisor and a call with no agent, naming the field', async () => {
    const { board, connect } = setup();
    connect('call-1', 'ana');
    await expect(board.join('call-1', 'sam', 'shout')).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      message: 'mode: expected one of listen, whisper, barge, got "shout"',
    });
    await expect(board.join('call-1', ' ', 'listen')).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      message: expect.stringContaining('supervisorId'),
    });
    await expect(board.join('call-9', 'sam', 'listen')).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('call-9'),
    });
    await expect(board.setMode('sam', 42)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });
});
