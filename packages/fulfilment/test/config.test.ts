import { isPacelineError, type PacelineError } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUNDS, parseFulfilmentConfig } from '../src/index';

function refusal(input: unknown): PacelineError {
  try {
    parseFulfilmentConfig(input);
  } catch (error) {
    if (isPacelineError(error)) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('fulfilment configuration', () => {
  it('defaults to the manuals: two rounds, Monday to Friday, logistics and customer care', () => {
    const input = { timeZone: 'Europe/Madrid' };
    const config = parseFulfilmentConfig(input);
    expect(config.rounds).toEqual(DEFAULT_ROUNDS);
    expect(config.calendar).toEqual({ workingDays: [1, 2, 3, 4, 5], annualHolidays: [], holidays: [] });
    expect(config.departments.map((d) => d.id)).toEqual(['logistics', 'customer-care']);
    expect(config.followUps.damaged).toEqual({ escalation: { department: 'logistics', topic: 'damaged' } });
    expect(config.followUps['not-at-home']?.callback?.delayMinutes).toBe(60);
    expect(input).toEqual({ timeZone: 'Europe/Madrid' }); // not mutated
  });

  it('keeps default follow-ups for results the host does not configure', () => {
    const config = parseFulfilmentConfig({
      timeZone: 'UTC',
      followUps: { refused: { escalation: { department: 'customer-care', topic: 'refused' } } },
    });
    expect(config.followUps.refused).toEqual({ escalation: { department: 'customer-care', topic: 'refused' } });
    expect(config.followUps['not-at-home']?.callback).toBeDefined();
  });

  it('refuses the whole configuration, naming the path of every problem', () => {
    const error = refusal({
      timeZone: 'Mars/Olympus',
      calendar: { workingDays: [], holidays: ['2025-02-30'] },
      rounds: [
        { id: 'a', name: 'A', cutoff: '17:00', handOffAt: '16:30', slotBooking: { start: '17:30', end: '17:00' }, deliveryDays: 1 },
        { id: 'a', name: 'A again', cutoff: '25:00', handOffAt: '11:30', slotBooking: { start: '11:30', end: '12:00' }, deliveryDays: 0 },
      ],
      zones: [{ id: 'z', postalCodePrefixes: ['28'], rounds: ['nope'] }],
      departments: [{ id: 'logistics', name: 'Logistics', topics: ['damaged'], responseMinutes: 0 }],
      colour: 'blue',
    });
    expect(error.code).toBe('E_INVALID_CONFIG');
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'fulfilment.calendar.workingDays',
        'fulfilment.rounds[1].cutoff',
        'fulfilment.departments[0].responseMinutes',
        'fulfilment.colour',
      ]),
    );
    expect(error.message).toContain('fulfilment.rounds[1].cutoff: expected HH:mm, got "25:00"');
  });

  it('checks what the schema cannot: zones, cut-off order, references, dates', () => {
    const error = refusal({
      timeZone: 'Mars/Olympus',
      calendar: { holidays: ['2025-02-30'] },
      rounds: [
        { id: 'a', name: 'A', cutoff: '17:00', handOffAt: '16:30', slotBooking: { start: '17:30', end: '17:00' }, deliveryDays: 1 },
        { id: 'a', name: 'B', cutoff: '17:00', handOffAt: '24:00', slotBooking: { start: '11:30', end: '12:00' }, deliveryDays: 0 },
      ],
      zones: [{ id: 'z', postalCodePrefixes: ['28'], rounds: ['nope'] }],
      followUps: {
        refused: { escalation: { department: 'legal', topic: 'refused' } },
        damaged: { escalation: { department: 'logistics', topic: 'fire' } },
      },
    });
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'fulfilment.timeZone', message: 'expected an IANA time zone such as Europe/Madrid, got "Mars/Olympus"' },
        { path: 'fulfilment.calendar.holidays[0]', message: 'expected a real calendar date, got "2025-02-30"' },
        { path: 'fulfilment.rounds[1].id', message: 'duplicate id "a"' },
        { path: 'fulfilment.rounds[0].handOffAt', message: 'expected a time at or after the cut-off 17:00, got "16:30"' },
        { path: 'fulfilment.rounds[0].slotBooking.end', message: 'expected a time after start 17:30, got "17:00"' },
        { path: 'fulfilment.rounds[1].handOffAt', message: 'expected a time of the same day (at most 23:59), got "24:00"' },
        { path: 'fulfilment.rounds[1].cutoff', message: 'round "a" already has cut-off 17:00; cut-offs must differ' },
        { path: 'fulfilment.zones[0].rounds[0]', message: 'unknown round "nope"' },
        { path: 'fulfilment.followUps.refused.escalation.department', message: 'unknown department "legal"' },
        expect.objectContaining({ path: 'fulfilment.followUps.damaged.escalation.topic' }),
      ]),
    );
  });
});
