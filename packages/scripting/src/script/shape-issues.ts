import { createParser, describe, type Issue, isPacelineError, type Parser } from '@paceline/core';
import type { TSchema } from 'typebox';
import Type from 'typebox';
import { ANSWER_SCHEMAS, STEP_SCHEMAS } from './script-schema';

type Tagged = Readonly<Record<string, TSchema>>;

function parsersOf(schemas: Tagged): Map<string, Parser<unknown>> {
  return new Map(
    Object.entries(schemas).map(([tag, schema]) => [tag, createParser<unknown>(schema, { code: 'E_INVALID_INPUT', root: '$' })]),
  );
}

const stepParsers = parsersOf(STEP_SCHEMAS);
const answerParsers = parsersOf(ANSWER_SCHEMAS);

/** The object-level fields of a script, with steps left to {@link stepShapeIssues}. */
const scriptShell = createParser<unknown>(
  Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength: 128 }),
      name: Type.String({ minLength: 1, maxLength: 200, expected: 'a name of 1 to 200 characters' }),
      version: Type.Optional(Type.Integer({ minimum: 1 })),
      start: Type.String({ minLength: 1 }),
      steps: Type.Array(Type.Unknown(), { minItems: 1, expected: 'at least one step' }),
    },
    { additionalProperties: false },
  ),
  { code: 'E_INVALID_INPUT', root: '$' },
);

function issuesOfParse(parse: Parser<unknown>, value: unknown, path: string): Issue[] {
  try {
    parse(value);
    return [];
  } catch (error) {
    if (!isPacelineError(error)) throw error;
    return error.issues.map((i) => ({ path: path + i.path.slice(1), message: i.message }));
  }
}

/** Validate a value of a tagged union by its tag only, so an error names one branch's fields, not every branch's. */
function taggedIssues(value: unknown, path: string, tagField: string, parsers: ReadonlyMap<string, Parser<unknown>>): Issue[] {
  const tag = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[tagField] : undefined;
  const parser = typeof tag === 'string' ? parsers.get(tag) : undefined;
  if (!parser) {
    const known = [...parsers.keys()].map((k) => `"${k}"`).join(', ');
    return [{ path: `${path}.${tagField}`, message: `expected one of ${known}, got ${describe(tag)}` }];
  }
  return issuesOfParse(parser, value, path);
}

function answerPaths(step: Record<string, unknown>): string[] {
  if (step.kind === 'ask') return ['answer'];
  if (step.kind === 'capture' && Array.isArray(step.fields)) return step.fields.map((_, j) => `fields[${j}].answer`);
  return [];
}

function at(value: Record<string, unknown>, path: string): unknown {
  let node: unknown = value;
  for (const part of path.split(/[.[\]]+/).filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/**
 * Shape problems of a script input, told apart by step `kind` and answer `type` so each is
 * reported once at its own path (`script.steps[1].answer.type: expected one of …`), rather
 * than once per union branch.
 */
export function scriptShapeIssues(input: unknown): Issue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return issuesOfParse(scriptShell, input, 'script');
  const issues = issuesOfParse(scriptShell, input, 'script');
  const steps = (input as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return issues;
  steps.forEach((step, i) => {
    const path = `script.steps[${i}]`;
    const own = taggedIssues(step, path, 'kind', stepParsers);
    if (typeof step !== 'object' || step === null || own.length === 0) {
      issues.push(...own);
      return;
    }
    const answers = answerPaths(step as Record<string, unknown>);
    const answerIssues = answers.flatMap((a) => {
      const value = at(step as Record<string, unknown>, a);
      return value === undefined ? [] : taggedIssues(value, `${path}.${a}`, 'type', answerParsers);
    });
    // The step's own check repeats every answer branch's complaint; keep the tagged ones.
    const present = answers.filter((a) => at(step as Record<string, unknown>, a) !== undefined).map((a) => `${path}.${a}`);
    const covered = (p: string) => present.some((a) => p === a || p.startsWith(`${a}.`) || p.startsWith(`${a}[`));
    issues.push(...own.filter((x) => !covered(x.path)), ...answerIssues);
  });
  return issues;
}
