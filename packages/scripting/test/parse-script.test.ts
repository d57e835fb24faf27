import { isPacelineError } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { parseScript, parseTemplate, renderTemplate } from '../src/index';
import { errorOf, saveDeskInput } from './fixtures';

type Input = Record<string, unknown> & { steps: Record<string, unknown>[] };

function withStep(index: number, patch: Record<string, unknown>): Input {
  const input = saveDeskInput() as Input;
  input.steps[index] = { ...input.steps[index], ...patch };
  return input;
}

function issuesOf(input: unknown, options = {}) {
  const error = errorOf(() => parseScript(input, options));
  expect(isPacelineError(error, 'E_INVALID_INPUT')).toBe(true);
  return error.issues ?? [];
}

describe('parseScript', () => {
  it('accepts the save-desk script, applies defaults and leaves the input untouched', () => {
    const input = saveDeskInput();
    const before = structuredClone(input);
    const script = parseScript(input, { dispositionCodes: ['SAVED', 'NOT_INTERESTED'] });
    expect(input).toEqual(before);
    expect(script.version).toBe(1);
    expect(script.steps.find((s) => s.id === 'lost')).toMatchObject({ escalate: true });
  });

  it('refuses an unknown profile variable, with the step path', () => {
    const issues = issuesOf(withStep(0, { text: 'Hi {{profile.tenure}}' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('script.steps[0].text');
    expect(issues[0]?.message).toContain('unknown profile field "tenure"');
  });

  it('refuses an unknown root variable', () => {
    const error = errorOf(() => parseScript(withStep(0, { text: 'Hi {{nickname}}' })));
    expect(error.message).toContain('script.steps[0].text: {{nickname}}: unknown variable');
  });

  it('refuses an answer variable naming no ask step (a missing variable)', () => {
    const issues = issuesOf(withStep(5, { text: 'You said {{answers.why}}' }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([['script.steps[5].text', '{{answers.why}}: no ask step has id "why"']]);
  });

  it('refuses an optional profile field without a fallback, and accepts it with one', () => {
    const issues = issuesOf(withStep(0, { text: 'Mr {{lastName}}' }));
    expect(issues[0]?.message).toContain('may be absent from a profile; give a fallback');
    expect(() => parseScript(withStep(0, { text: 'Hello {{lastName|there}}' }))).not.toThrow();
    expect(issuesOf(withStep(0, { text: 'Plan {{profile.attributes.plan}}' }))[0]?.message).toContain('fallback');
  });

  it('refuses offer variables outside offer steps and malformed placeholders', () => {
    expect(issuesOf(withStep(0, { text: 'Try {{offer.name}}' }))[0]?.message).toContain('only known in offer steps');
    expect(issuesOf(withStep(0, { text: 'Hi {{firstName' }))[0]?.message).toContain('unclosed "{{"');
    expect(issuesOf(withStep(0, { text: 'Hi {{ }}' }))[0]?.message).toContain('empty placeholder');
  });

  it('lists every problem at once: a missing target, a bad condition field and an unknown disposition', () => {
    const input = saveDeskInput() as Input;
    input.steps[0] = { ...input.steps[0], next: 'nowhere' };
    input.steps[2] = { ...input.steps[2], cases: [{ when: { field: 'answers.reason', op: 'eq', value: 'relocation' }, next: 'bye' }] };
    input.steps[7] = { ...input.steps[7], disposition: 'GONE' };
    const issues = issuesOf(input, { dispositionCodes: ['SAVED', 'NOT_INTERESTED'] });
    expect(issues.map((i) => i.path)).toEqual([
      'script.steps[0].next',
      'script.steps[2].cases[0].when.value',
      'script.steps[7].disposition',
    ]);
    expect(issues[1]?.message).toBe('expected one of "price", "coverage", "moving", got "relocation"');
    expect(issues[2]?.message).toContain('"GONE" is not a disposition code of the campaign');
  });

  it('refuses steps that cannot be reached and loops that never end', () => {
    const input = {
      id: 's',
      name: 'loop',
      start: 'a',
      steps: [
        { id: 'a', kind: 'say', text: 'one', next: 'b' },
        { id: 'b', kind: 'say', text: 'two', next: 'a' },
        { id: 'c', kind: 'end', disposition: 'SALE' },
      ],
    };
    const issues = issuesOf(input);
    expect(issues.map((i) => i.message)).toEqual([
      'step "a" loops without ever reaching an end or transfer step',
      'step "b" loops without ever reaching an end or transfer step',
      'step "c" cannot be reached from start "a"',
    ]);
  });

  it('refuses a capture into a host-owned field or of the wrong type', () => {
    const issues = issuesOf(
      withStep(4, {
        fields: [
          { field: 'profile.tenureMonths', label: 'Tenure', answer: { type: 'number' } },
          { field: 'profile.email', label: 'Email', answer: { type: 'number' } },
        ],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['script.steps[4].fields[0].field', 'script.steps[4].fields[1].field']);
    expect(issues[0]?.message).toContain('kept by the host');
    expect(issues[1]?.message).toContain('holds a string but a number answer gives a number');
  });

  it('reports a malformed step once, at its own path, not once per kind of step', () => {
    expect(issuesOf(withStep(1, { answer: { type: 'colour' } }))).toEqual([
      { path: 'script.steps[1].answer.type', message: 'expected one of "yes-no", "choice", "number", "text", "date", got "colour"' },
    ]);
    expect(issuesOf(withStep(1, { kind: 'asc' }))).toEqual([
      { path: 'script.steps[1].kind', message: 'expected one of "say", "ask", "offer", "branch", "capture", "transfer", "end", got "asc"' },
    ]);
    const input = withStep(0, { nxt: 'reason' });
    delete input.steps[0]?.next;
    const typo = issuesOf(input);
    expect(typo).toHaveLength(2);
    expect(typo).toEqual(
      expect.arrayContaining([
        { path: 'script.steps[0].next', message: 'is required' },
        { path: 'script.steps[0].nxt', message: 'is not a known field (check the spelling)' },
      ]),
    );
  });
});

describe('templates', () => {
  it('render profile values, lists and fallbacks', () => {
    const values: Record<string, unknown> = { 'profile.productsHeld': ['a', 'b'], firstName: 'Ana' };
    expect(renderTemplate('{{firstName}} holds {{profile.productsHeld}}; {{x|none}}', (v) => values[v])).toBe('Ana holds a, b; none');
    expect(parseTemplate('a {{ b | c }} d')).toEqual({ ok: true, parts: ['a ', { variable: 'b', fallback: 'c' }, ' d'] });
  });
});
