/**
 * NANP area codes → region and candidate IANA zones. Written from the NANPA assignments
 * (2025). An area code that spans zones keeps every candidate (the calling window is their
 * intersection); postal-code and state hints narrow them (see time-zone-resolver.ts).
 * Toll-free (8XX), premium (900), personal (5XX) and unassigned codes have no entry.
 */

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';

/** Area codes per region (US state, Canadian province, or NANP country / territory). */
const REGION_AREA_CODES: Readonly<Record<string, string>> = {
  AL: '205 251 256 334 483 659 938',
  AK: '907',
  AZ: '480 520 602 623 928',
  AR: '327 479 501 870',
  CA: '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 837 840 858 909 916 925 949 951',
  CO: '303 719 720 970 983',
  CT: '203 475 860 959',
  DE: '302',
  DC: '202 771',
  FL: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954',
  GA: '229 404 470 478 678 706 762 770 912 943',
  HI: '808',
  ID: '208 986',
  IL: '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872',
  IN: '219 260 317 463 574 765 812 930',
  IA: '319 515 563 641 712',
  KS: '316 620 785 913',
  KY: '270 364 502 606 859',
  LA: '225 318 337 457 504 985',
  ME: '207',
  MD: '227 240 301 410 443 667',
  MA: '339 351 413 508 617 774 781 857 978',
  MI: '231 248 269 313 517 586 616 679 734 810 906 947 989',
  MN: '218 320 507 612 651 763 924 952',
  MS: '228 601 662 769',
  MO: '235 314 417 557 573 636 660 816 975',
  MT: '406',
  NE: '308 402 531',
  NV: '702 725 775',
  NH: '603',
  NJ: '201 551 609 640 732 848 856 862 908 973',
  NM: '505 575',
  NY: '212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934',
  NC: '252 336 472 704 743 828 910 919 980 984',
  ND: '701',
  OH: '216 220 234 283 326 330 380 419 436 440 513 567 614 740 937',
  OK: '405 539 572 580 918',
  OR: '458 503 541 971',
  PA: '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878',
  RI: '401',
  SC: '803 839 843 854 864',
  SD: '605',
  TN: '423 615 629 731 865 901 931',
  TX: '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
  UT: '385 435 801',
  VT: '802',
  VA: '276 434 540 571 686 703 757 804 826 948',
  WA: '206 253 360 425 509 564',
  WV: '304 681',
  WI: '262 274 353 414 534 608 715 920',
  WY: '307',
  PR: '787 939',
  VI: '340',
  GU: '671',
  MP: '670',
  AS: '684',
  // Canada
  AB: '368 403 587 780 825',
  BC: '236 250 257 604 672 778',
  MB: '204 431 584',
  NB: '428 506',
  NL: '709 879',
  NS: '782 902',
  ON: '226 249 289 343 365 382 387 416 437 519 548 613 647 683 705 742 753 807 905 942',
  QC: '263 354 367 418 438 450 468 514 579 581 819 873',
  SK: '306 474 639',
  YT: '867',
};

/** Area codes of the other NANP countries (their own ISO codes; KY and MS are also US states). */
const COUNTRY_AREA_CODES: Readonly<Record<string, string>> = {
  BS: '242',
  BB: '246',
  AI: '264',
  AG: '268',
  VG: '284',
  KY: '345',
  BM: '441',
  GD: '473',
  TC: '649',
  JM: '658 876',
  MS: '664',
  SX: '721',
  LC: '758',
  DM: '767',
  VC: '784',
  DO: '809 829 849',
  TT: '868',
  KN: '869',
};

/** Zones of each region; split states list every zone they span. */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  AL: [CT],
  AK: ['America/Anchorage', 'America/Adak'],
  // Arizona keeps standard time all year; the Navajo Nation observes DST (Mountain).
  AZ: ['America/Phoenix', MT],
  AR: [CT],
  CA: [PT],
  CO: [MT],
  CT: [ET],
  DE: [ET],
  DC: [ET],
  FL: [ET, CT],
  GA: [ET],
  HI: ['Pacific/Honolulu'],
  ID: ['America/Boise', PT],
  IL: [CT],
  IN: ['America/Indiana/Indianapolis', CT],
  IA: [CT],
  KS: [CT, MT],
  KY: ['America/Kentucky/Louisville', CT],
  LA: [CT],
  ME: [ET],
  MD: [ET],
  MA: [ET],
  MI: ['America/Detroit', 'America/Menominee'],
  MN: [CT],
  MS: [CT],
  MO: [CT],
  MT: [MT],
  NE: [CT, MT],
  NV: [PT, MT],
  NH: [ET],
  NJ: [ET],
  NM: [MT],
  NY: [ET],
  NC: [ET],
  ND: [CT, MT],
  OH: [ET],
  OK: [CT],
  OR: [PT, 'America/Boise'],
  PA: [ET],
  RI: [ET],
  SC: [ET],
  SD: [CT, MT],
  TN: [CT, ET],
  TX: [CT, MT],
  UT: [MT],
  VT: [ET],
  VA: [ET],
  WA: [PT],
  WV: [ET],
  WI: [CT],
  WY: [MT],
  PR: ['America/Puerto_Rico'],
  VI: ['America/St_Thomas'],
  GU: ['Pacific/Guam'],
  MP: ['Pacific/Saipan'],
  AS: ['Pacific/Pago_Pago'],
  AB: ['America/Edmonton'],
  BC: ['America/Vancouver', 'America/Edmonton', 'America/Creston', 'America/Dawson_Creek', 'America/Fort_Nelson'],
  MB: ['America/Winnipeg'],
  NB: ['America/Moncton'],
  NL: ['America/St_Johns', 'America/Goose_Bay'],
  NS: ['America/Halifax'],
  PE: ['America/Halifax'],
  ON: ['America/Toronto', 'America/Winnipeg'],
  QC: ['America/Toronto', 'America/Halifax', 'America/Blanc-Sablon'],
  SK: ['America/Regina', 'America/Edmonton'],
  YT: ['America/Whitehorse'],
  NT: ['America/Yellowknife'],
  NU: ['America/Iqaluit', 'America/Rankin_Inlet', 'America/Cambridge_Bay'],
};

/** Zones of the other NANP countries. */
const COUNTRY_ZONES: Readonly<Record<string, readonly string[]>> = {
  BS: ['America/Nassau'],
  BB: ['America/Barbados'],
  AI: ['America/Anguilla'],
  AG: ['America/Antigua'],
  VG: ['America/Tortola'],
  KY: ['America/Cayman'],
  BM: ['Atlantic/Bermuda'],
  GD: ['America/Grenada'],
  TC: ['America/Grand_Turk'],
  JM: ['America/Jamaica'],
  MS: ['America/Montserrat'],
  SX: ['America/Lower_Princes'],
  LC: ['America/St_Lucia'],
  DM: ['America/Dominica'],
  VC: ['America/St_Vincent'],
  DO: ['America/Santo_Domingo'],
  TT: ['America/Port_of_Spain'],
  KN: ['America/St_Kitts'],
};

/** Area codes whose territory spans zones (or differs from its region's main zone). */
const AREA_CODE_ZONES: Readonly<Record<string, readonly string[]>> = {
  // Alabama, Arkansas … single-zone states use REGION_ZONES; only the exceptions follow.
  // Arizona: 928 covers the Navajo Nation (DST); the Phoenix and Tucson codes do not.
  '480': ['America/Phoenix'],
  '520': ['America/Phoenix'],
  '602': ['America/Phoenix'],
  '623': ['America/Phoenix'],
  '928': ['America/Phoenix', MT],
  // Florida: the panhandle west of the Apalachicola River is Central.
  '850': [ET, CT],
  '448': [ET, CT],
  // Every other Florida code is Eastern.
  ...Object.fromEntries(
    '239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954'.split(' ').map((c) => [c, [ET]]),
  ),
  // Indiana: the northwest (Gary) and southwest (Evansville) corners are Central.
  '219': [CT, 'America/Indiana/Indianapolis'],
  '574': ['America/Indiana/Indianapolis', CT],
  '812': ['America/Indiana/Indianapolis', CT],
  '930': ['America/Indiana/Indianapolis', CT],
  '260': ['America/Indiana/Indianapolis'],
  '317': ['America/Indiana/Indianapolis'],
  '463': ['America/Indiana/Indianapolis'],
  '765': ['America/Indiana/Indianapolis'],
  // Kansas: Greeley, Hamilton (620), Sherman, Wallace (785) are Mountain.
  '316': [CT],
  '913': [CT],
  '620': [CT, MT],
  '785': [CT, MT],
  // Kentucky: western Kentucky is Central; Wayne, Clinton, Russell (606) too.
  '270': [CT, 'America/Kentucky/Louisville'],
  '364': [CT, 'America/Kentucky/Louisville'],
  '502': ['America/Kentucky/Louisville'],
  '859': ['America/Kentucky/Louisville'],
  '606': ['America/Kentucky/Louisville', CT],
  // Michigan: four Upper Peninsula counties bordering Wisconsin are Central.
  '906': ['America/Detroit', 'America/Menominee'],
  ...Object.fromEntries('231 248 269 313 517 586 616 679 734 810 947 989'.split(' ').map((c) => [c, ['America/Detroit']])),
  // Nebraska: the panhandle (308) is partly Mountain.
  '402': [CT],
  '531': [CT],
  '308': [CT, MT],
  // Nevada: West Wendover and Jackpot (775) keep Mountain time.
  '702': [PT],
  '725': [PT],
  '775': [PT, MT],
  // North and South Dakota: the south-west of each is Mountain.
  '701': [CT, MT],
  '605': [CT, MT],
  // Oregon: Malheur County (541/458) is Mountain. Idaho: the panhandle (208/986) is Pacific.
  '503': [PT],
  '971': [PT],
  '541': [PT, 'America/Boise'],
  '458': [PT, 'America/Boise'],
  '208': ['America/Boise', PT],
  '986': ['America/Boise', PT],
  // Tennessee: East Tennessee is Eastern, except Marion County (423); 931 spans both.
  '423': [ET, CT],
  '865': [ET],
  '615': [CT],
  '629': [CT],
  '731': [CT],
  '901': [CT],
  '931': [CT, ET],
  // Texas: El Paso and Hudspeth (915) are Mountain; 432 reaches Culberson County.
  '915': [MT],
  '432': [CT, MT],
  // Alaska: the Aleutians west of 169°30′ W keep Hawaii–Aleutian time.
  '907': ['America/Anchorage', 'America/Adak'],
  // British Columbia: 604 is the Lower Mainland; the others reach the Mountain-time east.
  '604': ['America/Vancouver'],
  // Ontario: north-west Ontario (807) is partly Central.
  ...Object.fromEntries(
    '226 249 289 343 365 382 387 416 437 519 548 613 647 683 705 742 753 905 942'.split(' ').map((c) => [c, ['America/Toronto']]),
  ),
  '807': ['America/Toronto', 'America/Winnipeg'],
  // Quebec: the Magdalen Islands and the Lower North Shore (418/581/367) are Atlantic.
  ...Object.fromEntries('263 354 438 450 468 514 579 819 873'.split(' ').map((c) => [c, ['America/Toronto']])),
  '418': ['America/Toronto', 'America/Halifax', 'America/Blanc-Sablon'],
  '581': ['America/Toronto', 'America/Halifax', 'America/Blanc-Sablon'],
  '367': ['America/Toronto', 'America/Halifax', 'America/Blanc-Sablon'],
  // Nova Scotia and Prince Edward Island share 902/782.
  '902': ['America/Halifax'],
  '782': ['America/Halifax'],
  // Yukon, Northwest Territories and Nunavut share 867.
  '867': ['America/Whitehorse', 'America/Yellowknife', 'America/Iqaluit', 'America/Rankin_Inlet', 'America/Cambridge_Bay'],
};

/** One area code's region and candidate zones. */
export interface AreaCodeInfo {
  /** Region code: US state or territory, Canadian province, or the NANP country itself (`FL`, `ON`, `JM`). */
  readonly region: string;
  /** The ISO country (`US`, `CA`, `JM` …). */
  readonly country: string;
  readonly zones: readonly string[];
}

const CANADA = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'PE', 'ON', 'QC', 'SK', 'YT', 'NT', 'NU']);
// US territories have their own ISO codes (and libphonenumber-js reports them).
const US_TERRITORIES = new Set(['PR', 'VI', 'GU', 'MP', 'AS']);

/** The country (ISO 3166-1) of a US state, territory or Canadian province code. */
export function countryOfRegion(region: string): string {
  if (CANADA.has(region)) return 'CA';
  if (US_TERRITORIES.has(region)) return region;
  return 'US';
}

const TABLE: (AreaCodeInfo | undefined)[] = (() => {
  const table: (AreaCodeInfo | undefined)[] = new Array(1000).fill(undefined);
  for (const [region, codes] of Object.entries(REGION_AREA_CODES)) {
    for (const code of codes.split(' ')) {
      const zones = AREA_CODE_ZONES[code] ?? REGION_ZONES[region] ?? [];
      table[Number(code)] = { region, country: countryOfRegion(region), zones };
    }
  }
  for (const [country, codes] of Object.entries(COUNTRY_AREA_CODES)) {
    for (const code of codes.split(' ')) table[Number(code)] = { region: country, country, zones: COUNTRY_ZONES[country] ?? [] };
  }
  return table;
})();

/** The region and candidate zones of a NANP area code (200–999), or `undefined` when unknown. */
export function areaCodeInfo(areaCode: number): AreaCodeInfo | undefined {
  return TABLE[areaCode];
}

/** Every area code in the table, ascending. */
export function knownAreaCodes(): number[] {
  const out: number[] = [];
  TABLE.forEach((info, code) => {
    if (info) out.push(code);
  });
  return out;
}
