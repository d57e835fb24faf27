import { createParser, formatPath, type Issue, isValidTimeZone, minutesOfDay, type Parser } from '@paceline/core';
import { DateTime } from 'luxon';
import { DEFAULT_FOLLOW_UPS, DELIVERY_RESULTS, type FulfilmentConfig, FulfilmentConfigSchema } from './config-schema';

function windowIssues(path: string, window: { start: string; end: string } | undefined): Issue[] {
  if (!window || minutesOfDay(window.start) < minutesOfDay(window.end)) return [];
  return [{ path: `${path}.end`, message: `expected a time after start ${window.start}, got "${window.end}"` }];
}

function duplicateIds(path: string, items: readonly { id: string }[]): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.id)) issues.push({ path: `${path}[${i}].id`, message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
  return issues;
}

function refine(c: FulfilmentConfig): Issue[] {
  const issues: Issue[] = [];
  if (!isValidTimeZone(c.timeZone)) {
    issues.push({ path: 'fulfilment.timeZone', message: `expected an IANA time zone such as Europe/Madrid, got "${c.timeZone}"` });
  }
  c.calendar.holidays.forEach((date, i) => {
    if (!DateTime.fromISO(date, { zone: 'UTC' }).isValid) {
      issues.push({ path: `fulfilment.calendar.holidays[${i}]`, message: `expected a real calendar date, got "${date}"` });
    }
  });
  issues.push(...duplicateIds('fulfilment.rounds', c.rounds));
  c.rounds.forEach((r, i) => {
    const path = `fulfilment.rounds[${i}]`;
    if (r.handOffAt === '24:00') {
      issues.push({ path: `${path}.handOffAt`, message: 'expected a time of the same day (at most 23:59), got "24:00"' });
    } else if (minutesOfDay(r.handOffAt) < minutesOfDay(r.cutoff)) {
      issues.push({ path: `${path}.handOffAt`, message: `expected a time at or after the cut-off ${r.cutoff}, got "${r.handOffAt}"` });
    }
    if (r.handOffAt !== '24:00' && minutesOfDay(r.slotBooking.start) < minutesOfDay(r.handOffAt)) {
      issues.push({
        path: `${path}.slotBooking.start`,
        message: `expected a time at or after the hand-off ${r.handOffAt}, got "${r.slotBooking.start}"`,
      });
    }
    issues.push(...windowIssues(`${path}.slotBooking`, r.slotBooking));
    issues.push(...windowIssues(`${path}.deliveryWindow`, r.deliveryWindow));
  });
  const cutoffs = new Map<string, string>();
  c.rounds.forEach((r, i) => {
    const other = cutoffs.get(r.cutoff);
    if (other !== undefined) {
      issues.push({
        path: `fulfilment.rounds[${i}].cutoff`,
        message: `round "${other}" already has cut-off ${r.cutoff}; cut-offs must differ`,
      });
    }
    cutoffs.set(r.cutoff, r.id);
  });
  const roundIds = new Set(c.rounds.map((r) => r.id));
  issues.push(...duplicateIds('fulfilment.zones', c.zones));
  c.zones.forEach((z, i) => {
    z.rounds?.forEach((id, j) => {
      if (!roundIds.has(id)) issues.push({ path: `fulfilment.zones[${i}].rounds[${j}]`, message: `unknown round "${id}"` });
    });
  });
  issues.push(...duplicateIds('fulfilment.pickup.locations', c.pickup.locations));
  c.pickup.locations.forEach((l, i) => {
    const path = `fulfilment.pickup.locations[${i}]`;
    if (l.timeZone !== undefined && !isValidTimeZone(l.timeZone)) {
      issues.push({ path: `${path}.timeZone`, message: `expected an IANA time zone, got "${l.timeZone}"` });
    }
    issues.push(...windowIssues(`${path}.openingHours`, l.openingHours));
    const open = minutesOfDay(l.openingHours.end) - minutesOfDay(l.openingHours.start);
    if (open > 0 && l.slotMinutes > open) {
      issues.push({ path: `${path}.slotMinutes`, message: `expected at most the ${open} opening minutes, got ${l.slotMinutes}` });
    }
  });
  issues.push(...duplicateIds('fulfilment.departments', c.departments));
  const departments = new Map(c.departments.map((d) => [d.id, d]));
  for (const result of DELIVERY_RESULTS) {
    const escalation = c.followUps[result]?.escalation;
    if (!escalation) continue;
    const path = formatPath('fulfilment.followUps', [result, 'escalation']);
    const department = departments.get(escalation.department);
    if (!department) issues.push({ path: `${path}.department`, message: `unknown department "${escalation.department}"` });
    else if (!department.topics.includes(escalation.topic)) {
      issues.push({
        path: `${path}.topic`,
        message: `department "${department.id}" accepts ${department.topics.map((t) => `"${t}"`).join(', ')}; got "${escalation.topic}"`,
      });
    }
  }
  return issues;
}

/**
 * Parse a fulfilment configuration: clone, apply the manuals' defaults (two rounds, Monday to
 * Friday, logistics and customer-care agreements), validate. The whole configuration is
 * refused with `E_INVALID_CONFIG` listing every problem with its path.
 */
export const parseFulfilmentConfig: Parser<FulfilmentConfig> = createParser<FulfilmentConfig>(FulfilmentConfigSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'fulfilment',
  // A result the host did not configure keeps its default follow-up.
  normalise: (c) => ({ ...c, followUps: { ...structuredClone(DEFAULT_FOLLOW_UPS), ...c.followUps } }),
  refine,
});
