import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type InboundEffect,
  type InboundInput,
  InboundPhase,
  type InboundSnapshot,
  inboundPhases,
  incoming,
  stepInbound,
} from '../../src/inbound/inbound-machine';

const P = InboundPhase;
const T = 1_000_000;

/** A representative snapshot of each phase. */
const SNAPSHOTS: Record<InboundPhase, InboundSnapshot> = {
  [P.Incoming]: incoming(T),
  [P.Queued]: { phase: P.Queued, arrivedAt: T, queueId: 'q1', queuedAt: T + 10 },
  [P.Offered]: { phase: P.Offered, arrivedAt: T, queueId: 'q1', queuedAt: T + 10, agentId: 'a1' },
  [P.Connected]: { phase: P.Connected, arrivedAt: T, queueId: 'q1', queuedAt: T + 10, agentId: 'a1', connectedAt: T + 500 },
  [P.WrapUp]: { phase: P.WrapUp, arrivedAt: T, queueId: 'q1', queuedAt: T + 10, agentId: 'a1', connectedAt: T + 500, endedAt: T + 9_000 },
  [P.Abandoned]: { phase: P.Abandoned, arrivedAt: T, queueId: 'q1', queuedAt: T + 10, endedAt: T + 30_000 },
  [P.Done]: { phase: P.Done, arrivedAt: T, endedAt: T + 1 },
};

/** One input of each kind. */
const INPUTS: Record<InboundInput['type'], InboundInput> = {
  accept: { type: 'accept', queueId: 'q1', at: T + 10 },
  refuse: { type: 'refuse', at: T + 10 },
  overflow: { type: 'overflow', queueId: 'q2', at: T + 60_000 },
  agentReserved: { type: 'agentReserved', agentId: 'a2', at: T + 100 },
  accepted: { type: 'accepted', at: T + 20_010 },
  declined: { type: 'declined', at: T + 300 },
  agentLeft: { type: 'agentLeft', at: T + 500 },
  ended: { type: 'ended', at: T + 15_010 },
  disposition: { type: 'disposition', code: 'SERVED', at: T + 20_000 },
};

const x = 'refused';
type Cell = InboundPhase | typeof x;
/** The next phase for every phase × input; `refused` = the input does not apply and changes nothing. */
const TABLE: Record<InboundPhase, Record<InboundInput['type'], Cell>> = {
  [P.Incoming]: {
    accept: P.Queued,
    refuse: P.Done,
    overflow: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
  },
  [P.Queued]: {
    accept: x,
    refuse: x,
    overflow: P.Queued,
    agentReserved: P.Offered,
    accepted: x,
    declined: x,
    agentLeft: x,
    ended: P.Abandoned,
    disposition: x,
  },
  [P.Offered]: {
    accept: x,
    refuse: x,
    overflow: x,
    agentReserved: x,
    accepted: P.Connected,
    declined: P.Queued,
    agentLeft: P.Queued,
    ended: P.Abandoned,
    disposition: x,
  },
  [P.Connected]: {
    accept: x,
    refuse: x,
    overflow: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    agentLeft: P.Connected,
    ended: P.WrapUp,
    disposition: x,
  },
  [P.WrapUp]: {
    accept: x,
    refuse: x,
    overflow: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    agentLeft: P.WrapUp,
    ended: x,
    disposition: P.Done,
  },
  [P.Abandoned]: { accept: x, refuse: x, overflow: x, agentReserved: x, accepted: x, declined: x, agentLeft: x, ended: x, disposition: x },
  [P.Done]: { accept: x, refuse: x, overflow: x, agentReserved: x, accepted: x, declined: x, agentLeft: x, ended: x, disposition: x },
};

const types = (effects: readonly InboundEffect[]) => effects.map((e) => e.type);

describe('the inbound call machine', () => {
  for (const phase of Object.values(P)) {
    for (const input of Object.values(INPUTS)) {
      const expected = TABLE[phase][input.type];
      it(`${phase} × ${input.type} → ${expected}`, () => {
        const before = SNAPSHOTS[phase];
        const result = stepInbound(before, input);
        if (expected === x) {
          expect(result.refused).toMatch(/takes no/);
          expect(result.snapshot).toBe(before);
          expect(result.effects).toEqual([]);
        } else {
          expect(result.refused).toBeUndefined();
          expect(result.snapshot.phase).toBe(expected);
        }
      });
    }
  }

  it('accepting answers the call, queues it and looks for an agent; waiting counts from the queue entry', () => {
    const r = stepInbound(incoming(T), { type: 'accept', queueId: 'sales', at: T + 40 });
    expect(types(r.effects)).toEqual(['answer', 'enqueue', 'findAgent']);
    expect(r.snapshot.queuedAt).toBe(T + 40);
    const offered = stepInbound(r.snapshot, { type: 'agentReserved', agentId: 'a1', at: T + 5_000 });
    const connected = stepInbound(offered.snapshot, { type: 'accepted', at: T + 5_040 });
    expect(connected.effects).toContainEqual({ type: 'connected', agentId: 'a1', waitMs: 5_000 });
  });

  it('a caller hanging up in the queue is a queue abandon with its wait, never an outbound abandon', () => {
    const r = stepInbound(SNAPSHOTS[P.Queued], { type: 'ended', at: T + 30_010 });
    expect(r.effects).toContainEqual({ type: 'abandoned', queueId: 'q1', waitMs: 30_000 });
    const offered = stepInbound(SNAPSHOTS[P.Offered], { type: 'ended', at: T + 1_010 });
    expect(types(offered.effects)).toEqual(['releaseAgent', 'dequeue', 'abandoned', 'ended']);
  });

  it('overflow moves the caller to the other queue keeping its wait; overflow to the same queue is refused', () => {
    const r = stepInbound(SNAPSHOTS[P.Queued], { type: 'overflow', queueId: 'q2', at: T + 60_000 });
    expect(r.snapshot).toMatchObject({ queueId: 'q2', queuedAt: T + 10 });
    expect(r.effects).toEqual([{ type: 'dequeue', queueId: 'q1' }, { type: 'enqueue', queueId: 'q2', from: 'q1' }, { type: 'findAgent' }]);
    expect(stepInbound(SNAPSHOTS[P.Queued], { type: 'overflow', queueId: 'q1', at: T }).refused).toBeDefined();
  });

  it('an agent who leaves mid-call hangs it up; the engine then dispositions it', () => {
    const left = stepInbound(SNAPSHOTS[P.Connected], INPUTS.agentLeft);
    expect(types(left.effects)).toEqual(['hangup']);
    const ended = stepInbound(left.snapshot, INPUTS.ended);
    expect(types(ended.effects)).toEqual(['ended', 'autoDisposition']);
  });

  it('the phase table is the lifecycle table', () => {
    for (const [from, row] of Object.entries(TABLE)) {
      for (const to of Object.values(row)) {
        if (to !== x && to !== from) expect(inboundPhases.can(from as InboundPhase, to)).toBe(true);
      }
    }
  });
});

describe('the inbound call machine under random event orders', () => {
  const anyInput = fc.oneof(fc.constantFrom<InboundInput['type']>(...(Object.keys(INPUTS) as InboundInput['type'][])).map((type) => type));
  it('reaches a final phase at most once, counts at most one abandon or one connect, and never both', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyInput, fc.nat(60_000)), { maxLength: 30 }), (events) => {
        let s = incoming(T);
        let at = T;
        let abandons = 0;
        let connects = 0;
        let answers = 0;
        let finals = 0;
        let reserved: string | undefined;
        for (const [type, gap] of events) {
          at += gap;
          const input = { ...INPUTS[type], at } as InboundInput;
          const r = stepInbound(s, input);
          if (r.refused) {
            expect(r.snapshot).toBe(s);
            continue;
          }
          for (const e of r.effects) {
            if (e.type === 'abandoned') abandons++;
            if (e.type === 'connected') connects++;
            if (e.type === 'answer') answers++;
            if (e.type === 'bridge') reserved = e.agentId;
            if (e.type === 'releaseAgent') {
              expect(e.agentId).toBe(reserved);
              reserved = undefined;
            }
            if (e.type === 'abandoned' || e.type === 'connected') expect(e.waitMs).toBeGreaterThanOrEqual(0);
          }
          const wasFinal = s.phase === P.Done || s.phase === P.Abandoned;
          expect(wasFinal).toBe(false);
          if (r.snapshot.phase === P.Done || r.snapshot.phase === P.Abandoned) finals++;
          s = r.snapshot;
        }
        expect(finals).toBeLessThanOrEqual(1);
        expect(abandons + connects).toBeLessThanOrEqual(1);
        expect(answers).toBeLessThanOrEqual(1);
        if (abandons === 1) expect(s.phase).toBe(P.Abandoned);
      }),
      { numRuns: 500 },
    );
  });
});
