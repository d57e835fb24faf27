import type { AnswerSpec } from './script-schema';

/** A typed answer: yes/no → boolean, number → number, choice/text/date → string. */
export type AnswerValue = string | number | boolean;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why `value` is not a valid answer to `spec`, or `undefined` when it is. */
export function answerProblem(spec: AnswerSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'yes-no':
      return typeof value === 'boolean' ? undefined : `expected true (yes) or false (no), got ${JSON.stringify(value)}`;
    case 'choice': {
      const values = spec.options.map((o) => o.value);
      return typeof value === 'string' && values.includes(value)
        ? undefined
        : `expected one of ${values.map((v) => `"${v}"`).join(', ')}, got ${JSON.stringify(value)}`;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${JSON.stringify(value)}`;
      if (spec.min !== undefined && value < spec.min) return `expected at least ${spec.min}, got ${value}`;
      if (spec.max !== undefined && value > spec.max) return `expected at most ${spec.max}, got ${value}`;
      return undefined;
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') return `expected text, got ${JSON.stringify(value)}`;
      return value.length > spec.maxLength ? `expected at most ${spec.maxLength} characters, got ${value.length}` : undefined;
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
      return m && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
        ? undefined
        : `expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`;
    }
  }
}
