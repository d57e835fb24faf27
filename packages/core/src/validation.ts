import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { type ErrorCode, type Issue, PacelineError } from './errors';

/** A validation error as TypeBox reports it (the fields Paceline reads). */
interface RawError {
  readonly keyword: string;
  readonly schemaPath: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message: string;
}

/** A semantic check that runs after the schema passed; returns issues relative to the root. */
export type Refinement<T> = (value: T) => Issue[];

/**
 * A semantic check that reads only some top-level `fields`: it still runs when other fields
 * failed the schema, so one parse reports every problem (a bad dial mode and a bad time zone).
 */
export interface FieldCheck<T> {
  /** The top-level fields the check reads; it is skipped when one of them failed the schema. */
  readonly fields: readonly string[];
  readonly check: Refinement<T>;
}

/** A parser for one domain type: clones, applies defaults, validates, refines. */
export interface Parser<T> {
  /** Parse `input` into a new value, or throw one `PacelineError` listing every problem. */
  (input: unknown): T;
  /** The JSON Schema the parser validates against. */
  readonly schema: TSchema;
}

/** A {@link Parser} built from a schema by {@link createParser}, with a fast path for inputs the caller hands over. */
export interface SchemaParser<T> extends Parser<T> {
  /**
   * Parse an input the caller hands over (built for this call and shared with nothing, e.g. an
   * importer's fresh contact): the same checks, the same value and the same error as the
   * parser itself, but an input that is already complete (every defaulted field present) and
   * valid is returned as it is, not copied. Anything else goes through the copying parse.
   * The input is never mutated; the caller must not change it afterwards.
   */
  owned(input: unknown): T;
}

/**
 * Build a parser for `schema`. Never mutates the input: the value is cloned before defaults
 * are applied. Every problem is reported with its path from `root` (e.g. `campaign.pacing`).
 */
export function createParser<T>(
  schema: TSchema,
  options: {
    code: ErrorCode;
    root: string;
    normalise?: (value: T) => T;
    /** Runs only when the whole schema passed. */
    refine?: Refinement<T>;
    /** Run whenever the fields they read passed the schema. */
    checks?: readonly FieldCheck<T>[];
  },
): SchemaParser<T> {
  const validator = Compile(schema);
  // Without an optional field that has a default, a value that passes the schema has nothing
  // left for defaults to fill: it is already what the copying parse would build.
  const completeWhenValid = defaultsAreRequired(schema);
  const finish = (value: T): T => {
    const parsed = options.normalise ? options.normalise(value) : value;
    const issues = runChecks(options.checks, parsed);
    const refined = options.refine?.(parsed);
    if (refined !== undefined && refined.length > 0) issues.push(...refined);
    if (issues.length > 0) throw invalid(options.code, options.root, issues);
    return parsed;
  };
  const parse = (input: unknown): T => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new PacelineError(options.code, `${options.root}: expected an object, got ${describe(input)}`, {
        issues: [{ path: options.root, message: `expected an object, got ${describe(input)}` }],
      });
    }
    const value = Value.Default(schema, Value.Clone(input));
    if (!validator.Check(value)) {
      const errors = validator.Errors(value) as RawError[];
      const issues = toIssues(schema, value, errors, options.root);
      issues.push(...checksOnPartlyValid(value as T, failedFields(errors), options));
      throw invalid(options.code, options.root, issues);
    }
    return finish(value as T);
  };
  const owned = (input: unknown): T =>
    completeWhenValid && typeof input === 'object' && input !== null && !Array.isArray(input) && validator.Check(input)
      ? finish(input as T)
      : parse(input);
  return Object.assign(parse, { owned, schema });
}

/** Every field check's issues, in order; no array per check when they find nothing. */
function runChecks<T>(checks: readonly FieldCheck<T>[] | undefined, value: T): Issue[] {
  const issues: Issue[] = [];
  if (checks === undefined) return issues;
  for (const c of checks) {
    const found = c.check(value);
    if (found.length > 0) issues.push(...found);
  }
  return issues;
}

/**
 * True when every `default` in the schema sits on a required property (or on the root, an
 * array item or a union branch, which a valid value has): then defaults never add to a value
 * that already passes the schema.
 */
function defaultsAreRequired(schema: unknown, seen = new Set<unknown>()): boolean {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return true;
  seen.add(schema);
  const node = schema as { properties?: Record<string, unknown>; required?: readonly string[] };
  if (typeof node.properties === 'object' && node.properties !== null) {
    for (const [key, property] of Object.entries(node.properties)) {
      const hasDefault = typeof property === 'object' && property !== null && 'default' in property;
      if (hasDefault && !(node.required ?? []).includes(key)) return false;
    }
  }
  for (const child of Object.values(schema)) if (!defaultsAreRequired(child, seen)) return false;
  return true;
}

/** The top-level fields a schema error points into (or reports missing). */
function failedFields(errors: readonly RawError[]): Set<string> {
  const fields = new Set<string>();
  for (const error of errors) {
    const [first] = pointerSegments(error.instancePath);
    if (first !== undefined) fields.add(first);
    else if (error.keyword === 'required')
      for (const key of (error.params.requiredProperties as string[] | undefined) ?? []) fields.add(key);
  }
  return fields;
}

/**
 * The field checks whose fields all passed the schema, run on a value that failed it elsewhere.
 * The value is only partly valid, so a check that throws on it is skipped (its fields' schema
 * issues are reported already or it reads more than it declares).
 */
function checksOnPartlyValid<T>(
  value: T,
  failed: ReadonlySet<string>,
  options: { normalise?: (value: T) => T; checks?: readonly FieldCheck<T>[] },
): Issue[] {
  const runnable = (options.checks ?? []).filter((c) => c.fields.every((f) => !failed.has(f)));
  if (runnable.length === 0) return [];
  let normalised = value;
  try {
    normalised = options.normalise ? options.normalise(value) : value;
  } catch {
    // The normalisation reads a field that failed; the checks see the value as given.
  }
  return runnable.flatMap((c) => {
    try {
      return c.check(normalised);
    } catch {
      return [];
    }
  });
}

function invalid(code: ErrorCode, root: string, issues: readonly Issue[]): PacelineError {
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  const head = issues.length === 1 ? `invalid ${root}` : `invalid ${root} (${issues.length} problems)`;
  return new PacelineError(code, `${head}: ${lines.join('; ')}`, { issues });
}

/** Turn TypeBox errors into one issue per problem, with readable paths and expectations. */
function toIssues(schema: TSchema, value: unknown, errors: readonly RawError[], root: string): Issue[] {
  // A failed `anyOf` reports each branch too; keep only the summary for the union.
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/anyOf/`);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (unions.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    // `additionalProperties: false` also reports a "schema is false" twin per unknown key.
    if (error.keyword === 'boolean') continue;
    for (const issue of describeError(schema, value, error, root)) {
      const key = `${issue.path}\u0000${issue.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
  }
  return issues;
}

function describeError(schema: TSchema, value: unknown, error: RawError, root: string): Issue[] {
  const segments = pointerSegments(error.instancePath);
  const path = formatPath(root, segments);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params.requiredProperties as string[] | undefined) ?? [];
      return missing.map((key) => ({ path: formatPath(root, [...segments, key]), message: 'is required' }));
    }
    case 'additionalProperties': {
      const extra = (error.params.additionalProperties as string[] | undefined) ?? [];
      return extra.map((key) => ({
        path: formatPath(root, [...segments, key]),
        message: 'is not a known field (check the spelling)',
      }));
    }
    default: {
      const expected = expectationAt(schema, error.schemaPath) ?? error.message;
      const actual = valueAt(value, segments);
      return [{ path, message: `expected ${stripMust(expected)}, got ${describe(actual)}` }];
    }
  }
}

function stripMust(message: string): string {
  return message.startsWith('must be ') ? message.slice('must be '.length) : message.replace(/^must /, '');
}

/** The `expected` hint on the schema node the error points at, if any. */
function expectationAt(schema: TSchema, schemaPath: string): string | undefined {
  let node: unknown = schema;
  for (const segment of pointerSegments(schemaPath.replace(/^#/, ''))) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  const hint = (node as { expected?: unknown } | undefined)?.expected;
  return typeof hint === 'string' ? hint : undefined;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  let node = value;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** `campaign` + `['phones', '0', 'number']` → `campaign.phones[0].number`. */
export function formatPath(root: string, segments: readonly (string | number)[]): string {
  let path = root;
  for (const segment of segments) {
    const s = String(segment);
    if (/^[0-9]+$/.test(s)) path += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) path += `.${s}`;
    else path += `[${JSON.stringify(s)}]`;
  }
  return path;
}

/** A short, safe rendering of a value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
