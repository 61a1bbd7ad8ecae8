/**
 * A DICOM Part 10 file read with dcmjs into its "natural" dataset (keywords -> values), and the
 * typed readers the other DICOM modules use on it. dcmjs's own log is silenced: its warnings can
 * quote attribute values, and nothing of a file (the patient's name least of all) may reach a log.
 */
import dcmjs, { type NaturalDataset } from 'dcmjs';
import { transferSyntax, type TransferSyntax } from './syntax';

dcmjs.log.setLevel('silent', false);
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent', false);

export type { NaturalDataset };

export interface DicomFile {
  syntax: TransferSyntax;
  dataset: NaturalDataset;
}

/** True when `bytes` has the Part 10 preamble and "DICM" prefix. */
export function isDicom(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
}

/**
 * How many bytes the top-level Pixel Data element lacks, found from the end of the file by its
 * tag (7FE0,0010) followed by its declared length `declared` (what dcmjs read; explicit or
 * implicit VR little endian); 0 when complete. dcmjs fills a cut element with zeros, which would
 * pass for black pixels.
 */
function missingPixelBytes(bytes: Uint8Array, declared: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = bytes.length - 8; at >= 132; at--) {
    if (view.getUint32(at, true) !== 0x00107fe0) continue;
    // Explicit VR: tag, 'OB'/'OW', 2 reserved bytes, 4-byte length; implicit: tag, 4-byte length.
    for (const header of [12, 8]) {
      if (at + header <= bytes.length && view.getUint32(at + header - 4, true) === declared) return Math.max(0, at + header + declared - bytes.length);
    }
  }
  return 0;
}

/** Parses a Part 10 file; a damaged one is refused in one line (dcmjs's reason, never a value). */
export function readDicomFile(bytes: Uint8Array): DicomFile {
  if (!isDicom(bytes)) throw new Error('not a DICOM Part 10 file (no "DICM" after the 128-byte preamble)');
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  let parsed;
  try {
    parsed = dcmjs.data.DicomMessage.readFile(buffer as ArrayBuffer);
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error(`damaged DICOM file: ${why || 'the data set does not parse'} (truncated or not written by a DICOM application?)`, {
      cause: error,
    });
  }
  const meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta);
  const uid = text(meta, 'TransferSyntaxUID');
  if (uid === null) throw new Error('damaged DICOM file: the file meta information names no transfer syntax');
  const syntax = transferSyntax(uid);
  const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.dict);
  const pixels = binary(dataset, 'PixelData');
  // Deflated files are inflated by dcmjs (their byte offsets mean nothing here); encapsulated data has no single length.
  if (syntax.encoding === 'native' && !syntax.uid.endsWith('.99') && pixels.length === 1) {
    const missing = missingPixelBytes(bytes, pixels[0]!.length);
    if (missing > 0) throw new Error(`damaged DICOM file: the pixel data ends ${missing} bytes early (the file is truncated)`);
  }
  return { syntax, dataset };
}

/** The first value of an attribute (dcmjs gives single values bare and multiple ones as arrays). */
function firstValue(ds: NaturalDataset, key: string): unknown {
  const value = ds[key];
  return Array.isArray(value) ? value[0] : value;
}

/** A string attribute, trimmed; null when absent or empty. */
export function text(ds: NaturalDataset, key: string): string | null {
  const value = firstValue(ds, key);
  if (value === undefined || value === null) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

/** Every value of a multi-valued string attribute (ImageType), trimmed. */
export function texts(ds: NaturalDataset, key: string): string[] {
  const value = ds[key];
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((v) => String(v).trim());
}

/** A numeric attribute (DS, IS, US, ...), or null when absent, empty or not a number. */
export function number(ds: NaturalDataset, key: string): number | null {
  const value = firstValue(ds, key);
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Every value of a numeric attribute; null when absent or any value is not a number. */
export function numbers(ds: NaturalDataset, key: string): number[] | null {
  const value = ds[key];
  if (value === undefined || value === null || value === '') return null;
  const list = (Array.isArray(value) ? value : [value]).map(Number);
  return list.length > 0 && list.every(Number.isFinite) ? list : null;
}

/** The items of a sequence attribute ([] when absent). */
export function items(ds: NaturalDataset, key: string): NaturalDataset[] {
  const value = ds[key];
  if (Array.isArray(value)) return value.filter((v): v is NaturalDataset => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null && !(value instanceof ArrayBuffer) ? [value as NaturalDataset] : [];
}

/** A person name's alphabetic form with its ^ separators as spaces (dcmjs gives [{Alphabetic}]). */
export function personName(ds: NaturalDataset, key: string): string | null {
  const value = firstValue(ds, key);
  if (value === undefined || value === null) return null;
  const alphabetic = typeof value === 'object' ? (value as { Alphabetic?: unknown }).Alphabetic : value;
  const name = String(alphabetic ?? '').split('^').map((part) => part.trim()).filter(Boolean).join(' ');
  return name === '' ? null : name;
}

/** The binary value of an attribute as byte arrays (one per fragment or frame for encapsulated data). */
export function binary(ds: NaturalDataset, key: string): Uint8Array[] {
  const value = ds[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.flatMap((v) => (v instanceof ArrayBuffer ? [new Uint8Array(v)] : ArrayBuffer.isView(v) ? [new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] : []));
}

/**
 * A functional-group attribute of an enhanced (multi-frame) image: from frame `index`'s per-frame
 * group if there, else the shared group; `sequence` is the macro (PixelValueTransformationSequence).
 */
export function frameGroup(ds: NaturalDataset, sequence: string, index: number): NaturalDataset | null {
  const perFrame = items(ds, 'PerFrameFunctionalGroupsSequence')[index];
  const own = perFrame === undefined ? undefined : items(perFrame, sequence)[0];
  if (own !== undefined) return own;
  const shared = items(ds, 'SharedFunctionalGroupsSequence')[0];
  return shared === undefined ? null : (items(shared, sequence)[0] ?? null);
}
