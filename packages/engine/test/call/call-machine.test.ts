import { describe, expect, it } from 'vitest';
import { type CallInput, CallPhase, type CallSnapshot, callPhases, dialing, step } from '../../src/call/call-machine';

const P = CallPhase;
const T = 1_000_000;

/** A representative snapshot of each phase. */
const SNAPSHOTS: Record<CallPhase, CallSnapshot> = {
  [P.Dialing]: dialing('hangup'),
  [P.Ringing]: { phase: P.Ringing, machineHandling: 'hangup' },
  [P.Analysing]: { phase: P.Analysing, machineHandling: 'hangup' },
  [P.Waiting]: { phase: P.Waiting, machineHandling: 'hangup', greetingEndedAt: T },
  [P.Offered]: { phase: P.Offered, machineHandling: 'hangup', greetingEndedAt: T, agent: { id: 'a1' } },
  [P.Connected]: { phase: P.Connected, machineHandling: 'hangup', greetingEndedAt: T, agent: { id: 'a1' } },
  [P.Abandoned]: { phase: P.Abandoned, machineHandling: 'hangup', greetingEndedAt: T },
  [P.WrapUp]: { phase: P.WrapUp, machineHandling: 'hangup', greetingEndedAt: T, agent: { id: 'a1' }, outcome: 'human' },
  [P.Revised]: { phase: P.Revised, machineHandling: 'hangup', greetingEndedAt: T, machine: true, revised: 'late-beep' },
  [P.Done]: { phase: P.Done, machineHandling: 'hangup', outcome: 'busy' },
};

/** One input of each kind. */
const INPUTS: Record<CallInput['type'], CallInput> = {
  ringing: { type: 'ringing', at: T },
  answered: { type: 'answered', at: T },
  analysed: { type: 'analysed', result: 'human', greetingEndedAt: T, at: T },
  agentReserved: { type: 'agentReserved', agentId: 'a2', at: T + 100 },
  accepted: { type: 'accepted', at: T + 300 },
  declined: { type: 'declined', at: T + 300 },
  connectFailed: { type: 'connectFailed', at: T + 300 },
  deadline: { type: 'deadline', at: T + 2_000 },
  agentLeft: { type: 'agentLeft', at: T + 500 },
  ended: { type: 'ended', outcome: 'human', at: T + 900 },
  disposition: { type: 'disposition', code: 'SAVED', at: T + 5_000 },
  revised: { type: 'revised', reason: 'late-beep', at: T + 3_000 },
};

const x = 'refused';
/** The next phase for every phase × input; `refused` = the input does not apply and changes nothing. */
const TABLE: Record<CallPhase, Record<CallInput['type'], CallPhase | typeof x>> = {
  //                ringing     answered     analysed     agentReserved accepted     declined     connectFailed deadline     agentLeft    ended      disposition
  [P.Dialing]: {
    ringing: P.Ringing,
    answered: P.Analysing,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
    revised: x,
  },
  [P.Ringing]: {
    ringing: x,
    answered: P.Analysing,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
    revised: x,
  },
  [P.Analysing]: {
    ringing: x,
    answered: x,
    analysed: P.Waiting,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
    revised: x,
  },
  [P.Waiting]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: P.Offered,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: P.Abandoned,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
    revised: P.Revised,
  },
  [P.Offered]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: x,
    accepted: P.Connected,
    declined: P.Waiting,
    connectFailed: P.Abandoned,
    deadline: P.Abandoned,
    agentLeft: P.Waiting,
    ended: P.Done,
    disposition: x,
    revised: P.Revised,
  },
  [P.Connected]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: P.Connected,
    ended: P.WrapUp,
    disposition: P.Connected,
    revised: P.Revised,
  },
  [P.Abandoned]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
    revised: x,
  },
  [P.WrapUp]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: P.WrapUp,
    ended: x,
    disposition: P.Done,
    revised: x,
  },
  [P.Revised]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: x,
    ended: P.Done,
    disposition: x,
    revised: x,
  },
  [P.Done]: {
    ringing: x,
    answered: x,
    analysed: x,
    agentReserved: x,
    accepted: x,
    declined: x,
    connectFailed: x,
    deadline: x,
    agentLeft: x,
    ended: x,
    disposition: x,
    revised: x,
  },
};

describe('call machine: every phase × every input', () => {
  for (const phase of callPhases.states) {
    for (const [type, input] of Object.entries(INPUTS)) {
      const expected = TABLE[phase][type as CallInput['type']];
      it(`${phase} + ${type} → ${expected}`, () => {
        const before = SNAPSHOTS[phase];
        const result = step(before, input);
        if (expected === x) {
          expect(result.refused).toMatch(new RegExp(`${phase}.*${type}`));
          expect(result.snapshot).toBe(before);
          expect(result.effects).toEqual([]);
        } else {
          expect(result.refused).toBeUndefined();
          expect(result.snapshot.phase).toBe(expected);
          // every move the machine makes is a legal one of its lifecycle
          if (expected !== phase) expect(callPhases.can(phase, expected)).toBe(true);
        }
      });
    }
  }
});

describe('call machine: what each move does', () => {
  it('a live answer waits with its 2-second deadline armed and asks for an agent', () => {
    const { snapshot, effects } = step(SNAPSHOTS[P.Analysing], INPUTS.analysed);
    expect(snapshot.greetingEndedAt).toBe(T);
    expect(effects).toEqual([{ type: 'startDeadline', at: T + 2_000 }, { type: 'findAgent' }]);
  });

  it('a machine is hung up (after its message when the campaign says so), and not offered to agents', () => {
    const machine = { type: 'analysed', result: 'machine', greetingEndedAt: T, at: T } as const;
    expect(step(SNAPSHOTS[P.Analysing], machine).effects).toEqual([{ type: 'hangup' }]);
    const leaving = step({ ...SNAPSHOTS[P.Analysing], machineHandling: 'message' }, machine);
    expect(leaving.effects).toEqual([{ type: 'playMessage', message: 'machine-message' }, { type: 'hangup' }]);
    expect(step(leaving.snapshot, INPUTS.analysed).refused).toBeDefined();
    expect(step({ ...SNAPSHOTS[P.Analysing], machineHandling: 'agent' }, machine).snapshot.phase).toBe(P.Waiting);
  });

  it('the deadline abandons with the safe-harbour message and counts the live answer as abandoned', () => {
    const { effects } = step(SNAPSHOTS[P.Waiting], INPUTS.deadline);
    expect(effects.map((e) => e.type)).toEqual(['clearDeadline', 'playMessage', 'liveAnswer', 'abandoned', 'hangup']);
    expect(effects).toContainEqual({ type: 'liveAnswer', abandoned: true });
  });

  it('an offered call that times out gives its agent back first', () => {
    const { snapshot, effects } = step(SNAPSHOTS[P.Offered], INPUTS.deadline);
    expect(effects[0]).toEqual({ type: 'releaseAgent', agentId: 'a1' });
    expect(snapshot.agent).toBeUndefined();
  });

  it('a caller who hangs up while waiting is an abandoned live answer without the message', () => {
    const { effects } = step(SNAPSHOTS[P.Waiting], INPUTS.ended);
    expect(effects).toContainEqual({ type: 'abandoned', messagePlayed: false });
    expect(effects).toContainEqual({ type: 'recycle', abandoned: true });
    expect(effects.filter((e) => e.type === 'ended')).toHaveLength(1);
  });

  it('connects with the latency from the greeting end, and sends the agent to wrap-up when the call ends', () => {
    const connected = step(SNAPSHOTS[P.Offered], INPUTS.accepted);
    expect(connected.effects).toContainEqual({ type: 'connected', agentId: 'a1', latencyMs: 300 });
    const ended = step(connected.snapshot, INPUTS.ended);
    expect(ended.effects).toEqual([{ type: 'ended' }, { type: 'agentToWrapUp', agentId: 'a1' }]);
    const done = step(ended.snapshot, INPUTS.disposition);
    expect(done.effects).toEqual([{ type: 'finishDisposition', code: 'SAVED', agentId: 'a1' }]);
  });

  it('an agent who leaves mid-call: hang up, then the engine dispositions', () => {
    const left = step(SNAPSHOTS[P.Connected], INPUTS.agentLeft);
    expect(left.effects).toEqual([{ type: 'hangup' }]);
    expect(step(left.snapshot, INPUTS.agentLeft).refused).toBeDefined();
    expect(step(left.snapshot, INPUTS.ended).effects).toEqual([{ type: 'ended' }, { type: 'autoDisposition' }]);
  });

  it('an agent who dispositions before the call ended: hang up, then wrap-up and the disposition at the end, once', () => {
    const asked = step(SNAPSHOTS[P.Connected], { type: 'disposition', code: 'SAVED', data: { agentNext: 'not-ready' }, at: T + 800 });
    expect(asked.effects).toEqual([{ type: 'hangup' }]);
    expect(asked.snapshot.phase).toBe(P.Connected);
    expect(step(asked.snapshot, INPUTS.disposition).refused).toBeDefined(); // a second one is refused
    const ended = step(asked.snapshot, INPUTS.ended);
    expect(ended.snapshot.phase).toBe(P.Done);
    expect(ended.snapshot.pendingDisposition).toBeUndefined();
    expect(ended.effects).toEqual([
      { type: 'ended' },
      { type: 'agentToWrapUp', agentId: 'a1' },
      { type: 'finishDisposition', code: 'SAVED', data: { agentNext: 'not-ready' }, agentId: 'a1' },
    ]);
  });

  it('an acceptance that arrives after the deadline, before its timer ran, abandons like the deadline and gives the agent back', () => {
    const late = step(SNAPSHOTS[P.Offered], { type: 'accepted', at: T + 2_001 });
    expect(late.snapshot.phase).toBe(P.Abandoned);
    expect(late.effects).toContainEqual({ type: 'releaseAgent', agentId: 'a1' });
    expect(late.effects).toContainEqual({ type: 'liveAnswer', abandoned: true });
    expect(late.effects.some((e) => e.type === 'connected')).toBe(false);
    const onTime = step(SNAPSHOTS[P.Offered], { type: 'accepted', at: T + 2_000 });
    expect(onTime.snapshot.phase).toBe(P.Connected);
    expect(onTime.effects).toContainEqual({ type: 'connected', agentId: 'a1', latencyMs: 2_000 });
  });

  it('an audio path that fails to bridge abandons at once with the message, and gives the agent back', () => {
    const { snapshot, effects } = step(SNAPSHOTS[P.Offered], INPUTS.connectFailed);
    expect(snapshot.phase).toBe(P.Abandoned);
    expect(effects.map((e) => e.type)).toEqual(['releaseAgent', 'clearDeadline', 'playMessage', 'liveAnswer', 'abandoned', 'hangup']);
  });

  it('a trunk failure before the carrier (`trunk-unavailable:`) hands the contact back instead of recycling it', () => {
    for (const phase of [P.Dialing, P.Ringing]) {
      const down = step(SNAPSHOTS[phase], { type: 'ended', outcome: 'failed', cause: 'trunk-unavailable:timer-b', at: T });
      expect(down.effects).toEqual([{ type: 'ended' }, { type: 'handBack' }]);
      const carrier = step(SNAPSHOTS[phase], { type: 'ended', outcome: 'failed', cause: 'sip:403', at: T });
      expect(carrier.effects).toEqual([{ type: 'ended' }, { type: 'recycle', abandoned: false }]);
    }
  });

  it('issue-17: a connected call revised to a machine frees its agent at once, leaves the message after the beep, hangs up, and recycles at its end', () => {
    const connected = { ...SNAPSHOTS[P.Connected], machineHandling: 'message' as const };
    const revised = step(connected, INPUTS.revised);
    expect(revised.snapshot).toMatchObject({ phase: P.Revised, machine: true, revised: 'late-beep' });
    expect(revised.snapshot.agent).toBeUndefined();
    expect(revised.effects).toEqual([
      { type: 'machineFound', reason: 'late-beep', countedLive: true },
      { type: 'freeAgent', agentId: 'a1', reason: 'late-beep' },
      { type: 'playMessage', message: 'machine-message' },
      { type: 'hangup' },
    ]);
    expect(step(revised.snapshot, INPUTS.revised).refused).toBeDefined(); // once
    expect(step(revised.snapshot, INPUTS.disposition).refused).toBeDefined(); // no disposition owed
    expect(step(revised.snapshot, { type: 'ended', outcome: 'machine', at: T + 4_000 }).effects).toEqual([
      { type: 'ended' },
      { type: 'recycle', abandoned: false },
    ]);
  });

  it('issue-17: a waiting or offered live answer revised to a machine is hung up, its deadline cleared and its agent given back, and never counted live', () => {
    const waiting = step(SNAPSHOTS[P.Waiting], INPUTS.revised);
    expect(waiting.effects).toEqual([
      { type: 'machineFound', reason: 'late-beep', countedLive: false },
      { type: 'clearDeadline' },
      { type: 'hangup' },
    ]);
    const offered = step(SNAPSHOTS[P.Offered], INPUTS.revised);
    expect(offered.effects.map((e) => e.type)).toEqual(['machineFound', 'releaseAgent', 'clearDeadline', 'hangup']);
    expect(step(offered.snapshot, INPUTS.deadline).refused).toBeDefined();
    expect(step(offered.snapshot, INPUTS.accepted).refused).toBeDefined();
  });

  it("issue-17: with 'agent' handling a revision is only counted; another node's agent is freed like this node's (through its node)", () => {
    const agentHandling = step({ ...SNAPSHOTS[P.Connected], machineHandling: 'agent' }, INPUTS.revised);
    expect(agentHandling.snapshot.phase).toBe(P.Connected);
    expect(agentHandling.effects).toEqual([{ type: 'machineFound', reason: 'late-beep', countedLive: true }]);
    expect(step(agentHandling.snapshot, INPUTS.revised).refused).toBeDefined();
    const remote = step({ ...SNAPSHOTS[P.Connected], agent: { id: 'a1', node: 'n2' } }, INPUTS.revised);
    expect(remote.snapshot.phase).toBe(P.Revised);
    expect(remote.snapshot.agent).toBeUndefined();
    expect(remote.effects).toEqual([
      { type: 'machineFound', reason: 'late-beep', countedLive: true },
      { type: 'freeAgent', agentId: 'a1', node: 'n2', reason: 'late-beep' },
      { type: 'hangup' },
    ]);
    // a call already being hung up for a disposition is not revised
    const asked = step(SNAPSHOTS[P.Connected], INPUTS.disposition).snapshot;
    expect(step(asked, INPUTS.revised).refused).toBeDefined();
  });
});
