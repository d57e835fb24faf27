import { parseContact } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { applySegments, parseSegments } from '../src/index';

const people = [
  { id: 'a', tenureMonths: 60, spend: 900, valueTier: 'gold' },
  { id: 'b', tenureMonths: 12, spend: 2000, valueTier: 'gold' },
  { id: 'c', tenureMonths: 36, spend: 1500, valueTier: 'platinum' },
  { id: 'd', tenureMonths: 80, spend: 100, valueTier: 'bronze' },
].map(({ id, ...profile }) => parseContact({ id, phones: [{ number: `+121255501${id.charCodeAt(0)}` }], profile }));

describe('segmentation', () => {
  it('calls high-value, long-tenure customers first, best spenders first', () => {
    const segments = parseSegments([
      {
        id: 'vip',
        where: [
          { attribute: 'valueTier', op: 'in', value: ['gold', 'platinum'] },
          { attribute: 'tenureMonths', op: 'gte', value: 24 },
        ],
        orderBy: [{ attribute: 'spend' }],
        priority: 100,
      },
      { id: 'rest-gold', where: [{ attribute: 'valueTier', op: 'eq', value: 'gold' }], priority: 50 },
    ]);
    const ordered = applySegments(people, segments);
    expect(ordered.map((c) => `${c.id}:${c.priority}`)).toEqual(['c:100', 'a:100', 'b:50', 'd:0']);
    expect(applySegments(people, segments, { dropUnmatched: true }).map((c) => c.id)).toEqual(['c', 'a', 'b']);
    expect(people[0]?.priority).toBe(0); // inputs are not mutated
  });

  it('refuses a bad segment whole, naming the path', () => {
    expect(() => parseSegments([{ id: 'x', where: [{ attribute: 'tier', op: 'in', value: 'gold' }], priority: 1 }])).toThrow(
      /segments\[0\]\.where\[0\]\.value/,
    );
    expect(() => parseSegments([{ id: 'x', where: [{ attribute: 'tier', op: 'like' }], priority: 1 }])).toThrow(
      /segments\[0\]\.where\[0\]\.op/,
    );
  });
});
