import { PacelineError } from '@paceline/core';

/** Why a caller ID is unusable, or `undefined` when it is a valid, callable number. */
export function callerIdProblem(callerId: string | undefined): string | undefined {
  if (callerId === undefined || callerId === '') return 'no caller ID: set campaign.callerId to a callable E.164 number';
  if (!/^\+[1-9][0-9]{6,14}$/.test(callerId)) return `caller ID ${JSON.stringify(callerId)} is not an E.164 number such as +14155550123`;
  if (callerId.startsWith('+1')) {
    const national = callerId.slice(2);
    if (national.length !== 10) return `caller ID ${callerId}: a NANP number has 10 digits after +1`;
    const npa = national.slice(0, 3);
    const nxx = national.slice(3, 6);
    // NANP numbering plan: NPA and NXX start with 2–9; N11 codes are service codes, not numbers.
    if (!/^[2-9]/.test(npa) || !/^[2-9]/.test(nxx)) return `caller ID ${callerId}: area code and exchange must start with 2–9`;
    if (npa[1] === '1' && npa[2] === '1') return `caller ID ${callerId}: ${npa} is a service code, not an area code`;
    if (nxx[1] === '1' && nxx[2] === '1') return `caller ID ${callerId}: exchange ${nxx} is a service code`;
    // 16 CFR 310.4(a)(8) requires a number the called party can call back; premium-rate is not.
    if (npa === '900' || npa === '976' || nxx === '976') return `caller ID ${callerId}: premium-rate numbers cannot be presented`;
  }
  if (callerId.startsWith('+44')) {
    const national = callerId.slice(3);
    // Ofcom CLI guidance: the presented number must be diallable and not premium rate (09) or personal (070).
    if (national.startsWith('9') || national.startsWith('70'))
      return `caller ID ${callerId}: premium-rate (09) and personal (070) numbers cannot be presented`;
    if (national.length < 9 || national.length > 10) return `caller ID ${callerId}: a UK number has 9 or 10 digits after +44`;
  }
  return undefined;
}

/**
 * Throw unless `callerId` is a valid, callable number (DESIGN.md: caller ID on every attempt).
 * `E_NO_CALLER_ID` names `campaign.callerId` and what to fix.
 */
export function assertCallerId(callerId: string | undefined): void {
  const problem = callerIdProblem(callerId);
  if (problem !== undefined) {
    throw new PacelineError('E_NO_CALLER_ID', `campaign.callerId: ${problem}`, {
      issues: [{ path: 'campaign.callerId', message: problem }],
    });
  }
}
