/**
 * Country (ISO 3166-1 alpha-2) → candidate IANA zones for numbers outside the NANP.
 * Countries that span zones list every zone where people live; the calling window is their
 * intersection unless a finer hint narrows it. A country missing here is "unknown" and gets
 * the profile's conservative default.
 */
const COUNTRY_ZONES: Readonly<Record<string, readonly string[]>> = {
  GB: ['Europe/London'],
  IE: ['Europe/Dublin'],
  FR: ['Europe/Paris'],
  DE: ['Europe/Berlin'],
  NL: ['Europe/Amsterdam'],
  BE: ['Europe/Brussels'],
  LU: ['Europe/Luxembourg'],
  CH: ['Europe/Zurich'],
  AT: ['Europe/Vienna'],
  IT: ['Europe/Rome'],
  ES: ['Europe/Madrid', 'Atlantic/Canary'],
  PT: ['Europe/Lisbon', 'Atlantic/Madeira', 'Atlantic/Azores'],
  DK: ['Europe/Copenhagen'],
  NO: ['Europe/Oslo'],
  SE: ['Europe/Stockholm'],
  FI: ['Europe/Helsinki'],
  IS: ['Atlantic/Reykjavik'],
  PL: ['Europe/Warsaw'],
  CZ: ['Europe/Prague'],
  SK: ['Europe/Bratislava'],
  HU: ['Europe/Budapest'],
  RO: ['Europe/Bucharest'],
  BG: ['Europe/Sofia'],
  GR: ['Europe/Athens'],
  HR: ['Europe/Zagreb'],
  SI: ['Europe/Ljubljana'],
  RS: ['Europe/Belgrade'],
  EE: ['Europe/Tallinn'],
  LV: ['Europe/Riga'],
  LT: ['Europe/Vilnius'],
  UA: ['Europe/Kyiv'],
  TR: ['Europe/Istanbul'],
  CY: ['Asia/Nicosia'],
  MT: ['Europe/Malta'],
  IL: ['Asia/Jerusalem'],
  AE: ['Asia/Dubai'],
  SA: ['Asia/Riyadh'],
  EG: ['Africa/Cairo'],
  ZA: ['Africa/Johannesburg'],
  NG: ['Africa/Lagos'],
  KE: ['Africa/Nairobi'],
  MA: ['Africa/Casablanca'],
  IN: ['Asia/Kolkata'],
  PK: ['Asia/Karachi'],
  BD: ['Asia/Dhaka'],
  LK: ['Asia/Colombo'],
  CN: ['Asia/Shanghai'],
  HK: ['Asia/Hong_Kong'],
  TW: ['Asia/Taipei'],
  JP: ['Asia/Tokyo'],
  KR: ['Asia/Seoul'],
  SG: ['Asia/Singapore'],
  MY: ['Asia/Kuala_Lumpur'],
  TH: ['Asia/Bangkok'],
  VN: ['Asia/Ho_Chi_Minh'],
  PH: ['Asia/Manila'],
  ID: ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'],
  AU: ['Australia/Perth', 'Australia/Darwin', 'Australia/Adelaide', 'Australia/Brisbane', 'Australia/Sydney', 'Australia/Hobart'],
  NZ: ['Pacific/Auckland', 'Pacific/Chatham'],
  MX: ['America/Mexico_City', 'America/Cancun', 'America/Chihuahua', 'America/Hermosillo', 'America/Mazatlan', 'America/Tijuana'],
  BR: ['America/Sao_Paulo', 'America/Manaus', 'America/Rio_Branco', 'America/Noronha', 'America/Cuiaba', 'America/Fortaleza'],
  AR: ['America/Argentina/Buenos_Aires'],
  CL: ['America/Santiago', 'America/Punta_Arenas', 'Pacific/Easter'],
  CO: ['America/Bogota'],
  PE: ['America/Lima'],
  EC: ['America/Guayaquil', 'Pacific/Galapagos'],
  UY: ['America/Montevideo'],
  VE: ['America/Caracas'],
  RU: [
    'Europe/Kaliningrad',
    'Europe/Moscow',
    'Europe/Samara',
    'Asia/Yekaterinburg',
    'Asia/Omsk',
    'Asia/Novosibirsk',
    'Asia/Krasnoyarsk',
    'Asia/Irkutsk',
    'Asia/Yakutsk',
    'Asia/Vladivostok',
    'Asia/Magadan',
    'Asia/Kamchatka',
  ],
  KZ: ['Asia/Almaty', 'Asia/Aqtobe'],
  MN: ['Asia/Ulaanbaatar', 'Asia/Hovd'],
  CD: ['Africa/Kinshasa', 'Africa/Lubumbashi'],
  // Overseas France has its own country codes.
  RE: ['Indian/Reunion'],
  GP: ['America/Guadeloupe'],
  MQ: ['America/Martinique'],
  GF: ['America/Cayenne'],
  YT: ['Indian/Mayotte'],
  NC: ['Pacific/Noumea'],
  PF: ['Pacific/Tahiti', 'Pacific/Marquesas', 'Pacific/Gambier'],
};

// Australian geographic numbers: the first national digit is the region.
const AU_REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  '2': ['Australia/Sydney', 'Australia/Broken_Hill'],
  '3': ['Australia/Melbourne', 'Australia/Hobart'],
  '7': ['Australia/Brisbane'],
  '8': ['Australia/Adelaide', 'Australia/Perth', 'Australia/Darwin'],
};

/**
 * Candidate zones for a non-NANP number of `country`, narrowed by the national number where
 * the numbering plan says more (Australian geographic area codes); `undefined` when unknown.
 */
export function zonesOfCountry(country: string, nationalNumber?: string): readonly string[] | undefined {
  if (country === 'AU' && nationalNumber !== undefined) {
    const zones = AU_REGION_ZONES[nationalNumber[0] ?? ''];
    if (zones) return zones;
  }
  return COUNTRY_ZONES[country];
}
