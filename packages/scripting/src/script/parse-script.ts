import { createParser, type Issue, PacelineError, type Parser } from '@paceline/core';
import { conditionIssues, type FieldInfo, type FieldResolver } from '../condition';
import { profileField } from '../profile-fields';
import { parseTemplate, templatePlaceholders } from '../template';
import { analyseGraph, stepTargets } from './script-graph';
import { type AnswerSpec, type Script, ScriptSchema, type Step } from './script-schema';
import { scriptShapeIssues } from './shape-issues';

/** Options of {@link parseScript}. */
export interface ParseScriptOptions {
  /** The campaign's disposition codes; when given, every `end`/`transfer` disposition must be one of them. */
  readonly dispositionCodes?: readonly string[];
}

/** Variables every template may use besides `profile.*`, `answers.*` and (in offer steps) `offer.*`. */
const ALIASES: Readonly<Record<string, string>> = { firstName: 'profile.firstName', lastName: 'profile.lastName' };
const OFFER_VARIABLES = new Set(['offer.name', 'offer.pitch']);
const CONTEXT_VARIABLES = new Set(['agent.name']);

/** The value type an answer produces, as the condition language sees it. */
export function answerField(spec: AnswerSpec): FieldInfo {
  switch (spec.type) {
    case 'yes-no':
      return { type: 'boolean' };
    case 'number':
      return { type: 'number' };
    case 'choice':
      return { type: 'string', values: spec.options.map((o) => o.value) };
    case 'text':
    case 'date':
      return { type: 'string' };
  }
}

function scriptIssues(script: Script, options: ParseScriptOptions): Issue[] {
  const issues: Issue[] = [];
  const ids = new Map<string, number>();
  script.steps.forEach((step, i) => {
    if (ids.has(step.id))
      issues.push({ path: `script.steps[${i}].id`, message: `duplicate step id "${step.id}" (also steps[${ids.get(step.id)}])` });
    else ids.set(step.id, i);
  });
  const asks = new Map<string, AnswerSpec>();
  for (const step of script.steps) if (step.kind === 'ask') asks.set(step.id, step.answer);

  if (!ids.has(script.start))
    issues.push({ path: 'script.start', message: `no step has id "${script.start}"; known: ${[...ids.keys()].join(', ')}` });
  const known = options.dispositionCodes ? new Set(options.dispositionCodes) : undefined;

  const resolveCondition: FieldResolver = (path) => {
    if (path.startsWith('answers.')) {
      const spec = asks.get(path.slice('answers.'.length));
      return spec
        ? answerField(spec)
        : `"${path}" names no ask step; known: ${[...asks.keys()].map((k) => `answers.${k}`).join(', ') || 'none'}`;
    }
    if (path.startsWith('profile.')) return profileField(path);
    return `expected a path starting with "profile." or "answers.", got "${path}"`;
  };

  script.steps.forEach((step, i) => {
    const at = `script.steps[${i}]`;
    for (const { field, target } of stepTargets(step)) {
      if (!ids.has(target)) issues.push({ path: `${at}.${field}`, message: `no step has id "${target}"` });
    }
    for (const [field, text] of stepTexts(step)) issues.push(...templateIssues(text, `${at}.${field}`, asks, step.kind === 'offer'));
    switch (step.kind) {
      case 'ask':
        issues.push(...answerSpecIssues(step.answer, `${at}.answer`));
        if (step.captureAs !== undefined) issues.push(...captureIssues(step.captureAs, step.answer, `${at}.captureAs`));
        break;
      case 'capture': {
        const seen = new Set<string>();
        step.fields.forEach((f, j) => {
          const fieldAt = `${at}.fields[${j}]`;
          if (seen.has(f.field)) issues.push({ path: `${fieldAt}.field`, message: `"${f.field}" is captured twice in this step` });
          seen.add(f.field);
          issues.push(...answerSpecIssues(f.answer, `${fieldAt}.answer`), ...captureIssues(f.field, f.answer, `${fieldAt}.field`));
        });
        break;
      }
      case 'branch':
        issues.push(...step.cases.flatMap((c, j) => conditionIssues(c.when, `${at}.cases[${j}].when`, resolveCondition)));
        break;
      case 'offer':
        if (step.reasonFrom !== undefined) {
          const field = resolveCondition(step.reasonFrom);
          if (typeof field === 'string') issues.push({ path: `${at}.reasonFrom`, message: field });
          else if (field.type !== 'string' && field.type !== 'any')
            issues.push({ path: `${at}.reasonFrom`, message: `expected a text or choice answer, got a ${field.type}` });
        }
        break;
      case 'end':
      case 'transfer':
        if (known && step.disposition !== undefined && !known.has(step.disposition)) {
          issues.push({
            path: `${at}.disposition`,
            message: `"${step.disposition}" is not a disposition code of the campaign; known: ${[...known].join(', ')}`,
          });
        }
        break;
      case 'say':
        break;
    }
  });

  if (issues.length === 0) {
    // Only meaningful once every target exists.
    const { reachable, canFinish } = analyseGraph(script.steps, script.start);
    script.steps.forEach((step, i) => {
      if (!reachable.has(step.id))
        issues.push({ path: `script.steps[${i}]`, message: `step "${step.id}" cannot be reached from start "${script.start}"` });
      else if (!canFinish.has(step.id))
        issues.push({ path: `script.steps[${i}]`, message: `step "${step.id}" loops without ever reaching an end or transfer step` });
    });
  }
  return issues;
}

function stepTexts(step: Step): [string, string][] {
  return 'text' in step && step.text !== undefined ? [['text', step.text]] : [];
}

/**
 * Check a template at validation time, so a customer on the line never hears a hole: every
 * variable must exist, and one that can be absent (an optional profile field, a host
 * attribute) needs a fallback, `{{profile.lastName|}}`.
 */
function templateIssues(text: string, path: string, asks: ReadonlyMap<string, AnswerSpec>, inOffer: boolean): Issue[] {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return [{ path, message: parsed.error }];
  const issues: Issue[] = [];
  for (const { variable, fallback } of templatePlaceholders(text)) {
    const bad = (why: string) => issues.push({ path, message: `{{${variable}}}: ${why}` });
    const name = ALIASES[variable] ?? variable;
    if (CONTEXT_VARIABLES.has(name)) continue;
    if (OFFER_VARIABLES.has(name)) {
      if (!inOffer) bad('offer variables are only known in offer steps');
      continue;
    }
    if (name.startsWith('answers.')) {
      if (!asks.has(name.slice('answers.'.length))) bad(`no ask step has id "${name.slice('answers.'.length)}"`);
      continue;
    }
    if (name.startsWith('profile.')) {
      const field = profileField(name);
      if (typeof field === 'string') bad(field);
      else if (!field.templatable) bad('this field cannot be printed');
      else if (!field.required && fallback === undefined) bad(`may be absent from a profile; give a fallback, e.g. {{${variable}|there}}`);
      continue;
    }
    bad(
      `unknown variable; use firstName, lastName, profile.<field>, answers.<ask step id>, agent.name${inOffer ? ', offer.name, offer.pitch' : ''}`,
    );
  }
  return issues;
}

function answerSpecIssues(spec: AnswerSpec, path: string): Issue[] {
  if (spec.type === 'number' && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
    return [{ path: `${path}.max`, message: `expected at least min (${spec.min}), got ${spec.max}` }];
  }
  if (spec.type === 'choice') {
    const seen = new Set<string>();
    const issues: Issue[] = [];
    spec.options.forEach((o, i) => {
      if (seen.has(o.value)) issues.push({ path: `${path}.options[${i}].value`, message: `duplicate option "${o.value}"` });
      seen.add(o.value);
    });
    return issues;
  }
  return [];
}

function captureIssues(target: string, spec: AnswerSpec, path: string): Issue[] {
  const field = profileField(target);
  if (typeof field === 'string') return [{ path, message: field }];
  if (!field.capturable) return [{ path, message: `"${target}" is kept by the host and cannot be captured by an agent` }];
  const produced = answerField(spec).type;
  if (field.type !== 'any' && field.type !== produced) {
    return [{ path, message: `"${target}" holds a ${field.type} but a ${spec.type} answer gives a ${produced}` }];
  }
  return [];
}

/** Build a script parser for one campaign's dispositions. */
export function createScriptParser(options: ParseScriptOptions = {}): Parser<Script> {
  const parse = createParser<Script>(ScriptSchema, { code: 'E_INVALID_INPUT', root: 'script', refine: (s) => scriptIssues(s, options) });
  const checked = (input: unknown): Script => {
    // Steps are a union: check each by its kind first so a problem is reported once, at its path.
    const shape = scriptShapeIssues(input);
    if (shape.length > 0) {
      const head = shape.length === 1 ? 'invalid script' : `invalid script (${shape.length} problems)`;
      throw new PacelineError('E_INVALID_INPUT', `${head}: ${shape.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues: shape });
    }
    return parse(input);
  };
  return Object.assign(checked, { schema: parse.schema });
}

const defaultParser = createScriptParser();

/**
 * Parse a script: clone, defaults, validate the shape, then check every template variable,
 * branch target, condition, capture and (when `dispositionCodes` is given) disposition code,
 * and that every step is reachable and can reach an end. Throws one `E_INVALID_INPUT`
 * `PacelineError` whose `issues` give each problem with its path (`script.steps[2].text`).
 */
export function parseScript(input: unknown, options: ParseScriptOptions = {}): Script {
  return (options.dispositionCodes ? createScriptParser(options) : defaultParser)(input);
}
