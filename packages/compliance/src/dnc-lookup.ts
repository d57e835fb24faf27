/** Which kind of do-not-call list holds a number. */
export type DncListKind = 'internal' | 'campaign' | 'registry';

/** One do-not-call list that holds the number. */
export interface DncHit {
  readonly list: DncListKind;
  /** The list's name (`internal`, the campaign id, `us-national` …). */
  readonly name: string;
  /** Why it is there, when known ("asked during a call"). */
  readonly reason?: string;
}

/** A national registry copy and the date its data is as of. */
export interface RegistryCopyInfo {
  /** Registry kind, matched against the profile's `registries[].kind` (`us-national`, `uk-tps` …). */
  readonly kind: string;
  readonly name: string;
  /** When the data was downloaded / valid as of, epoch ms. */
  readonly asOfMs: number;
}

/**
 * The port `checkDial` reads do-not-call data through. `@paceline/lists` implements it
 * (`DncBook`); a host may implement it over its own store.
 */
export interface DncLookup {
  /** Every list holding `phone` (E.164) that applies to `campaignId`. */
  find(phone: string, campaignId: string): readonly DncHit[];
  /** The national registry copies loaded. */
  registries(): readonly RegistryCopyInfo[];
}
