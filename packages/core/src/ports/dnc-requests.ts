import { PacelineError } from '../errors';
import { maskPhone } from './logger';

/**
 * dnc-shared: one do-not-call request as the `Store` keeps it, for every engine process of the
 * tenant to honour: the internal (company-wide) list when `campaignId` is absent, else that
 * campaign's list. 16 CFR 310.4(b)(1)(iii)(A), 47 CFR 64.1200(d): an entity-specific request
 * binds the seller, whichever process or campaign took it.
 */
export interface DncRequest {
  /** The number, E.164 (`+` then 7–15 digits). Never logged. */
  readonly phone: string;
  /** Absent: the internal list (every campaign). Present: only that campaign's list. */
  readonly campaignId?: string;
  /** Why, e.g. "disposition DNC", "do-not-call asked on an inbound call", "web preference centre". */
  readonly reason: string;
  /** Who took it: an agent id, `inbound`, the host's channel. */
  readonly source: string;
  /** When it was asked, epoch ms. */
  readonly at: number;
}

/** A {@link DncRequest} as stored: `seq` orders every addition of the tenant (1, 2, …; the list's version). */
export interface StoredDncRequest extends DncRequest {
  readonly seq: number;
}

/** What {@link Store.listDnc} returns: the additions after a sequence number, and the list's version. */
export interface DncPage {
  /** The highest `seq` stored (0 when the list is empty). */
  readonly version: number;
  /** Entries with `seq > afterSeq`, lowest first, at most `limit`. */
  readonly entries: readonly StoredDncRequest[];
  /**
   * The entry stored at `seq === afterSeq`, when there is one: a reader that applied up to
   * `afterSeq` compares it with the entry it applied there, and reads the list again from 0
   * when they differ (a server that lost acknowledged writes and handed their numbers out again).
   */
  readonly anchor?: StoredDncRequest;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
const MAX_TEXT = 256;
const MAX_ID = 128;

/**
 * Check an entry before a store keeps it (both stores call this): `E_INVALID_INPUT` naming the
 * field. The message masks the number (it may reach a log).
 */
export function checkDncRequest(entry: DncRequest): DncRequest {
  const where = 'dnc entry';
  if (typeof entry !== 'object' || entry === null) throw new PacelineError('E_INVALID_INPUT', `${where}: expected an object`);
  if (typeof entry.phone !== 'string' || !E164.test(entry.phone)) {
    const shown = typeof entry.phone === 'string' ? maskPhone(entry.phone) : typeof entry.phone;
    throw new PacelineError(
      'E_INVALID_INPUT',
      `${where}.phone: expected an E.164 number such as +14155550123 (normalise it first), got ${shown}`,
    );
  }
  if (
    entry.campaignId !== undefined &&
    (typeof entry.campaignId !== 'string' || entry.campaignId.length === 0 || entry.campaignId.length > MAX_ID)
  ) {
    throw new PacelineError(
      'E_INVALID_INPUT',
      `${where}.campaignId: expected absent (the internal list) or a campaign id of 1–128 characters`,
    );
  }
  for (const field of ['reason', 'source'] as const) {
    const value = entry[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
      throw new PacelineError('E_INVALID_INPUT', `${where}.${field}: expected 1–${MAX_TEXT} characters`);
    }
  }
  if (typeof entry.at !== 'number' || !Number.isFinite(entry.at) || entry.at < 0) {
    throw new PacelineError('E_INVALID_INPUT', `${where}.at: expected epoch milliseconds, got ${String(entry.at)}`);
  }
  return {
    phone: entry.phone,
    ...(entry.campaignId === undefined ? {} : { campaignId: entry.campaignId }),
    reason: entry.reason,
    source: entry.source,
    at: entry.at,
  };
}

/** Check `listDnc`'s arguments: `E_INVALID_INPUT` naming the bad one. */
export function checkDncPageRequest(afterSeq: number, limit: number): void {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
    throw new PacelineError('E_INVALID_INPUT', `listDnc afterSeq: expected a whole number ≥ 0, got ${String(afterSeq)}`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new PacelineError('E_INVALID_INPUT', `listDnc limit: expected a whole number ≥ 1, got ${String(limit)}`);
  }
}
