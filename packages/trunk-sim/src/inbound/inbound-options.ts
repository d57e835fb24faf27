import { createParser, E164, type Issue, type Parser } from '@paceline/core';
import Type from 'typebox';
import { type ArrivalProfile, type ArrivalSpike, DAY_MS } from './arrival-profile';
import type { SimDuration } from './sim-duration';

/** Who calls in: returning contacts' numbers, strangers, and callers who withhold their number. */
export interface SimCallerMix {
  /** Numbers of known callers (e.g. contacts returning a missed campaign call), E.164; drawn uniformly. */
  readonly known?: readonly string[];
  /** Share of calls from a `known` number; default 0. */
  readonly knownShare?: number;
  /** Share of calls with the number withheld (no `from`); default 0. */
  readonly withheldShare?: number;
  /** Unknown callers' numbers are this E.164 prefix plus random digits (11 digits in all); default `+1555`. */
  readonly unknownPrefix?: string;
}

/** Inbound arrivals of a simulated carrier (`SimTrunkOptions.inbound`). */
export interface SimInboundOptions {
  /** Arrival rate through the day (calls per hour per interval); a Poisson process follows it. */
  readonly profile: ArrivalProfile;
  /** Windows where the rate is multiplied (a +50% spike for an hour: `{ startMs, endMs: startMs + 3_600_000, multiplier: 1.5 }`). */
  readonly spikes?: readonly ArrivalSpike[];
  /** How long a caller waits unanswered before hanging up (`ended`, `no-answer`). */
  readonly patience: SimDuration;
  /** How long an answered caller talks before hanging up (`ended`, `human`), unless we hang up first. */
  readonly handleTime: SimDuration;
  readonly callers?: SimCallerMix;
  /**
   * The numbers callers dial, with weights; a call to one not accepted now (`acceptInbound`) is
   * refused at the network. Default: one of the accepted numbers, uniformly.
   */
  readonly calledNumbers?: readonly { readonly number: string; readonly weight: number }[];
}

const Ms = (minimum: number) => Type.Number({ minimum, expected: `a finite number of ms, at least ${minimum}` });
const Share = Type.Number({ minimum: 0, maximum: 1, expected: 'a share from 0 to 1' });
const Duration = Type.Union(
  [
    Type.Object({ kind: Type.Literal('exponential'), meanMs: Ms(1) }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('lognormal'),
        medianMs: Ms(1),
        sigma: Type.Number({ minimum: 0, maximum: 5, expected: 'a shape from 0 to 5' }),
      },
      { additionalProperties: false },
    ),
    Type.Object({ kind: Type.Literal('fixed'), ms: Ms(0) }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('empirical'),
        samplesMs: Type.Array(Ms(0), { minItems: 1, maxItems: 1_000_000, expected: 'at least one sample' }),
      },
      { additionalProperties: false },
    ),
  ],
  {
    expected:
      "{ kind: 'exponential', meanMs } | { kind: 'lognormal', medianMs, sigma } | { kind: 'fixed', ms } | { kind: 'empirical', samplesMs }",
  },
);

const InboundSchema = Type.Object(
  {
    profile: Type.Object(
      {
        dayStartMs: Type.Number({ expected: 'a clock time in ms' }),
        intervalMs: Type.Integer({ minimum: 1_000, maximum: DAY_MS, expected: 'an interval of 1 s to 24 h, in ms' }),
        ratesPerHour: Type.Array(Type.Number({ minimum: 0, maximum: 1_000_000, expected: 'calls per hour, 0 to 1 000 000' }), {
          minItems: 1,
          expected: 'at least one rate',
        }),
      },
      { additionalProperties: false },
    ),
    spikes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            startMs: Type.Number({ expected: 'a clock time in ms' }),
            endMs: Type.Number({ expected: 'a clock time in ms' }),
            multiplier: Type.Number({ minimum: 0, maximum: 100, expected: 'a multiplier from 0 to 100 (1.5 for +50%)' }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1_000 },
      ),
    ),
    patience: Duration,
    handleTime: Duration,
    callers: Type.Optional(
      Type.Object(
        {
          known: Type.Optional(Type.Array(E164, { maxItems: 10_000_000 })),
          knownShare: Type.Optional(Share),
          withheldShare: Type.Optional(Share),
          unknownPrefix: Type.Optional(Type.String({ pattern: '^\\+[1-9][0-9]{0,6}$', expected: 'an E.164 prefix such as +1555' })),
        },
        { additionalProperties: false },
      ),
    ),
    calledNumbers: Type.Optional(
      Type.Array(
        Type.Object(
          { number: E164, weight: Type.Number({ exclusiveMinimum: 0, maximum: 1e9, expected: 'a weight above 0' }) },
          { additionalProperties: false },
        ),
        { minItems: 1, expected: 'at least one number' },
      ),
    ),
  },
  { additionalProperties: false },
);

const ROOT = 'createSimTrunk.inbound';

/** Cross-field rules the schema cannot state. */
function refine(options: SimInboundOptions): Issue[] {
  const issues: Issue[] = [];
  const { profile, callers } = options;
  if (profile.ratesPerHour.length * profile.intervalMs > DAY_MS) {
    issues.push({
      path: `${ROOT}.profile.ratesPerHour`,
      message: `${profile.ratesPerHour.length} intervals of ${profile.intervalMs} ms cover more than a day; give at most ${Math.floor(DAY_MS / profile.intervalMs)}`,
    });
  }
  for (const [i, spike] of (options.spikes ?? []).entries()) {
    if (!(spike.endMs > spike.startMs)) issues.push({ path: `${ROOT}.spikes[${i}].endMs`, message: 'must be after startMs' });
  }
  const knownShare = callers?.knownShare ?? 0;
  if (knownShare + (callers?.withheldShare ?? 0) > 1) {
    issues.push({ path: `${ROOT}.callers.withheldShare`, message: 'knownShare + withheldShare must be at most 1' });
  }
  if (knownShare > 0 && (callers?.known?.length ?? 0) === 0) {
    issues.push({ path: `${ROOT}.callers.known`, message: 'knownShare is above 0: give at least one known number' });
  }
  return issues;
}

const parse: Parser<SimInboundOptions> = createParser<SimInboundOptions>(InboundSchema, { code: 'E_INVALID_CONFIG', root: ROOT, refine });

/** Inbound options with their defaults, checked. */
export interface ResolvedInbound extends SimInboundOptions {
  readonly spikes: readonly ArrivalSpike[];
  readonly callers: Required<SimCallerMix>;
}

/**
 * Check {@link SimInboundOptions} (never mutating them) and apply the defaults. Throws
 * `E_INVALID_CONFIG` naming each bad field (`createSimTrunk.inbound.patience.meanMs: …`).
 */
export function resolveInboundOptions(options: SimInboundOptions): ResolvedInbound {
  const parsed = parse(options);
  return {
    ...parsed,
    spikes: parsed.spikes ?? [],
    callers: {
      known: parsed.callers?.known ?? [],
      knownShare: parsed.callers?.knownShare ?? 0,
      withheldShare: parsed.callers?.withheldShare ?? 0,
      unknownPrefix: parsed.callers?.unknownPrefix ?? '+1555',
    },
  };
}

/** The JSON Schema of {@link SimInboundOptions}, for hosts and docs. */
export const SimInboundOptionsSchema = InboundSchema;
export type { SimDuration };
