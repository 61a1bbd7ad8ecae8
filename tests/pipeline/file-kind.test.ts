/** File kinds from magic bytes, and PNG/JPEG headers read without decoding (the bad-input corpus's files). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKind, readImageHeader, unreadableKind } from '../../src/pipeline/index';

const CORPUS = path.resolve(import.meta.dirname, '../fixtures/bad-inputs/images');
const read = (name: string) => new Uint8Array(readFileSync(path.join(CORPUS, name)));

describe('fileKind', () => {
  it.each([
    ['zero-byte.png', 'empty'],
    ['html-page.png', 'html'],
    ['notes.png', 'text'],
    ['jpeg-named.png', 'jpeg'],
    ['png-named.jpg', 'png'],
    ['image.gif', 'gif'],
    ['image.bmp', 'bmp'],
    ['image.tiff', 'tiff'],
    ['image.webp', 'webp'],
    ['image.svg', 'svg'],
    ['slice.dcm', 'dicom'],
  ])('%s is %s, whatever its name says', (name, kind) => {
    expect(fileKind(read(name))).toBe(kind);
  });

  it('names other formats and says what to do, never a bare hex dump for a known one', () => {
    expect(unreadableKind(read('image.tiff'))).toBe('a TIFF image: Locus reads PNG and JPEG only; save it as PNG');
    expect(unreadableKind(read('slice.dcm'))).toMatch(/^a DICOM file where a PNG or JPEG is needed/);
    expect(unreadableKind(new TextEncoder().encode('%PDF-1.7\n'))).toMatch(/^a PDF document/);
    expect(unreadableKind(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0))).toMatch(/^a ZIP archive/);
    expect(unreadableKind(Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toMatch(/unknown format; the file starts with de ad be ef/);
    expect(unreadableKind(read('gray16.png'))).toBeNull();
  });
});

describe('readImageHeader', () => {
  it('reads a PNG size from IHDR and refuses a cut header', () => {
    expect(readImageHeader(read('huge-20000.png'))).toEqual({ kind: 'png', width: 20000, height: 20000, orientation: 1 });
    expect(() => readImageHeader(read('huge-20000.png').subarray(0, 20))).toThrow(/header \(IHDR\) is missing or cut short/);
  });

  it('reads a JPEG size from its frame header and the EXIF orientation', () => {
    expect(readImageHeader(read('exif-rotated.jpg'))).toEqual({ kind: 'jpeg', width: 128, height: 128, orientation: 6 });
    expect(readImageHeader(read('progressive.jpg'))).toMatchObject({ width: 128, height: 128, orientation: 1 });
    expect(() => readImageHeader(read('progressive.jpg').subarray(0, 12))).toThrow(/no frame header/);
  });
});
