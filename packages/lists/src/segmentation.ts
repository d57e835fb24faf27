import { type Contact, createParser, type Issue } from '@paceline/core';
import Type, { type Static } from 'typebox';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

/** One condition on a profile attribute (`tenureMonths >= 24`, `valueTier in [gold, platinum]`). */
export const ConditionSchema = Type.Object(
  {
    attribute: Type.String({ minLength: 1 }),
    op: Type.Enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'missing'] as const, {
      expected: 'one of "eq", "ne", "gt", "gte", "lt", "lte", "in", "exists", "missing"',
    }),
    value: Type.Optional(Type.Union([Scalar, Type.Array(Scalar)])),
  },
  { additionalProperties: false },
);
/** A condition on a profile attribute. */
export type Condition = Static<typeof ConditionSchema>;

/** A segment: contacts matching every condition, ordered by attributes, given a priority. */
export const SegmentSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    where: Type.Array(ConditionSchema, { default: [] }),
    /** Order within the segment: attributes, descending by default (highest value first). */
    orderBy: Type.Array(
      Type.Object(
        { attribute: Type.String({ minLength: 1 }), direction: Type.Enum(['asc', 'desc'] as const, { default: 'desc' }) },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    /** Contact priority given to members (higher is called sooner in the hopper). */
    priority: Type.Integer(),
  },
  { additionalProperties: false },
);
/** A validated segment. */
export type Segment = Static<typeof SegmentSchema>;

const parseOne = createParser<Segment>(SegmentSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'segment',
  refine: (s) => conditionIssues('segment', s.where),
});

function conditionIssues(root: string, where: readonly Condition[]): Issue[] {
  const issues: Issue[] = [];
  where.forEach((c, i) => {
    const path = `${root}.where[${i}].value`;
    if (c.op === 'in' && !Array.isArray(c.value)) issues.push({ path, message: 'expected a list of values for "in"' });
    else if ((c.op === 'exists' || c.op === 'missing') && c.value !== undefined) issues.push({ path, message: `"${c.op}" takes no value` });
    else if (c.op !== 'in' && c.op !== 'exists' && c.op !== 'missing' && (c.value === undefined || Array.isArray(c.value))) {
      issues.push({ path, message: `expected one value for "${c.op}"` });
    }
    if ((c.op === 'gt' || c.op === 'gte' || c.op === 'lt' || c.op === 'lte') && typeof c.value === 'boolean') {
      issues.push({ path, message: 'expected a number or string to compare with' });
    }
  });
  return issues;
}

/**
 * Validate segment definitions; a bad one is refused whole (`E_INVALID_CONFIG`, with the
 * path of every problem, e.g. `segments[1].where[0].value`).
 */
export function parseSegments(input: readonly unknown[]): Segment[] {
  return input.map((s, i) => {
    try {
      return parseOne(s);
    } catch (error) {
      if (error instanceof Error && 'code' in error) error.message = error.message.replaceAll('segment', `segments[${i}]`);
      throw error;
    }
  });
}

type Value = string | number | boolean | null | undefined;

function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** True when `contact` satisfies `condition`. */
export function matches(contact: Pick<Contact, 'profile'>, condition: Condition): boolean {
  const v = contact.profile[condition.attribute];
  const want = condition.value;
  switch (condition.op) {
    case 'exists':
      return v !== undefined && v !== null;
    case 'missing':
      return v === undefined || v === null;
    case 'in':
      return Array.isArray(want) && want.some((w) => w === v);
    case 'eq':
      return v === want;
    case 'ne':
      return v !== want;
    default: {
      if (v === undefined || v === null || Array.isArray(want) || want === undefined || typeof v !== typeof want) return false;
      const c = compare(v, want);
      return condition.op === 'gt' ? c > 0 : condition.op === 'gte' ? c >= 0 : condition.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/** Contacts matching every condition of `segment`, in its order (stable). */
export function filterSegment<C extends Pick<Contact, 'profile'>>(contacts: readonly C[], segment: Segment): C[] {
  const members = contacts.filter((c) => segment.where.every((w) => matches(c, w)));
  if (segment.orderBy.length === 0) return members;
  return members
    .map((c, i) => ({ c, i }))
    .sort((x, y) => {
      for (const o of segment.orderBy) {
        const d = compare(x.c.profile[o.attribute], y.c.profile[o.attribute]);
        if (d !== 0) return o.direction === 'asc' ? d : -d;
      }
      return x.i - y.i;
    })
    .map((e) => e.c);
}

/**
 * Prioritise contacts by segments: each contact takes the priority of the first segment it
 * matches (contacts in no segment keep theirs, or are dropped with `dropUnmatched`). Returns
 * new contacts in calling order: segment by segment, each in its own order, then the rest.
 * The retention drive: `[{ id: 'vip', where: [{ attribute: 'valueTier', op: 'in', value:
 * ['gold'] }, { attribute: 'tenureMonths', op: 'gte', value: 24 }], orderBy: [{ attribute:
 * 'spend' }], priority: 100 }]`.
 */
export function applySegments(
  contacts: readonly Contact[],
  segments: readonly Segment[],
  options: { dropUnmatched?: boolean } = {},
): Contact[] {
  const taken = new Set<Contact>();
  const out: Contact[] = [];
  for (const segment of segments) {
    for (const c of filterSegment(contacts, segment)) {
      if (taken.has(c)) continue;
      taken.add(c);
      out.push({ ...c, priority: segment.priority });
    }
  }
  if (!options.dropUnmatched) for (const c of contacts) if (!taken.has(c)) out.push(c);
  return out;
}
