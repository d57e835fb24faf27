import type { Issue } from '@paceline/core';
import Type, { type Static } from 'typebox';

/** A scalar a condition compares against. */
export const ConditionScalarSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], {
  expected: 'a string, number, boolean or null',
});
/** A scalar a condition compares against. */
export type ConditionScalar = Static<typeof ConditionScalarSchema>;

/** The comparison operators of the condition language. */
export const CONDITION_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'contains', 'exists'] as const;
/** A comparison operator. */
export type ConditionOp = (typeof CONDITION_OPS)[number];

/**
 * The condition language, as data (never code, so a campaign manager's file cannot run
 * anything): `{ all: [...] }`, `{ any: [...] }`, `{ not: c }`, or a comparison
 * `{ field: 'profile.tenureMonths', op: 'gte', value: 24 }`. Fields are dotted paths rooted
 * at `profile.` (the customer profile) or `answers.` (a script's answers so far).
 */
export const ConditionSchema = Type.Cyclic(
  {
    Condition: Type.Union(
      [
        Type.Object({ all: Type.Array(Type.Ref('Condition'), { minItems: 1 }) }, { additionalProperties: false }),
        Type.Object({ any: Type.Array(Type.Ref('Condition'), { minItems: 1 }) }, { additionalProperties: false }),
        Type.Object({ not: Type.Ref('Condition') }, { additionalProperties: false }),
        Type.Object(
          {
            field: Type.String({ minLength: 1 }),
            op: Type.Enum([...CONDITION_OPS]),
            value: Type.Optional(Type.Union([ConditionScalarSchema, Type.Array(ConditionScalarSchema)])),
          },
          { additionalProperties: false },
        ),
      ],
      {
        expected: 'a condition: { all: [...] }, { any: [...] }, { not: ... } or { field, op, value }',
      },
    ),
  },
  'Condition',
);

/** A condition over the profile and answers (see {@link ConditionSchema}). */
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly field: string; readonly op: ConditionOp; readonly value?: ConditionScalar | readonly ConditionScalar[] };

/** The values a condition reads: `profile.*` and `answers.*` (and anything else the caller roots). */
export type ConditionScope = Readonly<Record<string, unknown>>;

/** Read a dotted path (`profile.attributes.plan`) from a scope; `undefined` when any part is absent. */
export function readPath(scope: ConditionScope, path: string): unknown {
  let node: unknown = scope;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Evaluate a condition. A comparison on an absent field is false (whatever the operator,
 * except `exists`), so `not` is the way to say "absent or different".
 */
export function evaluateCondition(condition: Condition, scope: ConditionScope): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, scope));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, scope));
  if ('not' in condition) return !evaluateCondition(condition.not, scope);
  const actual = readPath(scope, condition.field);
  if (condition.op === 'exists') return (actual !== undefined && actual !== null) === (condition.value ?? true);
  if (actual === undefined) return false;
  const expected = condition.value;
  switch (condition.op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case 'lte':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case 'gte':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual as ConditionScalar);
    case 'notIn':
      return Array.isArray(expected) && !expected.includes(actual as ConditionScalar);
    case 'contains':
      return Array.isArray(actual) && actual.includes(expected);
  }
}

/** What a field path names, for checking a condition before it runs. */
export interface FieldInfo {
  /** The kind of value at the path. */
  readonly type: 'string' | 'number' | 'boolean' | 'string[]' | 'any';
  /** For enumerations and choice answers: the only values it can take. */
  readonly values?: readonly string[];
}

/** Look up a field path; returns the field, or an error message naming what is known. */
export type FieldResolver = (path: string) => FieldInfo | string;

/**
 * Check a condition before it runs: every field is known to `resolve`, every operator has a
 * value of the right shape, and enumerated fields are compared with values they can take.
 */
export function conditionIssues(condition: Condition, path: string, resolve: FieldResolver): Issue[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => conditionIssues(c, `${path}.all[${i}]`, resolve));
  if ('any' in condition) return condition.any.flatMap((c, i) => conditionIssues(c, `${path}.any[${i}]`, resolve));
  if ('not' in condition) return conditionIssues(condition.not, `${path}.not`, resolve);
  const field = resolve(condition.field);
  if (typeof field === 'string') return [{ path: `${path}.field`, message: field }];
  const { op, value } = condition;
  const issue = (message: string): Issue[] => [{ path: `${path}.value`, message }];
  switch (op) {
    case 'exists':
      return value === undefined || typeof value === 'boolean'
        ? []
        : issue(`"exists" takes true, false or no value, got ${JSON.stringify(value)}`);
    case 'in':
    case 'notIn':
      if (!Array.isArray(value)) return issue(`"${op}" takes a list of values, e.g. ["price", "moving"]`);
      return value.flatMap((v) => valueIssues(field, v, `${path}.value`));
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      if (typeof value !== 'number') return issue(`"${op}" takes a number, got ${JSON.stringify(value ?? null)}`);
      return field.type === 'number' || field.type === 'any'
        ? []
        : issue(`"${op}" compares numbers but ${condition.field} is a ${field.type}`);
    case 'contains':
      if (field.type !== 'string[]' && field.type !== 'any')
        return issue(`"contains" reads a list but ${condition.field} is a ${field.type}`);
      return value === undefined || Array.isArray(value) ? issue('"contains" takes one value') : [];
    case 'eq':
    case 'ne':
      if (value === undefined || Array.isArray(value)) return issue(`"${op}" takes one value; use "in" for a list`);
      return valueIssues(field, value, `${path}.value`);
  }
}

function valueIssues(field: FieldInfo, value: unknown, path: string): Issue[] {
  if (field.values && typeof value === 'string' && !field.values.includes(value)) {
    return [{ path, message: `expected one of ${field.values.map((v) => `"${v}"`).join(', ')}, got "${value}"` }];
  }
  return [];
}
