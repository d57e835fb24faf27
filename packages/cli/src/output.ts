import { SingleBar } from 'cli-progress';

/** Where a command writes: stdout for results, stderr for progress (so `--json` stays clean). */
export interface Output {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The process's streams. */
export const processOutput: Output = { stdout: process.stdout, stderr: process.stderr };

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, tests). */
export interface Progress {
  update(value: number): void;
  stop(): void;
}

/** Start a progress bar of `total` units, labelled `label`. */
export function startProgress(out: Output, label: string, total: number, unit: string): Progress {
  if (!out.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    stream: out.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}`,
    hideCursor: true,
    clearOnComplete: true,
    // The simulator runs synchronously: redraw from update(), not from a timer.
    synchronousUpdate: true,
    fps: 12,
  });
  bar.start(total, 0);
  return {
    update: (value) => bar.update(Math.min(total, Math.round(value))),
    stop: () => bar.stop(),
  };
}

/** A two-column table for people. */
export function kvTable(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v.padStart(valueWidth)}`).join('\n');
}

/** Format a fraction as a percentage. */
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
