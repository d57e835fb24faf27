import { describe, expect, it } from 'vitest';
import { parseRoutingRules, routeBySkills } from '../src/index';
import { errorOf, profile } from './fixtures';

describe('routeBySkills', () => {
  const rules = {
    rules: [
      {
        name: 'high-value',
        when: {
          any: [
            { field: 'profile.valueTier', op: 'in', value: ['gold', 'platinum'] },
            { field: 'profile.tenureMonths', op: 'gte', value: 60 },
          ],
        },
        skills: ['retention-specialists'],
      },
      { name: 'at-risk', when: { field: 'profile.churnRisk', op: 'gte', value: 0.6 }, skills: ['retention-specialists', 'save-desk'] },
    ],
  };

  it('sends high-value or long-tenure customers to the retention specialists', () => {
    const routing = parseRoutingRules(rules);
    expect(routeBySkills(profile({ churnRisk: 0.1 }), routing)).toEqual({ skills: ['retention-specialists'], matched: ['high-value'] });
    expect(routeBySkills(profile({ valueTier: 'bronze', tenureMonths: 72, churnRisk: 0.1 }), routing).skills).toEqual([
      'retention-specialists',
    ]);
    expect(routeBySkills(profile(), routing)).toEqual({
      skills: ['retention-specialists', 'save-desk'],
      matched: ['high-value', 'at-risk'],
    });
    expect(routeBySkills(profile({ valueTier: 'bronze', tenureMonths: 3, churnRisk: 0.1 }), routing)).toEqual({ skills: [], matched: [] });
    expect(routeBySkills(profile(), parseRoutingRules({ ...rules, match: 'first' })).matched).toEqual(['high-value']);
  });

  it('refuses a rule on an unknown field', () => {
    const error = errorOf(() =>
      parseRoutingRules({ rules: [{ name: 'x', when: { field: 'profile.spend', op: 'gt', value: 1 }, skills: ['a'] }] }),
    );
    expect(error.issues?.[0]?.path).toBe('routing.rules[0].when.field');
  });
});
