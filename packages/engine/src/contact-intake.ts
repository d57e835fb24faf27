import { type Contact, type Issue, PacelineError } from '@paceline/core';

/** Contacts validated and stored per turn of the event loop, at most. */
export const INTAKE_BATCH = 500;

/**
 * CPU milliseconds one turn may take before it gives the event loop a turn, even short of
 * {@link INTAKE_BATCH} contacts: a slow machine (or a garbage collection) must not turn one
 * batch into a stall longer than a SIP timer's or the pacer's tolerance.
 */
export const INTAKE_SLICE_MS = 8;

/** Milliseconds from a monotonic source, for slice budgets only (never for the dialer's logic, which runs on its `Clock`). */
// biome-ignore lint/plugin: a CPU budget for cutting batches (like yieldToEventLoop's turn), not the dialer's time: it decides only where a batch ends.
const sliceNow = (): number => performance.now();

/** Options of `dialer.addContacts`. */
export interface AddContactsOptions {
  /**
   * The inputs are the caller's to give away: built for this call (an importer's fresh
   * contacts), shared with nothing and never changed afterwards. A complete, valid input is then
   * stored as it is instead of copied first (the same contacts, the same row errors).
   */
  readonly handOver?: boolean;
}

/** What {@link takeInContacts} needs from the dialer: a narrow seam, so the engine's layout can change around it. */
export interface ContactIntakeSeam {
  /** Validate one input into a contact ready for the campaign (throws a `PacelineError` with issues). */
  prepare(input: unknown): Contact;
  /** Store a batch; returns how many were new. */
  store(contacts: readonly Contact[]): Promise<number>;
  /** Give the event loop a turn (timers, sockets, the pacer) between batches. */
  yieldControl(): Promise<void>;
  /**
   * Monotonic milliseconds for the slice budget ({@link INTAKE_SLICE_MS}); default
   * `performance.now`. Only where a batch is cut depends on it, never what is stored.
   */
  now?(): number;
}

/**
 * Validate and store contacts in batches of {@link INTAKE_BATCH} (cut short after
 * {@link INTAKE_SLICE_MS} of work), giving the event loop a turn between batches: a list of half a million contacts never holds the dialer (pacing, SIP
 * timers, live answers wait at most one batch, a few milliseconds). Inputs may be an array or
 * any (async) iterable, so a streamed import never holds the whole list. A bad input is
 * reported by its index (`contacts[i]`) and skipped.
 */
export async function takeInContacts(
  inputs: Iterable<unknown> | AsyncIterable<unknown>,
  seam: ContactIntakeSeam,
): Promise<{ added: number; rejected: Issue[] }> {
  const rejected: Issue[] = [];
  let added = 0;
  let batch: Contact[] = [];
  let index = 0;
  let sinceYield = 0;
  const now = seam.now ?? sliceNow;
  let sliceStart = now();
  const flush = async () => {
    if (batch.length > 0) {
      const stored = batch;
      batch = [];
      added += await seam.store(stored);
    }
    sinceYield = 0;
    await seam.yieldControl();
    sliceStart = now();
  };
  const take = (input: unknown): void => {
    const i = index++;
    try {
      batch.push(seam.prepare(input));
    } catch (error) {
      const issues = error instanceof PacelineError ? error.issues : [];
      rejected.push({ path: `contacts[${i}]`, message: issues.map((x) => `${x.path}: ${x.message}`).join('; ') || String(error) });
    }
  };
  // The clock is read every 32 contacts: cheap, and 32 contacts take well under a millisecond.
  const due = (): boolean => ++sinceYield === INTAKE_BATCH || ((sinceYield & 31) === 0 && now() - sliceStart >= INTAKE_SLICE_MS);
  if (Symbol.iterator in inputs) {
    // A plain (sync) iterable, such as an importer's batch: walked without `for await`, which
    // wraps every element in a promise and an iterator result (~600 bytes of garbage a contact).
    // A promise among the inputs is still awaited, as `for await` would.
    for (const input of inputs) {
      take(isThenable(input) ? await input : input);
      if (due()) await flush();
    }
  } else {
    for await (const input of inputs) {
      take(input);
      if (due()) await flush();
    }
  }
  if (batch.length > 0 || index === 0) await flush();
  return { added, rejected };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The default {@link ContactIntakeSeam.yieldControl}: a macrotask turn (`setImmediate`). */
export function yieldToEventLoop(): Promise<void> {
  // biome-ignore lint/style/noRestrictedGlobals: a turn of the event loop, not time: no Clock can give it (a virtual clock's 0 ms timer waits for the simulation to advance).
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Only one list upload per campaign at a time: a second one while the first runs is refused
 * with `E_CONFLICT` (two uploads racing would interleave their dedupe and double the load).
 */
export class UploadGate {
  readonly #running = new Map<string, string>();

  /** Run `work` as the campaign's one upload named `name`; refused while another runs. */
  async exclusive<T>(campaignId: string, name: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(campaignId);
    if (running !== undefined) {
      throw new PacelineError(
        'E_CONFLICT',
        `campaign ${campaignId}: the upload of "${running}" is still running; wait for its report, then upload "${name}"`,
        { campaignId, running },
      );
    }
    this.#running.set(campaignId, name);
    try {
      return await work();
    } finally {
      this.#running.delete(campaignId);
    }
  }

  /** The upload running for a campaign, if any. */
  running(campaignId: string): string | undefined {
    return this.#running.get(campaignId);
  }
}
