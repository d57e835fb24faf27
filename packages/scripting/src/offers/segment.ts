import type { CustomerProfile } from '../profile';

/** Maps a profile to the segment acceptance is learned in. */
export type SegmentOf = (profile: CustomerProfile) => string;

/**
 * The default segment: the host's `segment` when the profile has one, else value tier ×
 * lifecycle stage (`gold/at-risk`), coarse enough to learn from a day's calls.
 */
export const defaultSegmentOf: SegmentOf = (profile) => profile.segment ?? `${profile.valueTier}/${profile.lifecycleStage}`;
