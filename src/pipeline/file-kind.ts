/**
 * What a file is, from its first bytes, and what its header says before anything is decoded:
 * the size of a PNG or JPEG (so a 20000 x 20000 image is refused before 400 MB are allocated)
 * and a JPEG's EXIF orientation. Every other format gets a name, so a message can say
 * "a TIFF image" instead of printing a hex dump.
 */

export type FileKind =
  | 'empty'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'webp'
  | 'avif-heic'
  | 'jpeg2000'
  | 'dicom'
  | 'svg'
  | 'html'
  | 'pdf'
  | 'zip'
  | 'gzip'
  | 'text'
  | 'unknown';

/** Formats a user may reasonably try, in words, and what to do instead. */
const OTHER_FORMATS: Partial<Record<FileKind, string>> = {
  gif: 'a GIF image',
  bmp: 'a BMP image',
  tiff: 'a TIFF image',
  webp: 'a WebP image',
  'avif-heic': 'an AVIF/HEIC image',
  jpeg2000: 'a JPEG 2000 image',
  svg: 'an SVG drawing (vector graphics, not pixels)',
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  gzip: 'a gzip archive',
};

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** The first 1 KB as text with a BOM and leading whitespace removed, lower-cased. */
function leadingText(bytes: Uint8Array): string {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024));
  return head.replace(/^\uFEFF/, '').trimStart().toLowerCase();
}

/** True when `head` is valid UTF-8, allowing a character cut at its end. */
function validUtf8(head: Uint8Array): boolean {
  for (let cut = 0; cut < 4 && cut < head.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      if (head.length < 512) return false;
    }
  }
  return false;
}

/** True when the first 512 bytes look like text (UTF-8, no NULs, few control bytes). */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512);
  if (!validUtf8(head)) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control <= head.length / 50;
}

function markupKind(bytes: Uint8Array): FileKind | null {
  if (!looksLikeText(bytes)) return null;
  const text = leadingText(bytes);
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'svg';
  if (/^<(!doctype html|html|head|body|meta|title|script)\b/.test(text)) return 'html';
  return 'text';
}

/** The kind of a file from its magic bytes. */
export function fileKind(bytes: Uint8Array): FileKind {
  if (bytes.length === 0) return 'empty';
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && ascii(bytes, 1, 3) === 'PNG') return 'png';
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'bmp';
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 4) === 'ftyp' && /^(avi|hei|mif)/.test(ascii(bytes, 8, 3))) return 'avif-heic';
  if (ascii(bytes, 4, 8) === 'jP  \r\n\x87\n' || (b(0) === 0xff && b(1) === 0x4f && b(2) === 0xff)) return 'jpeg2000';
  if (ascii(bytes, 128, 4) === 'DICM') return 'dicom';
  if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (ascii(bytes, 0, 4) === 'PK\x03\x04') return 'zip';
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  return markupKind(bytes) ?? 'unknown';
}

function hexHead(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (v) => v.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Why a file that is not a PNG or JPEG cannot be read, in words; null for PNG and JPEG.
 * `bytes` is the whole file (its size goes into the message).
 */
export function unreadableKind(bytes: Uint8Array): string | null {
  const kind = fileKind(bytes);
  if (kind === 'png' || kind === 'jpeg') return null;
  if (kind === 'empty') return 'the file is empty (0 bytes)';
  if (kind === 'dicom') return 'a DICOM file where a PNG or JPEG is needed (a DICOM SEG is read as a ground truth, a DICOM image as the image)';
  if (kind === 'html') return 'an HTML page, not an image (saved from a browser instead of the image itself?)';
  if (kind === 'text') return 'a text file, not an image';
  const named = OTHER_FORMATS[kind];
  if (named !== undefined) return `${named}: Locus reads PNG and JPEG only; save it as PNG`;
  return `not a PNG or JPEG image (unknown format; the file starts with ${hexHead(bytes)})`;
}

export interface ImageHeader {
  kind: 'png' | 'jpeg';
  width: number;
  height: number;
  /** EXIF orientation of a JPEG (1 = as stored; 2..8 = mirrored and/or rotated); 1 when absent. */
  orientation: number;
}

function u32be(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) >>> 0) + ((bytes[at + 1] ?? 0) << 16) + ((bytes[at + 2] ?? 0) << 8) + (bytes[at + 3] ?? 0);
}

function u16(bytes: Uint8Array, at: number, little: boolean): number {
  const a = bytes[at] ?? 0;
  const b = bytes[at + 1] ?? 0;
  return little ? a | (b << 8) : (a << 8) | b;
}

function pngHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') {
    throw new Error('corrupt PNG: the header (IHDR) is missing or cut short');
  }
  return { kind: 'png', width: u32be(bytes, 16), height: u32be(bytes, 20), orientation: 1 };
}

/** Orientation tag (0x0112) of IFD0 in an APP1 Exif segment starting at `at` (after the length). */
function exifOrientation(bytes: Uint8Array, at: number, end: number): number {
  if (ascii(bytes, at, 6) !== 'Exif\0\0') return 1;
  const tiff = at + 6;
  const little = ascii(bytes, tiff, 2) === 'II';
  const [first, second] = [u16(bytes, tiff + 4, little), u16(bytes, tiff + 6, little)];
  const ifd = tiff + (little ? first + second * 65536 : first * 65536 + second);
  const entries = u16(bytes, ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) break;
    if (u16(bytes, entry, little) === 0x0112) return u16(bytes, entry + 8, little);
  }
  return 1;
}

function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  let orientation = 1;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) break;
    const marker = bytes[i + 1]!;
    if (marker === 0xff || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = u16(bytes, i + 2, false);
    if (marker === 0xe1) orientation = exifOrientation(bytes, i + 4, Math.min(bytes.length, i + 2 + length));
    if (isStartOfFrame(marker)) {
      if (i + 9 > bytes.length) break;
      return { kind: 'jpeg', height: u16(bytes, i + 5, false), width: u16(bytes, i + 7, false), orientation };
    }
    i += 2 + length;
  }
  throw new Error('corrupt JPEG: no frame header (SOF) with the image size was found');
}

/** The size (and JPEG orientation) from a PNG or JPEG header; throws for anything else. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const kind = fileKind(bytes);
  if (kind === 'png') return pngHeader(bytes);
  if (kind === 'jpeg') return jpegHeader(bytes);
  throw new Error(unreadableKind(bytes) ?? 'not a PNG or JPEG image');
}
