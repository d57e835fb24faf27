import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Logger, PacelineError, redactingLogger, redactLogText, redactLogValue, serializeError } from '../src/index';

/** An ioredis ReplyError as Redis answers an `EVALSHA` over its maxmemory: the script's whole input in `command.args`. */
function oomError(): Error {
  const error = new Error("OOM command not allowed when used memory > 'maxmemory'.") as Error & Record<string, unknown>;
  error.name = 'ReplyError';
  error.command = {
    name: 'evalsha',
    args: [
      '3f2a…',
      '4',
      'k',
      'c-1',
      JSON.stringify({ id: 'c-1', firstName: 'Zorbalia', phones: [{ number: '+12125550177' }], postalCode: 'ZX9 4QQ' }),
    ],
  };
  return error;
}

/** Every digit sequence of 7+ digits in `text` once separators are removed between digits. */
function digitRuns(text: string): string[] {
  return (text.replace(/(\d)[\s().-]{1,2}(?=\d)/g, '$1').match(/\d{7,}/g) ?? []).filter((run) => run.length <= 15);
}

describe('log redaction', () => {
  it('keeps a driver error’s name, code and command name and drops its arguments', () => {
    const error = oomError();
    (error as Error & { code?: string }).code = 'OOM';
    const out = serializeError(error);
    expect(out).toMatchObject({ type: 'ReplyError', code: 'OOM', command: 'evalsha', message: expect.stringContaining('OOM') });
    const line = JSON.stringify(out);
    expect(line).not.toContain('5550177');
    expect(line).not.toContain('Zorbalia');
    expect(line).not.toContain('ZX9');
  });

  it('redacts phones, names, addresses and e-mail at the top level and at any depth, and names contacts by id', () => {
    const input = {
      number: '+12125550177',
      firstName: 'Zorbalia',
      lastName: 'Quennet',
      campaignId: 'c1',
      count: 3,
      deep: { a: { b: [{ postal_code: 'ZX9 4QQ', email: 'z@q.example', note: 'call +44 20 7946 0958 or z@q.example' }] } },
      contact: { id: 'c-7', firstName: 'Zorbalia', phones: [{ number: '+12125550177' }] },
      contacts: [{ id: 'c-8' }, { id: 'c-9', lastName: 'Quennet' }],
      err: oomError(),
    };
    const out = redactLogValue(input) as Record<string, unknown>;
    const line = JSON.stringify(out);
    for (const secret of ['5550177', 'Zorbalia', 'Quennet', 'ZX9', 'z@q.example', '7946']) expect(line).not.toContain(secret);
    expect(out).toMatchObject({ campaignId: 'c1', count: 3, contact: { id: 'c-7' }, contacts: [{ id: 'c-8' }, { id: 'c-9' }] });
    expect((out.err as { command: string }).command).toBe('evalsha');
    expect(input.contact.firstName).toBe('Zorbalia'); // never mutates
  });

  it('scrubs phone numbers in any common format and e-mail from messages, keeping ids and times', () => {
    expect(redactLogText('duplicate number +1 212 555 0177 for contact c-12')).toBe('duplicate number [phone] for contact c-12');
    expect(redactLogText('dialing (212) 555-0177 / 212.555.0177 / 2125550177')).not.toMatch(/555/);
    expect(redactLogText('at 2026-03-09T12:00:00.000Z, attempt a-17, 240 contacts')).toBe(
      'at 2026-03-09T12:00:00.000Z, attempt a-17, 240 contacts',
    );
    expect(redactLogText('row {"id":"c1","firstName":"Zorbalia","city":"Paris"}')).not.toContain('Zorbalia');
  });

  it('leaves no phone number in any text that embeds one, whatever its format (property)', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const phone = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 99 }), digits(10)).map(([cc, n]) => `+${cc}${n}`),
      fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `+1 (${a}) ${b}-${c}`),
      fc.tuple(digits(3), digits(3), digits(4), fc.constantFrom(' ', '-', '.')).map(([a, b, c, s]) => `${a}${s}${b}${s}${c}`),
      fc.tuple(digits(4), digits(6)).map(([a, b]) => `+44 ${a} ${b}`),
      digits(10),
    );
    const filler = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', ',', '"', 'x', '='), maxLength: 12 });
    fc.assert(
      fc.property(filler, phone, filler, (before, number, after) => {
        const text = `${before} ${number} ${after}`;
        const scrubbed = redactLogText(text);
        expect(digitRuns(scrubbed)).toEqual([]);
        expect(redactLogText(JSON.stringify(redactLogValue({ msg: text, x: { y: [text] } })))).not.toContain(number);
      }),
      { numRuns: 500 },
    );
  });

  it('wraps a host logger: objects, messages, interpolation values, errors and child bindings', () => {
    const lines: unknown[][] = [];
    const record =
      (level: string) =>
      (...args: unknown[]) =>
        lines.push([level, ...args]);
    const host: Logger = {
      trace: record('trace'),
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      fatal: record('fatal'),
      child: (bindings) => {
        lines.push(['child', bindings]);
        return host;
      },
    };
    const logger = redactingLogger(host);
    expect(redactingLogger(logger)).toBe(logger);
    logger.warn({ err: oomError(), campaignId: 'c1' }, 'store unavailable');
    logger.info('duplicate number %s', '+12125550177');
    logger.error(
      new PacelineError('E_INVALID_CONTACT', 'contact.phones[0].number: +12125550177 is not dialable', {
        issues: [{ path: 'p', message: '+12125550177' }],
      }),
    );
    logger.child({ to: '+12125550177', callId: 'a-1' }).debug({ firstName: 'Zorbalia' }, 'x');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('5550177');
    expect(text).not.toContain('Zorbalia');
    expect(text).toContain('evalsha');
    expect(text).toContain('E_INVALID_CONTACT');
    expect(text).toContain('a-1');
  });
});
