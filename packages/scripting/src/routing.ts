import { createParser, type Issue } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { type Condition, ConditionSchema, conditionIssues, evaluateCondition } from './condition';
import type { CustomerProfile } from './profile';
import { profileField } from './profile-fields';

/** One routing rule: customers matching `when` need agents with `skills`. */
export const RoutingRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    when: ConditionSchema,
    skills: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
/** A routing rule. */
export type RoutingRule = Static<typeof RoutingRuleSchema>;

/** A campaign's routing rules, in order. */
export const RoutingRulesSchema = Type.Object(
  {
    rules: Type.Array(RoutingRuleSchema, { default: [] }),
    /** `all` (default): the union of every matching rule's skills; `first`: the first match only. */
    match: Type.Union([Type.Literal('all'), Type.Literal('first')], { default: 'all' }),
  },
  { additionalProperties: false },
);
/** Validated routing rules. */
export type RoutingRules = Static<typeof RoutingRulesSchema>;

/** Parse routing rules; conditions may name only `profile.*` fields. Throws `E_INVALID_INPUT`. */
export const parseRoutingRules = createParser<RoutingRules>(RoutingRulesSchema, {
  code: 'E_INVALID_INPUT',
  root: 'routing',
  refine: (r) => r.rules.flatMap((rule, i): Issue[] => conditionIssues(rule.when as Condition, `routing.rules[${i}].when`, profileField)),
});

/** The skills a call needs and the rules that asked for them. */
export interface RoutingDecision {
  readonly skills: readonly string[];
  readonly matched: readonly string[];
}

/**
 * Route a customer to skilled agents (the manuals' pilot of blended-skill agents): e.g.
 * `{ name: 'vip', when: { any: [{ field: 'profile.valueTier', op: 'in', value: ['gold', 'platinum'] },
 * { field: 'profile.tenureMonths', op: 'gte', value: 60 }] }, skills: ['retention-specialists'] }`.
 * No match → no required skills (any agent).
 */
export function routeBySkills(profile: CustomerProfile, routing: RoutingRules): RoutingDecision {
  const skills: string[] = [];
  const matched: string[] = [];
  for (const rule of routing.rules) {
    if (!evaluateCondition(rule.when as Condition, { profile })) continue;
    matched.push(rule.name);
    for (const skill of rule.skills) if (!skills.includes(skill)) skills.push(skill);
    if (routing.match === 'first') break;
  }
  return { skills, matched };
}
