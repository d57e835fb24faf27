import type * as Ort from 'onnxruntime-node';

/** Moonshine tiny: decoder layers, key/value heads and head size (its `past_key_values` shapes). */
export const TINY_SHAPE = { layers: 6, kvHeads: 8, headDim: 36 } as const;
/** The token the decoder starts from. */
export const DECODER_START_TOKEN = 1;
/** The token that ends a reading. */
export const END_TOKEN = 2;
/** Moonshine emits at most ~6 tokens per second of audio (the bound its own runtime uses). */
export const TOKENS_PER_SECOND = 6;

/** The decoder's named inputs (its key/value cache among them). */
export type Feeds = Record<string, Ort.Tensor>;
