import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AgentState,
  agentLifecycle,
  CallState,
  CampaignState,
  ContactState,
  callLifecycle,
  campaignLifecycle,
  contactLifecycle,
  isCallerError,
  PacelineError,
  type StateMachine,
} from '../src/index';

const machines: Array<[string, StateMachine<string>]> = [
  ['campaign', campaignLifecycle],
  ['contact', contactLifecycle],
  ['call', callLifecycle],
  ['agent', agentLifecycle],
];

describe.each(machines)('%s lifecycle', (_name, machine) => {
  const state = fc.constantFrom(...machine.states);

  it('accepts exactly the legal moves and throws E_ILLEGAL_TRANSITION on every other', () => {
    fc.assert(
      fc.property(state, state, (from, to) => {
        if (machine.next(from).includes(to)) {
          expect(machine.transition(from, to)).toBe(to);
          expect(machine.can(from, to)).toBe(true);
        } else {
          expect(machine.can(from, to)).toBe(false);
          let thrown: unknown;
          try {
            machine.transition(from, to, 'x-1');
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(PacelineError);
          expect((thrown as PacelineError).code).toBe('E_ILLEGAL_TRANSITION');
          expect((thrown as PacelineError).message).toContain(`cannot go from "${from}" to "${to}"`);
          expect(isCallerError(thrown)).toBe(false);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a walk of legal moves never throws', () => {
    fc.assert(
      fc.property(state, fc.array(fc.nat(), { maxLength: 50 }), (start, picks) => {
        let current = start;
        for (const pick of picks) {
          const options = machine.next(current);
          if (options.length === 0) break;
          current = machine.transition(current, options[pick % options.length] as string);
        }
        return machine.states.includes(current);
      }),
    );
  });

  it('names only known states in its table', () => {
    for (const from of machine.states) for (const to of machine.next(from)) expect(machine.states).toContain(to);
  });
});

describe('the lifecycles from the spec', () => {
  it('campaign: draft → scheduled → running ⇄ paused → completed → archived', () => {
    const path = [CampaignState.Draft, CampaignState.Scheduled, CampaignState.Running, CampaignState.Paused, CampaignState.Running];
    for (let i = 1; i < path.length; i++) expect(campaignLifecycle.can(path[i - 1] as CampaignState, path[i] as CampaignState)).toBe(true);
    expect(campaignLifecycle.can(CampaignState.Paused, CampaignState.Completed)).toBe(true);
    expect(campaignLifecycle.can(CampaignState.Stopped, CampaignState.Archived)).toBe(true);
    expect(() => campaignLifecycle.transition(CampaignState.Archived, CampaignState.Running, 'retention-q4')).toThrow(
      'campaign retention-q4 cannot go from "archived" to "running"; from "archived" it can go to: nowhere (final)',
    );
    expect(campaignLifecycle.can(CampaignState.Draft, CampaignState.Running)).toBe(false);
  });

  it('call: the happy path and the abandon path both end', () => {
    const happy = [
      CallState.Queued,
      CallState.Dialing,
      CallState.Ringing,
      CallState.Answered,
      CallState.Analysing,
      CallState.Connected,
      CallState.Ended,
    ];
    for (let i = 1; i < happy.length; i++) callLifecycle.transition(happy[i - 1] as CallState, happy[i] as CallState);
    expect(callLifecycle.can(CallState.Analysing, CallState.Abandoned)).toBe(true);
    expect(callLifecycle.can(CallState.Abandoned, CallState.Connected)).toBe(false);
    expect(callLifecycle.next(CallState.Ended)).toEqual([]);
  });

  it('agent: logout is possible from every logged-in state, mid-call included', () => {
    for (const s of agentLifecycle.states) if (s !== AgentState.LoggedOut) expect(agentLifecycle.can(s, AgentState.LoggedOut)).toBe(true);
    expect(agentLifecycle.can(AgentState.OnCall, AgentState.Ready)).toBe(false);
  });

  it('contact: a dnc contact can only come back through removal to ready', () => {
    expect(contactLifecycle.next(ContactState.Dnc)).toEqual([ContactState.Ready]);
    expect(contactLifecycle.can(ContactState.Done, ContactState.Queued)).toBe(false);
  });
});
