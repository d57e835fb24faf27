import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type Clock, createParser, type Issue, type Logger, PacelineError, type Random } from '@paceline/core';
import { parseWav8k, type SipTrunkConfig, type SipTrunkOptions } from '@paceline/trunk-sip';
import Type, { type Static } from 'typebox';
import { CliError } from './cli-error';
import { readJson } from './read-input';

// The file of `paceline run --trunk sip --sip-config sip.json`: the options of
// `createSipTrunk` (@paceline/trunk-sip) that can be written as JSON, plus `passwordEnv` so
// that a secret need not sit in the file. docs/cli.md shows an example.

const Positive = (expected: string) => Type.Number({ exclusiveMinimum: 0, expected });
const Milliseconds = Type.Integer({ minimum: 0, expected: 'a duration in milliseconds' });

const TrunkSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, expected: 'a non-empty trunk name' }),
    host: Type.String({ minLength: 1, pattern: '^[^\\s:/]+$', expected: 'a host name or IP address (no scheme, no port)' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535, expected: 'a port number, 1–65535' })),
    transport: Type.Optional(Type.Enum(['udp', 'tcp'], { expected: 'one of "udp", "tcp"' })),
    domain: Type.Optional(Type.String({ minLength: 1 })),
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String()),
    passwordEnv: Type.Optional(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', expected: 'the name of an environment variable holding the password' }),
    ),
    callerId: Type.Optional(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', expected: 'an E.164 number such as +14155550123' })),
    maxChannels: Type.Optional(Type.Integer({ minimum: 1, expected: 'a whole number of calls, at least 1' })),
    callsPerSecond: Type.Optional(Positive('a number of INVITEs per second, above 0')),
    prefixes: Type.Optional(
      Type.Array(Type.String({ pattern: '^\\+[0-9]{1,15}$', expected: 'an E.164 prefix such as +44' }), { minItems: 1 }),
    ),
  },
  { additionalProperties: false },
);

// issue-17: the AMD settings of @paceline/trunk-sip (amd-options.ts).
const AmdSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    initialSilenceMs: Type.Optional(Milliseconds),
    machineGreetingMs: Type.Optional(Milliseconds),
    afterGreetingSilenceMs: Type.Optional(Milliseconds),
    earlyHumanSilenceMs: Type.Optional(Milliseconds),
    humanDeadlineMs: Type.Optional(Milliseconds),
    minGreetingHeardMs: Type.Optional(Milliseconds),
    totalAnalysisMs: Type.Optional(Milliseconds),
    minWordMs: Type.Optional(Milliseconds),
    betweenWordsSilenceMs: Type.Optional(Milliseconds),
    voiceMarginDb: Type.Optional(Type.Number({ minimum: 0 })),
    minVoiceDbfs: Type.Optional(Type.Number({ maximum: 0 })),
    noiseWindowMs: Type.Optional(Milliseconds),
    minBeepMs: Type.Optional(Type.Number({ minimum: 60 })),
    beepListenMs: Type.Optional(Milliseconds),
    messageSilenceMs: Type.Optional(Milliseconds),
    maxMessageWaitMs: Type.Optional(Milliseconds),
  },
  { additionalProperties: false },
);

/** The JSON of `--sip-config`. */
export const SipConfigSchema = Type.Object(
  {
    trunks: Type.Array(TrunkSchema, { minItems: 1, expected: 'at least one trunk' }),
    messages: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1, expected: 'the path of a WAV file' }))),
    amd: Type.Optional(AmdSchema),
    bindAddress: Type.Optional(Type.String({ minLength: 1 })),
    sipTimers: Type.Optional(
      Type.Object(
        { t1Ms: Type.Optional(Positive('milliseconds')), t2Ms: Type.Optional(Positive('milliseconds')) },
        { additionalProperties: false },
      ),
    ),
    breaker: Type.Optional(
      Type.Object(
        { failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })), openMs: Type.Optional(Milliseconds) },
        { additionalProperties: false },
      ),
    ),
    defaultRetryAfterMs: Type.Optional(Milliseconds),
    acceptWaitMs: Type.Optional(Milliseconds),
  },
  { additionalProperties: false },
);

/** The JSON of `--sip-config`, validated. */
export type SipConfigFile = Static<typeof SipConfigSchema>;

/** Parse a `--sip-config` document; problems throw `E_INVALID_CONFIG` naming each field's path (`sip.trunks[0].host`). */
export const parseSipConfig = createParser<SipConfigFile>(SipConfigSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'sip',
  refine: (c) => {
    const issues: Issue[] = [];
    const ids = new Set<string>();
    c.trunks.forEach((t, i) => {
      if (ids.has(t.id)) issues.push({ path: `sip.trunks[${i}].id`, message: `duplicate trunk id "${t.id}"` });
      ids.add(t.id);
      if (t.password !== undefined && t.passwordEnv !== undefined)
        issues.push({ path: `sip.trunks[${i}].passwordEnv`, message: 'give password or passwordEnv, not both' });
      if ((t.password !== undefined || t.passwordEnv !== undefined) && t.username === undefined)
        issues.push({ path: `sip.trunks[${i}].username`, message: 'is required with a password' });
    });
    return issues;
  },
});

/**
 * Read `--sip-config` and turn it into `createSipTrunk` options: validate the JSON, take
 * passwords from `passwordEnv`, resolve message paths against the file's folder and check
 * each WAV, and require the messages the campaign needs (`required`: the safe-harbour
 * message always, the machine message with `machineHandling: "message"`). Any problem is a
 * one-line `CliError` naming the file and the field.
 */
export function loadSipConfig(
  path: string,
  required: readonly string[],
  deps: { clock: Clock; random: Random; logger?: Logger; env?: NodeJS.ProcessEnv },
): SipTrunkOptions {
  const fail = (message: string) => new CliError(`sip config ${path}: ${message}`);
  let config: SipConfigFile;
  try {
    config = parseSipConfig(readJson(path, 'sip config'));
  } catch (error) {
    if (error instanceof PacelineError) throw fail(error.message);
    throw error;
  }
  const env = deps.env ?? process.env;
  const trunks = config.trunks.map((t, i): SipTrunkConfig => {
    const { passwordEnv, ...rest } = t;
    if (passwordEnv === undefined) return rest;
    const password = env[passwordEnv];
    if (password === undefined || password === '')
      throw fail(`sip.trunks[${i}].passwordEnv: environment variable ${passwordEnv} is not set`);
    return { ...rest, password };
  });
  const messages: Record<string, string> = {};
  for (const [id, file] of Object.entries(config.messages ?? {})) {
    const wav = isAbsolute(file) ? file : resolve(dirname(path), file);
    try {
      parseWav8k(readFileSync(wav), wav);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `${wav}: no such file` : (error as Error).message.split('\n')[0];
      throw fail(`sip.messages.${id}: ${why}`);
    }
    messages[id] = wav;
  }
  for (const id of required) {
    if (!(id in messages)) throw fail(`sip.messages.${id}: is required (the WAV the dialer plays for "${id}")`);
  }
  const { amd, bindAddress, sipTimers, breaker, defaultRetryAfterMs, acceptWaitMs } = config;
  return {
    trunks,
    clock: deps.clock,
    random: deps.random,
    ...(deps.logger ? { logger: deps.logger } : {}),
    messages,
    ...(amd ? { amd } : {}),
    ...(bindAddress !== undefined ? { bindAddress } : {}),
    ...(sipTimers ? { sipTimers } : {}),
    ...(breaker ? { breaker } : {}),
    ...(defaultRetryAfterMs !== undefined ? { defaultRetryAfterMs } : {}),
    ...(acceptWaitMs !== undefined ? { acceptWaitMs } : {}),
  };
}
