/** A progressive retention campaign for engine tests; `extra` overrides or adds fields. */
export function testCampaign(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'UTC',
    ...extra,
  };
}
