/**
 * Postal-code hints for the calling window: a US ZIP code's first three digits give the
 * state (USPS sectional centres) and, where a state spans zones, often the zone; a Canadian
 * postal code's first letter gives the province.
 */

/** [first ZIP3, last ZIP3, state] ranges, USPS sectional centre facilities. */
const ZIP3_RANGES: readonly (readonly [number, number, string])[] = [
  [5, 5, 'NY'],
  [6, 7, 'PR'],
  [8, 8, 'VI'],
  [9, 9, 'PR'],
  [10, 27, 'MA'],
  [28, 29, 'RI'],
  [30, 38, 'NH'],
  [39, 49, 'ME'],
  [50, 54, 'VT'],
  [55, 55, 'MA'],
  [56, 59, 'VT'],
  [60, 69, 'CT'],
  [70, 89, 'NJ'],
  [100, 149, 'NY'],
  [150, 196, 'PA'],
  [197, 199, 'DE'],
  [200, 200, 'DC'],
  [201, 201, 'VA'],
  [202, 205, 'DC'],
  [206, 219, 'MD'],
  [220, 246, 'VA'],
  [247, 268, 'WV'],
  [270, 289, 'NC'],
  [290, 299, 'SC'],
  [300, 319, 'GA'],
  [320, 339, 'FL'],
  [341, 349, 'FL'],
  [350, 369, 'AL'],
  [370, 385, 'TN'],
  [386, 397, 'MS'],
  [398, 399, 'GA'],
  [400, 427, 'KY'],
  [430, 459, 'OH'],
  [460, 479, 'IN'],
  [480, 499, 'MI'],
  [500, 528, 'IA'],
  [530, 549, 'WI'],
  [550, 567, 'MN'],
  [569, 569, 'DC'],
  [570, 577, 'SD'],
  [580, 588, 'ND'],
  [590, 599, 'MT'],
  [600, 629, 'IL'],
  [630, 658, 'MO'],
  [660, 679, 'KS'],
  [680, 693, 'NE'],
  [700, 715, 'LA'],
  [716, 729, 'AR'],
  [730, 732, 'OK'],
  [733, 733, 'TX'],
  [734, 749, 'OK'],
  [750, 799, 'TX'],
  [800, 816, 'CO'],
  [820, 831, 'WY'],
  [832, 838, 'ID'],
  [840, 847, 'UT'],
  [850, 865, 'AZ'],
  [870, 884, 'NM'],
  [885, 885, 'TX'],
  [889, 898, 'NV'],
  [900, 961, 'CA'],
  [967, 968, 'HI'],
  [969, 969, 'GU'],
  [970, 979, 'OR'],
  [980, 994, 'WA'],
  [995, 999, 'AK'],
];

/** ZIP3 areas of split states whose zone is known (the rest of the state keeps all candidates). */
const ZIP3_ZONES: Readonly<Record<number, readonly string[]>> = {
  // Florida panhandle: Panama City (324) and Pensacola (325) are Central; Tallahassee (323) Eastern.
  323: ['America/New_York'],
  324: ['America/Chicago'],
  325: ['America/Chicago'],
  // Texas: El Paso (798, 799, 885) is Mountain.
  798: ['America/Denver'],
  799: ['America/Denver'],
  885: ['America/Denver'],
  // Indiana: Gary (463, 464) and Evansville (476, 477) are Central; Indianapolis (460–462) Eastern.
  460: ['America/Indiana/Indianapolis'],
  461: ['America/Indiana/Indianapolis'],
  462: ['America/Indiana/Indianapolis'],
  463: ['America/Chicago'],
  464: ['America/Chicago'],
  476: ['America/Chicago'],
  477: ['America/Chicago'],
  // Kentucky: Louisville (400–402) and Lexington (403–405) are Eastern; Paducah (420) Central.
  400: ['America/Kentucky/Louisville'],
  401: ['America/Kentucky/Louisville'],
  402: ['America/Kentucky/Louisville'],
  403: ['America/Kentucky/Louisville'],
  404: ['America/Kentucky/Louisville'],
  405: ['America/Kentucky/Louisville'],
  420: ['America/Chicago'],
  // Tennessee: Knoxville (377–379) and Chattanooga (374) Eastern; Nashville (370–372) and Memphis (380–381) Central.
  370: ['America/Chicago'],
  371: ['America/Chicago'],
  372: ['America/Chicago'],
  374: ['America/New_York'],
  377: ['America/New_York'],
  378: ['America/New_York'],
  379: ['America/New_York'],
  380: ['America/Chicago'],
  381: ['America/Chicago'],
  // Oregon: Ontario (979) is Mountain (Boise). Idaho: Lewiston (835) and Coeur d'Alene (838) are Pacific.
  979: ['America/Boise'],
  835: ['America/Los_Angeles'],
  838: ['America/Los_Angeles'],
  836: ['America/Boise'],
  837: ['America/Boise'],
  // Nebraska: Scottsbluff (693) is Mountain; Omaha and Lincoln (680–685) Central.
  680: ['America/Chicago'],
  681: ['America/Chicago'],
  683: ['America/Chicago'],
  684: ['America/Chicago'],
  685: ['America/Chicago'],
  693: ['America/Denver'],
  // South Dakota: Rapid City (577) is Mountain; Sioux Falls (570–571) Central.
  570: ['America/Chicago'],
  571: ['America/Chicago'],
  577: ['America/Denver'],
  // North Dakota: Fargo (580–581) Central; Dickinson (586) Mountain.
  580: ['America/Chicago'],
  581: ['America/Chicago'],
  586: ['America/Denver'],
  // Kansas: Wichita and Kansas City (660–672) are Central.
  660: ['America/Chicago'],
  661: ['America/Chicago'],
  662: ['America/Chicago'],
  664: ['America/Chicago'],
  665: ['America/Chicago'],
  666: ['America/Chicago'],
  667: ['America/Chicago'],
  668: ['America/Chicago'],
  669: ['America/Chicago'],
  670: ['America/Chicago'],
  671: ['America/Chicago'],
  672: ['America/Chicago'],
  // Michigan: the Lower Peninsula (480–497) is Eastern.
  ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [480 + i, ['America/Detroit']])),
};

const ZIP3_STATE: (string | undefined)[] = (() => {
  const table: (string | undefined)[] = new Array(1000).fill(undefined);
  for (const [from, to, state] of ZIP3_RANGES) for (let z = from; z <= to; z++) table[z] = state;
  return table;
})();

/** What a US ZIP code says: its state and, where known, its zone. */
export interface PostalHint {
  readonly region: string;
  /** Zones of the postal area, when it is more precise than the region. */
  readonly zones?: readonly string[];
}

const CA_POSTAL_PROVINCE: Readonly<Record<string, string>> = {
  A: 'NL',
  B: 'NS',
  C: 'PE',
  E: 'NB',
  G: 'QC',
  H: 'QC',
  J: 'QC',
  K: 'ON',
  L: 'ON',
  M: 'ON',
  N: 'ON',
  P: 'ON',
  R: 'MB',
  S: 'SK',
  T: 'AB',
  V: 'BC',
  Y: 'YT',
};

/**
 * The hint a postal code gives, for US ZIP codes (`12345`, `12345-6789`) and Canadian
 * postal codes (`K1A 0B1`); `undefined` when it is not recognised.
 */
export function postalHint(postalCode: string, country: string | undefined): PostalHint | undefined {
  const code = postalCode.trim().toUpperCase();
  if ((country === undefined || country === 'US' || country === 'PR') && /^[0-9]{5}(?:-?[0-9]{4})?$/.test(code)) {
    const zip3 = Number(code.slice(0, 3));
    const region = ZIP3_STATE[zip3];
    if (region === undefined) return undefined;
    const zones = ZIP3_ZONES[zip3];
    return zones ? { region, zones } : { region };
  }
  if ((country === undefined || country === 'CA') && /^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$/.test(code)) {
    const first = code[0] as string;
    // X covers both territories: X0A, X0B, X0C are Nunavut; the rest the Northwest Territories.
    if (first === 'X') return { region: /^X0[ABC]/.test(code) ? 'NU' : 'NT' };
    const region = CA_POSTAL_PROVINCE[first];
    return region === undefined ? undefined : { region };
  }
  return undefined;
}

/** Each known ZIP3's index among the distinct hints ZIP codes give (-1 when unknown), and how many there are. */
const ZIP_HINTS = (() => {
  const index = new Int16Array(1000).fill(-1);
  const seen = new Map<string, number>();
  for (let zip3 = 0; zip3 < 1000; zip3++) {
    const region = ZIP3_STATE[zip3];
    if (region === undefined) continue;
    const key = `${region}|${ZIP3_ZONES[zip3]?.join(',') ?? ''}`;
    if (!seen.has(key)) seen.set(key, seen.size);
    index[zip3] = seen.get(key) as number;
  }
  return { index, count: seen.size };
})();

/** @internal How many distinct hints US ZIP codes give (for tables keyed by what a ZIP says rather than by the ZIP). */
export const ZIP_HINT_COUNT = ZIP_HINTS.count;

/**
 * @internal For a plain 5-digit ZIP code of a known ZIP3, the index (0 … `ZIP_HINT_COUNT` − 1)
 * of the hint `postalHint(postalCode, 'US')` gives; two ZIPs with one index give equal hints.
 * -1 for anything else (the caller takes the general path).
 */
export function zipHintIndex(postalCode: string): number {
  if (postalCode.length !== 5) return -1;
  let zip3 = 0;
  for (let i = 0; i < 5; i++) {
    const c = postalCode.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    if (i < 3) zip3 = zip3 * 10 + c;
  }
  return ZIP_HINTS.index[zip3] as number;
}

/** The part of a postal code `postalHint` reads (ZIP3, or a Canadian code's first three characters); '' when unrecognised. */
export function postalKey(postalCode: string): string {
  // The common case, a clean 5-digit ZIP, without regular expressions.
  if (postalCode.length === 5) {
    let digits = true;
    for (let i = 0; i < 5; i++) {
      const c = postalCode.charCodeAt(i);
      if (c < 48 || c > 57) digits = false;
    }
    if (digits) return `Z${postalCode.slice(0, 3)}`;
  }
  const code = postalCode.trim().toUpperCase();
  if (/^[0-9]{5}(?:-?[0-9]{4})?$/.test(code)) return `Z${code.slice(0, 3)}`;
  if (/^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$/.test(code)) return `C${code.slice(0, 3)}`;
  return '';
}
