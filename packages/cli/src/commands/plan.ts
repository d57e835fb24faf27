import { PacelineError } from '@paceline/core';
import { type OutboundPlanInput, planOutboundStaffing } from '@paceline/pacing';
import { CliError } from '../cli-error';
import { kvTable, type Output, percent } from '../output';

/** `paceline plan …`: the outbound staffing planner — agents needed, days to complete, occupancy. */
export function plan(input: OutboundPlanInput, json: boolean, out: Output): void {
  let result: ReturnType<typeof planOutboundStaffing>;
  try {
    result = planOutboundStaffing(input);
  } catch (error) {
    // The planner names the bad field in its own terms; say it as the flag the user typed.
    if (error instanceof PacelineError) throw new CliError(`plan: ${error.message.replace(/^planOutboundStaffing: /, '')}`, 2);
    throw error;
  }
  if (json) {
    out.stdout.write(`${JSON.stringify({ input, plan: result }, null, 2)}\n`);
    return;
  }
  out.stdout.write(
    `${kvTable([
      ['agents needed', String(result.agentsNeeded)],
      ['days to complete', result.daysToComplete.toFixed(2)],
      ['hours to complete', result.hoursToComplete.toFixed(1)],
      ['expected occupancy', percent(result.expectedOccupancy)],
      ['expected attempts', Math.round(result.expectedAttempts).toLocaleString('en-US')],
      ['expected live contacts', Math.round(result.expectedLiveContacts).toLocaleString('en-US')],
      ['agent hours', result.agentHours.toFixed(1)],
      ['attempts / agent hour', result.attemptsPerAgentHour.toFixed(1)],
    ])}\n`,
  );
}
