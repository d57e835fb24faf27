export type { AttributeType, Column, ColumnMapping, ResolvedColumn, ResolvedMapping } from './column-mapping';
export { headerKey, resolveMapping, suggestMapping } from './column-mapping';
export type { FirstSeen } from './contact-deduper';
export { ContactDeduper } from './contact-deduper';
export { zonesOfCountry } from './country-zones';
export type { CsvRecordReaderOptions, UnclosedQuote } from './csv-records';
export { CsvRecordReader } from './csv-records';
export type { ListDelimiter } from './delimiter-detection';
export { DELIMITERS, detectDelimiter } from './delimiter-detection';
export { DncBook } from './dnc-book';
export type { DncChange, DncEntry } from './dnc-list';
export { DncList } from './dnc-list';
export type { ChangeList, RegistryLineProblem, RegistryLoadOptions, RegistryLoadReport } from './dnc-registry';
export { DncRegistry, loadCsvRegistry, loadNumberFile, loadUsRegistry, readUsChangeList } from './dnc-registry';
export type { InvalidPhone, NormalisedPhone, ValidPhone } from './e164';
export { e164ToKey, keyToE164, normalisePhone, normalisePhoneWithLibphonenumber } from './e164';
export type { HopperEntry, HopperKind } from './hopper';
export { compareHopperEntries, hopperEntryOf } from './hopper';
export type {
  ImportOptions,
  ImportReport,
  ImportScrub,
  RejectReason,
  RowProblem,
} from './import-contacts';
export { IMPORT_SLICE_MS, importContacts } from './import-contacts';
export type { ListFormat, ListItem, ListReadOptions } from './list-records';
export { listItems } from './list-records';
export type { AreaCodeInfo } from './nanp-area-codes';
export { areaCodeInfo, knownAreaCodes, REGION_ZONES } from './nanp-area-codes';
export type { PackedPhoneSetOptions } from './packed-phone-set';
export { PackedPhoneSet, PackedPhoneSetBuilder, PackedPhoneSetWriter } from './packed-phone-set';
export type { PhoneCell } from './phone-cell';
export { parsePhoneCell, phoneCellMessage } from './phone-cell';
export type { PostalHint } from './postal-hints';
export { postalHint } from './postal-hints';
export type { AttemptEnd, RecycleOutcome } from './recycle-rules';
export { decideRecycle } from './recycle-rules';
export type { Condition, Segment } from './segmentation';
export { applySegments, ConditionSchema, filterSegment, matches, parseSegments, SegmentSchema } from './segmentation';
export { csvCell, csvLine, isFormulaLike, neutraliseFormula } from './spreadsheet-safety';
export type { DecodedText, DetectedEncoding, ListEncoding } from './text-decoding';
export { decodeText, detectEncoding } from './text-decoding';
export type { DigitLine, TextSource } from './text-source';
export { forEachDigitLine, forEachLine } from './text-source';
export type { ZoneHints, ZoneResolution, ZoneSource } from './time-zone-resolver';
export { resolveTimeZones } from './time-zone-resolver';
export type { SheetRow } from './xlsx-rows';
export { looksLikeXlsx, readXlsxRows } from './xlsx-rows';
