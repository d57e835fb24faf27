import { describe, expect, it } from 'vitest';
import { ErrorCodes, isCallerError, isPacelineError, maskPhone, PacelineError } from '../src/index';

describe('PacelineError', () => {
  it('carries a stable code and structured detail in cause', () => {
    const error = new PacelineError('E_DNC_BLOCKED', '+1415•••0123 is on the internal do-not-call list', { reason: 'internal' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PacelineError');
    expect(error.cause).toEqual({ reason: 'internal' });
    expect(error.issues).toEqual([]);
    expect(isPacelineError(error, 'E_DNC_BLOCKED')).toBe(true);
    expect(isPacelineError(error, 'E_OUTSIDE_WINDOW')).toBe(false);
    expect(isCallerError(error)).toBe(true);
    expect(isCallerError(new Error('x'))).toBe(false);
    expect(isCallerError(new PacelineError('E_INTERNAL', 'bug'))).toBe(false);
  });

  it('has unique codes', () => {
    expect(new Set(ErrorCodes).size).toBe(ErrorCodes.length);
  });
});

describe('maskPhone', () => {
  it('never shows a full number', () => {
    expect(maskPhone('+14155550123')).toBe('+141••••0123');
    expect(maskPhone('+4420')).toBe('•••••');
  });
});
