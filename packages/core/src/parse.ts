import type { Issue } from './errors';
import { type Agent, AgentSchema } from './schema/agent';
import { type Attempt, AttemptSchema } from './schema/attempt';
import { CALL_OUTCOMES } from './schema/call-outcome';
import { type Campaign, CampaignSchema, DEFAULT_RECYCLE } from './schema/campaign';
import { type Contact, ContactSchema, type Phone } from './schema/contact';
import { DEFAULT_DISPOSITIONS, type Disposition, DispositionSchema } from './schema/disposition';
import { type Order, OrderSchema } from './schema/order';
import { createParser, describe } from './validation';

/** True when the runtime knows `zone` as an IANA time zone. */
export function isValidTimeZone(zone: string): boolean {
  // issue-18: remembered (a DateTimeFormat costs ~0.5 ms: it made contact intake 0.8 ms a contact).
  let valid = zoneValidity.get(zone);
  if (valid !== undefined) return valid;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  // Bounded: the IANA database has ~600 names; junk input must not grow it without end.
  if (zoneValidity.size < 4_096) zoneValidity.set(zone, valid);
  return valid;
}

/** Answers of {@link isValidTimeZone}: the set of zones a runtime knows does not change while it runs. */
const zoneValidity = new Map<string, boolean>();

/** Minutes since midnight of an `HH:mm` string that already matched the schema. */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function windowIssues(path: string, window: { start: string; end: string } | undefined): Issue[] {
  if (!window || minutesOfDay(window.start) < minutesOfDay(window.end)) return [];
  return [{ path: `${path}.end`, message: `expected a time after start ${window.start}, got "${window.end}"` }];
}

function zoneIssue(path: string, zone: string): Issue[] {
  return isValidTimeZone(zone) ? [] : [{ path, message: `expected an IANA time zone such as America/Chicago, got ${describe(zone)}` }];
}

/**
 * Parse a campaign: clone, apply defaults (pacing, dispositions, recycle rules merged over
 * the defaults), validate. Throws `E_INVALID_CAMPAIGN` listing every problem.
 */
export const parseCampaign = createParser<Campaign>(CampaignSchema, {
  code: 'E_INVALID_CAMPAIGN',
  root: 'campaign',
  normalise: (c) => ({
    ...c,
    dispositions: c.dispositions.length > 0 ? c.dispositions : DEFAULT_DISPOSITIONS.map((d) => ({ ...d })),
    recycle: { ...structuredClone(DEFAULT_RECYCLE), ...c.recycle },
  }),
  checks: [
    { fields: ['homeTimeZone'], check: (c) => zoneIssue('campaign.homeTimeZone', c.homeTimeZone) },
    { fields: ['callingWindow'], check: (c) => windowIssues('campaign.callingWindow', c.callingWindow) },
    {
      fields: ['schedule'],
      check: (c) => {
        const issues = windowIssues('campaign.schedule.hours', c.schedule?.hours);
        if (c.schedule?.startAt !== undefined && c.schedule.endAt !== undefined && c.schedule.endAt <= c.schedule.startAt) {
          issues.push({ path: 'campaign.schedule.endAt', message: `expected a time after startAt, got ${c.schedule.endAt}` });
        }
        return issues;
      },
    },
    {
      fields: ['pacing'],
      check: (c) =>
        c.pacing.powerRatio > c.pacing.maxLinesPerAgent
          ? [
              {
                path: 'campaign.pacing.powerRatio',
                message: `expected at most maxLinesPerAgent (${c.pacing.maxLinesPerAgent}), got ${c.pacing.powerRatio}`,
              },
            ]
          : [],
    },
    {
      fields: ['dispositions', 'recycle'],
      check: (c) => {
        const issues: Issue[] = [];
        const codes = new Set<string>();
        c.dispositions.forEach((d, i) => {
          if (codes.has(d.code)) issues.push({ path: `campaign.dispositions[${i}].code`, message: `duplicate code "${d.code}"` });
          codes.add(d.code);
          issues.push(...dispositionIssues(`campaign.dispositions[${i}]`, d));
        });
        const known = new Set<string>([...CALL_OUTCOMES, 'abandoned', ...codes]);
        for (const key of Object.keys(c.recycle)) {
          if (!known.has(key)) {
            issues.push({
              path: `campaign.recycle[${JSON.stringify(key)}]`,
              message: 'expected a call outcome (busy, no-answer, machine, …), "abandoned" or one of the campaign\'s disposition codes',
            });
          }
        }
        return issues;
      },
    },
  ],
});

function dispositionIssues(path: string, d: Disposition): Issue[] {
  const issues: Issue[] = [];
  if (d.sale && !d.humanContact)
    issues.push({ path: `${path}.humanContact`, message: 'a sale must be a human contact: set humanContact to true' });
  if (d.callback && d.final) issues.push({ path: `${path}.final`, message: 'a callback cannot be final: set final to false' });
  return issues;
}

/** Parse a disposition code definition. Throws `E_INVALID_DISPOSITION`. */
export const parseDisposition = createParser<Disposition>(DispositionSchema, {
  code: 'E_INVALID_DISPOSITION',
  root: 'disposition',
  refine: (d) => dispositionIssues('disposition', d),
});

/** Parse a contact: clone, defaults, validate. Throws `E_INVALID_CONTACT`. */
export const parseContact = createParser<Contact>(ContactSchema, {
  code: 'E_INVALID_CONTACT',
  root: 'contact',
  checks: [
    {
      fields: ['phones'],
      check: (c) => {
        const issues: Issue[] = [];
        // A contact has a few numbers: comparing pairs allocates nothing (a Set per contact did, on every upload row).
        const phones = c.phones;
        for (let i = 1; i < phones.length; i++) {
          const number = (phones[i] as Phone).number;
          for (let j = 0; j < i; j++) {
            if ((phones[j] as Phone).number === number) {
              issues.push({ path: `contact.phones[${i}].number`, message: `duplicate number ${number}` });
              break;
            }
          }
        }
        return issues;
      },
    },
    {
      fields: ['timeZones'],
      check: (c) => {
        const issues: Issue[] = [];
        const zones = c.timeZones ?? [];
        for (let i = 0; i < zones.length; i++) {
          const zone = zones[i] as string;
          if (!isValidTimeZone(zone)) issues.push(...zoneIssue(`contact.timeZones[${i}]`, zone));
        }
        return issues;
      },
    },
  ],
});

/** Parse an attempt record. Throws `E_INVALID_ATTEMPT`. */
export const parseAttempt = createParser<Attempt>(AttemptSchema, {
  code: 'E_INVALID_ATTEMPT',
  root: 'attempt',
  refine: (a) => {
    const issues: Issue[] = [];
    for (const key of ['answeredAt', 'connectedAt', 'endedAt'] as const) {
      const t = a[key];
      if (t !== undefined && t < a.startedAt)
        issues.push({ path: `attempt.${key}`, message: `expected a time at or after startedAt (${a.startedAt}), got ${t}` });
    }
    return issues;
  },
});

/** Parse an agent. Throws `E_INVALID_AGENT`. */
export const parseAgent = createParser<Agent>(AgentSchema, { code: 'E_INVALID_AGENT', root: 'agent' });

/** Parse an order. Throws `E_INVALID_ORDER`. */
export const parseOrder = createParser<Order>(OrderSchema, {
  code: 'E_INVALID_ORDER',
  root: 'order',
  refine: (o) => {
    const issues: Issue[] = [];
    if (o.fulfilment.kind === 'delivery' && !o.fulfilment.address) {
      issues.push({ path: 'order.fulfilment.address', message: 'is required for home delivery' });
    }
    if (o.fulfilment.kind === 'pickup' && !o.fulfilment.locationId) {
      issues.push({ path: 'order.fulfilment.locationId', message: 'is required for pickup' });
    }
    return issues;
  },
});
