import { isAbsolute, join } from 'node:path';
import { freeUdpPort, SCENARIOS, spawnSippOnFreshPorts, stopSipp } from './sipp';

/** A SIPp caller: the carrier's UAC sending one call to the trunk. */
export interface SippCaller {
  /** SIPp's exit code (0: the call went as its scenario says). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A free port for a caller, known before the trunk is created (the trunk's carrier address). */
export async function callerPort(): Promise<number> {
  return freeUdpPort();
}

/**
 * Start SIPp as a caller on UDP `port` (which the trunk's config names as the carrier) running
 * `scenario` once against the trunk's SIP port `target`, with WAVs in `cwd`. Its media port is
 * asked of the OS: taken meanwhile by a test beside this one, SIPp starts again on a fresh one
 * (`spawnSippOnFreshPorts`, as `startSipp` does).
 */
export async function startCaller(
  scenario: string,
  cwd: string,
  port: number,
  target: number,
  extraArgs: readonly string[] = [],
): Promise<SippCaller> {
  const { child, exited } = await spawnSippOnFreshPorts(
    scenario,
    cwd,
    async () => ({ port, mediaPort: await freeUdpPort() }),
    ({ mediaPort }) => [
      ...['-sf', isAbsolute(scenario) ? scenario : join(SCENARIOS, scenario)],
      ...['-p', String(port), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-mp', String(mediaPort)],
      ...['-t', 'u1', '-m', '1', '-nostdin', '-nd', '-timeout', '60s', '-timeout_error'],
      ...extraArgs,
      `127.0.0.1:${target}`,
    ],
  );
  return {
    exited,
    stop: () => stopSipp(child, exited),
  };
}
