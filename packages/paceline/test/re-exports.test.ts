import * as compliance from '@paceline/compliance';
import * as core from '@paceline/core';
import * as engine from '@paceline/engine';
import * as lists from '@paceline/lists';
import * as pacing from '@paceline/pacing';
import * as scripting from '@paceline/scripting';
import * as trunkSim from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import * as paceline from '../src/index';

const packages = { compliance, core, engine, lists, pacing, scripting, trunkSim };

describe('paceline re-exports the embedded default', () => {
  it('every runtime export of the seven packages, the same value; shared names resolved explicitly', () => {
    const umbrella = paceline as Record<string, unknown>;
    const owners = new Map<string, string[]>();
    for (const [pkg, module] of Object.entries(packages)) {
      for (const name of Object.keys(module)) owners.set(name, [...(owners.get(name) ?? []), pkg]);
    }
    for (const [name, from] of owners) {
      const value = (packages[from[0] as keyof typeof packages] as Record<string, unknown>)[name];
      if (from.length === 1) expect(umbrella[name], `${name} from ${from[0]}`).toBe(value);
    }
    // Names two packages export: the plain name is scripting's, lists' is qualified.
    expect([...owners].filter(([, from]) => from.length > 1).map(([name]) => name)).toEqual(['ConditionSchema']);
    expect(paceline.ConditionSchema).toBe(scripting.ConditionSchema);
    expect(paceline.ScriptConditionSchema).toBe(scripting.ConditionSchema);
    expect(paceline.SegmentConditionSchema).toBe(lists.ConditionSchema);
  });
});
