import { isPacelineError, parseInboundConfig, seededRandom, VirtualClock } from '@paceline/core';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createDialer } from '../../src/index';

const issues = (input: unknown) => {
  try {
    parseInboundConfig(input);
  } catch (error) {
    if (isPacelineError(error, 'E_INVALID_CONFIG')) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
};

describe('inbound configuration', () => {
  it('applies defaults: 80% in 20 s, no skills, priority 0, caller IDs accepted', () => {
    const config = parseInboundConfig({ queues: [{ id: 'service', numbers: ['+12125550199'] }] });
    expect(config.queues[0]).toMatchObject({ serviceLevel: { fraction: 0.8, answerSeconds: 20 }, skills: [], priority: 0, messages: [] });
    expect(config.acceptCampaignCallerIds).toBe(true);
  });

  it('names the field of every problem', () => {
    expect(issues({ queues: [] })).toEqual([expect.stringMatching(/^inbound\.queues: /)]);
    expect(issues({ queues: [{ id: 'a', numbers: ['0207 123'] }] })).toEqual([
      expect.stringMatching(/^inbound\.queues\[0\]\.numbers\[0\]: /),
    ]);
    expect(issues({ queues: [{ id: 'a', serviceLevel: { fraction: 80 } }] })).toEqual([
      expect.stringMatching(/^inbound\.queues\[0\]\.serviceLevel\.fraction: .*fraction between 0 and 1/),
    ]);
    expect(
      issues({
        queues: [
          { id: 'a', numbers: ['+12125550199'], overflow: { afterSeconds: 60, queueId: 'nope' } },
          { id: 'a', numbers: ['+12125550199'], overflow: { afterSeconds: 60, queueId: 'a' } },
        ],
        returnedCallsQueue: 'zz',
      }),
    ).toEqual([
      'inbound.queues[1].id: queue id "a" is used twice; give each queue its own id',
      'inbound.queues[0].overflow.queueId: no queue "nope"; overflow to one of a',
      'inbound.queues[1].overflow.queueId: a queue cannot overflow to itself',
      'inbound.returnedCallsQueue: no queue "zz"; use one of a',
    ]);
    expect(
      issues({
        queues: [
          { id: 'a', numbers: ['+12125550199'] },
          { id: 'b', numbers: ['+12125550199'] },
        ],
      }),
    ).toEqual(['inbound.queues[1].numbers[0]: number is already answered by queue "a"; a number belongs to one queue']);
  });

  it('createDialer refuses inbound on a trunk without the inbound half, and bad blend tuning, naming the field', () => {
    const clock = new VirtualClock(0);
    const trunk = createSimTrunk({
      clock,
      random: seededRandom(1),
      model: scriptedOutcomeModel({}, { outcome: 'busy', resolveAfterMs: 1 }),
    });
    const bare = {
      originate: trunk.originate.bind(trunk),
      hangup: trunk.hangup.bind(trunk),
      playMessage: trunk.playMessage.bind(trunk),
      onEvent: trunk.onEvent.bind(trunk),
      close: trunk.close.bind(trunk),
    };
    expect(() => createDialer({ trunk: bare, clock, inbound: { queues: [{ id: 'q' }] } })).toThrow(/trunk takes no inbound calls/);
    const inboundTrunk = { ...bare, acceptInbound: () => {}, answer: async () => {}, reject: async () => {} };
    expect(() => createDialer({ trunk: inboundTrunk, clock, inbound: { queues: [{ id: 'q' }], blend: { serviceLevelGoal: 2 } } })).toThrow(
      /blend\.serviceLevelGoal/,
    );
    expect(() => createDialer({ trunk: inboundTrunk, clock, inbound: { queues: [{ id: 'q', priority: 1.5 }] } })).toThrow(
      /inbound\.queues\[0\]\.priority/,
    );
  });
});
