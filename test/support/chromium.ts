import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/setup` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Under CI a missing browser is a failure (the set-up
 * installs it); locally the test named `what` is skipped with a message.
 */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${what}: ${CHROMIUM} not found (apt-get install -y chromium)`);
  console.warn(`${what} skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

/**
 * Headless Chromium as this machine needs it: no sandbox (root), no GPU, and no background
 * networking (the closed network refuses it). `launch()` gives each run a fresh temporary profile.
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...extraArgs,
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
