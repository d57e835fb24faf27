/** One `{{variable}}` or `{{variable|default}}` placeholder in a template. */
export interface Placeholder {
  /** The variable path, e.g. `firstName`, `profile.tenureMonths`, `answers.reason`. */
  readonly variable: string;
  /** Text printed when the variable is absent at run time; `undefined` when none was given. */
  readonly fallback: string | undefined;
}

/** A template split into literal text and placeholders, or the reason it is malformed. */
export type ParsedTemplate =
  | { readonly ok: true; readonly parts: readonly (string | Placeholder)[] }
  | { readonly ok: false; readonly error: string };

const VARIABLE = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/;

/**
 * Split a template into text and placeholders. Syntax: `{{ path }}` or `{{ path | fallback }}`;
 * a `{{` without its `}}`, an empty placeholder or a malformed path is an error.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: (string | Placeholder)[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, error: `unclosed "{{" in "${clip(rest.slice(open))}"` };
    const body = rest.slice(open + 2, close);
    const bar = body.indexOf('|');
    const variable = (bar < 0 ? body : body.slice(0, bar)).trim();
    if (variable === '') return { ok: false, error: 'empty placeholder "{{}}"' };
    if (!VARIABLE.test(variable)) return { ok: false, error: `malformed variable "{{${clip(body)}}}"` };
    parts.push({ variable, fallback: bar < 0 ? undefined : body.slice(bar + 1).trim() });
    rest = rest.slice(close + 2);
  }
  return { ok: true, parts };
}

/** Every placeholder of a well-formed template (an empty list for a malformed one). */
export function templatePlaceholders(text: string): Placeholder[] {
  const parsed = parseTemplate(text);
  return parsed.ok ? parsed.parts.filter((p): p is Placeholder => typeof p !== 'string') : [];
}

/**
 * Render a template with `lookup` (the value of a variable path, or `undefined`). Lists are
 * joined with ", "; an absent value prints its fallback, or nothing. Templates are checked
 * when a script is parsed, so rendering never fails on a customer's call.
 */
export function renderTemplate(text: string, lookup: (variable: string) => unknown): string {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return text;
  return parsed.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const value = lookup(part.variable);
      if (value === undefined || value === null || value === '') return part.fallback ?? '';
      if (Array.isArray(value)) return value.map(String).join(', ');
      return String(value);
    })
    .join('');
}

function clip(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)}…` : s;
}
