/** A minimal valid campaign input, as a host would write it. */
export function campaignInput(): Record<string, unknown> {
  return {
    id: 'retention-q4',
    name: 'Q4 retention drive',
    goal: 'retention',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'America/Chicago',
  };
}

/** A minimal valid contact input. */
export function contactInput(): Record<string, unknown> {
  return { id: 'c-1', phones: [{ number: '+14155550123' }], state: 'CA', profile: { tenureMonths: 40 } };
}
