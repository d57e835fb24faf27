import { PacelineError } from '@paceline/core';

/**
 * What voicemail greetings say and people answering a call do not: the default phrase list of
 * the greeting-words stage. Written in the normal form of {@link normaliseWords} (lower case,
 * contractions spelt out: "can't" is "cannot", "you've" is "you have"). Deliberately absent:
 * things a person may say on answering ("call you back", "you have reached …", "who is calling").
 */
export const DEFAULT_MACHINE_PHRASES: readonly string[] = [
  'leave a message',
  'leave your message',
  'leave me a message',
  'leave us a message',
  'leave a voicemail',
  'leave your name',
  'leave your number',
  'after the tone',
  'after the beep',
  'at the tone',
  'at the beep',
  'speak after the',
  'record your message',
  'this is a recording',
  'not available',
  'is unavailable',
  'cannot take your call',
  'unable to take your call',
  'cannot come to the phone',
  'cannot answer the phone',
  'get back to you',
  'return your call',
  'voicemail',
  'mailbox',
  'answering machine',
  'office is closed',
];

/** A phrase found in a transcript. */
export interface PhraseMatch {
  /** The phrase of the list. */
  readonly phrase: string;
  /** The words of the transcript it matched (normalised). */
  readonly heard: string;
  /** Letters inserted, deleted or changed between them. */
  readonly edits: number;
  /** issue-17 f2: set when forced scoring found the phrase (no reading held it; `heard` is empty). */
  readonly forced?: { readonly logProb: number; readonly margin: number };
}

/** Settings of {@link MachinePhraseMatcher}. */
export interface MachinePhraseOptions {
  /** The phrases (any case and punctuation; normalised here). Default {@link DEFAULT_MACHINE_PHRASES}. */
  readonly phrases?: readonly string[];
  /**
   * Edits (letters, Levenshtein) tolerated per letter of a phrase, so ASR slips still match
   * ("leave my message" for "leave a message": 2 of 15). Phrases under 6 letters must match
   * exactly. Default 0.2, chosen on the tune half of the AMD corpus.
   */
  readonly maxEditRatio?: number;
}

const CONTRACTIONS: readonly (readonly [RegExp, string])[] = [
  [/\bcan't\b/g, 'cannot'],
  [/\bcan not\b/g, 'cannot'],
  [/\bwon't\b/g, 'will not'],
  [/n't\b/g, ' not'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/\b(it|that|this|there|he|she|what|who)'s\b/g, '$1 is'],
  [/\bvoice mail\b/g, 'voicemail'],
  [/\bmail box\b/g, 'mailbox'],
];

/**
 * Lower case, contractions spelt out, punctuation dropped, single spaces: the form phrases are
 * compared in ("You've reached… can't take" → "you have reached cannot take").
 */
export function normaliseWords(text: string): string {
  let s = text.toLowerCase().replace(/[’‘`]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) s = s.replace(pattern, replacement);
  return s
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Finds voicemail phrases in a greeting's transcript, tolerating speech-recognition slips: a
 * phrase matches a run of whole words whose letters differ from it by at most `maxEditRatio`
 * per letter. Used only to turn a `human` into a `machine`, never the other way.
 */
export class MachinePhraseMatcher {
  readonly #phrases: readonly string[];
  readonly #maxEditRatio: number;

  /** Throws `E_INVALID_CONFIG` for an empty phrase or a ratio outside 0–0.5. */
  constructor(options: MachinePhraseOptions = {}) {
    const ratio = options.maxEditRatio ?? 0.2;
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 0.5) {
      throw new PacelineError('E_INVALID_CONFIG', `amdWords.maxEditRatio: expected 0 to 0.5, got ${ratio}`, {
        field: 'amdWords.maxEditRatio',
      });
    }
    const phrases = (options.phrases ?? DEFAULT_MACHINE_PHRASES).map((p, i) => {
      const normal = normaliseWords(p);
      if (normal.length === 0) {
        throw new PacelineError('E_INVALID_CONFIG', `amdWords.phrases[${i}]: expected some words, got ${JSON.stringify(p)}`, {
          field: `amdWords.phrases[${i}]`,
        });
      }
      return normal;
    });
    this.#phrases = phrases;
    this.#maxEditRatio = ratio;
  }

  /** The phrases, normalised. */
  get phrases(): readonly string[] {
    return this.#phrases;
  }

  /** The closest phrase found in `transcript`, or undefined when none is near enough. */
  match(transcript: string): PhraseMatch | undefined {
    const words = normaliseWords(transcript).split(' ').filter(Boolean);
    let best: PhraseMatch | undefined;
    for (const phrase of this.#phrases) {
      const allowed = phrase.length < 6 ? 0 : Math.floor(phrase.length * this.#maxEditRatio);
      for (let start = 0; start < words.length; start++) {
        let heard = '';
        for (let end = start; end < words.length; end++) {
          heard = end === start ? (words[end] as string) : `${heard} ${words[end]}`;
          if (heard.length > phrase.length + allowed) break;
          if (heard.length < phrase.length - allowed) continue;
          const edits = levenshtein(phrase, heard, allowed);
          if (edits > allowed || !this.#contentWordsHeard(phrase, words.slice(start, end + 1))) continue;
          if (best === undefined || edits / phrase.length < best.edits / best.phrase.length) {
            best = { phrase, heard, edits };
          }
        }
      }
    }
    return best;
  }

  /**
   * Every word of four letters or more in the phrase is among the words heard, give or take
   * twice `maxEditRatio` of its letters (at least one; a slip bunches in one word: "after the
   * code"): the letters of a whole phrase may be close while its key word is another ("take a
   * message" is not "leave a message").
   */
  #contentWordsHeard(phrase: string, heard: readonly string[]): boolean {
    for (const word of phrase.split(' ')) {
      if (word.length < 4) continue;
      const allowed = Math.max(1, Math.round(word.length * 2 * this.#maxEditRatio));
      if (!heard.some((h) => levenshtein(word, h, allowed) <= allowed)) return false;
    }
    return true;
  }
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
function levenshtein(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}
