/**
 * Input guards shared by the studio and the CLI: the pixel budget (checked on the header, before
 * decoding), warnings about images the model cannot see well, ground-truth masks that are
 * probably the wrong file, and reports the grammar and tokenizer cannot read. A refusal throws;
 * a warning is returned for the caller to show (the studio lets the user dismiss it, the CLI
 * prints it) and never changes the result.
 */
import type { ImageHeader } from './file-kind';
import type { DecodedImage } from './types';

/**
 * The most pixels an image may have: 20 megapixels. The largest chest X-ray detectors are about
 * 4300 x 4300 (18.5 MP) and CT slices 512 x 512, while the model reads a few hundred pixels a
 * side anyway. The studio keeps full-resolution copies (decoded samples, display raster, mask,
 * ground truth and their overlays: about 30 bytes a pixel), so 20 MP already costs ~600 MB; a
 * 20000 x 20000 PNG compresses to 400 KB but would need 12 GB.
 */
export const MAX_PIXELS = 20_000_000;
/** Below this many pixels on the shorter side the model sees interpolation, not anatomy. */
export const MIN_SIDE = 64;
/** Chest films and CT slices are close to square; past this ratio most of the frame is padding. */
export const MAX_ASPECT = 2.5;

export type WarningCode =
  | 'tiny-image'
  | 'extreme-aspect'
  | 'exif-orientation'
  | 'dicom-frames'
  | 'dicom-note'
  | 'modality-mismatch'
  | 'truth-not-binary'
  | 'truth-empty'
  | 'truth-full'
  | 'truth-is-image'
  | 'report-not-english'
  | 'report-symbols'
  | 'report-markup'
  | 'report-truncated';

/** Something the user should know about an input that was still accepted. */
export interface InputWarning {
  code: WarningCode;
  message: string;
}

function megapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0)} megapixels`;
}

/** Throws when the header's size exceeds the pixel budget or has no pixels. */
export function checkPixelBudget(header: Pick<ImageHeader, 'width' | 'height'>): void {
  const { width, height } = header;
  if (width === 0 || height === 0) throw new Error(`the image is ${width} × ${height}: it has no pixels`);
  const pixels = width * height;
  if (pixels > MAX_PIXELS) {
    const side = Math.floor(Math.sqrt(MAX_PIXELS));
    throw new Error(
      `the image is ${width} × ${height} (${megapixels(pixels)}); Locus takes up to ${megapixels(MAX_PIXELS)} ` +
        `(e.g. ${side} × ${side}) because it keeps full-resolution copies in memory while the model reads a few ` +
        'hundred pixels a side: reduce the image first (2048 px on the long side keeps every detail the model uses)',
    );
  }
}

const ORIENTATIONS: Record<number, string> = {
  2: 'mirrored',
  3: 'rotated 180°',
  4: 'flipped upside down',
  5: 'mirrored and rotated 90°',
  6: 'rotated 90° clockwise',
  7: 'mirrored and rotated 90°',
  8: 'rotated 90° counter-clockwise',
};

/** Warnings about an accepted image: too small, too elongated, or an EXIF rotation not applied. */
export function imageWarnings(header: Pick<ImageHeader, 'width' | 'height' | 'orientation'>): InputWarning[] {
  const { width, height, orientation } = header;
  const warnings: InputWarning[] = [];
  if (Math.min(width, height) < MIN_SIDE) {
    warnings.push({
      code: 'tiny-image',
      message:
        `the image is only ${width} × ${height} pixels: the model enlarges it, so its region probabilities and ` +
        'mask rest on interpolation, not anatomy',
    });
  }
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (aspect > MAX_ASPECT) {
    warnings.push({
      code: 'extreme-aspect',
      message:
        `the image is ${width} × ${height} (${aspect.toFixed(1)} : 1); the model expects a whole chest or slice, ` +
        'close to square: most of its input is padding and regions are unreliable',
    });
  }
  const turned = ORIENTATIONS[orientation];
  if (turned !== undefined) {
    warnings.push({
      code: 'exif-orientation',
      message:
        `the JPEG's EXIF tag says the picture should be shown ${turned}; Locus uses the pixels as stored, as ` +
        'training and `locus eval` do, so left and right may not be where a photo viewer puts them',
    });
  }
  return warnings;
}

/** Distinct sample values of the colour channels (alpha ignored), stopping once `limit` are seen. */
function distinctValues(image: DecodedImage, limit: number): Set<number> {
  const values = new Set<number>();
  const { data, channels } = image;
  const colour = Math.min(channels, 3);
  for (let i = 0; i < data.length && values.size < limit; i += channels) {
    for (let c = 0; c < colour; c++) values.add(data[i + c]!);
  }
  return values;
}

function sameSamples(a: DecodedImage, b: DecodedImage): boolean {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels || a.bitDepth !== b.bitDepth) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/**
 * Warnings about a ground-truth mask (already checked to be the image's size): more than two
 * values (a label map, or JPEG noise that would count as lesion), empty, full, or the image itself.
 * `lesion` is the 0/1 mask as it will be scored.
 */
export function truthWarnings(mask: DecodedImage, lesion: Uint8Array, image: DecodedImage | null, jpeg: boolean): InputWarning[] {
  if (image !== null && sameSamples(mask, image)) {
    return [
      {
        code: 'truth-is-image',
        message: 'the ground truth has the same pixels as the image: this is the image itself, not its mask',
      },
    ];
  }
  const warnings: InputWarning[] = [];
  const on = lesion.reduce((n, v) => n + v, 0);
  const values = distinctValues(mask, 257);
  if (values.size > 2) {
    const many = values.size > 256 ? 'more than 256' : String(values.size);
    const cause = jpeg ? 'JPEG compression adds noise around edges' : 'a label map or a photo, not a binary mask';
    warnings.push({
      code: 'truth-not-binary',
      message: `the ground truth has ${many} distinct values (${cause}); every nonzero pixel counts as lesion: ${percent(on, lesion.length)} of the image`,
    });
  }
  if (on === 0) {
    warnings.push({
      code: 'truth-empty',
      message: 'the ground truth is empty (no lesion): Dice and IoU are 1 only when the mask is empty too, else 0',
    });
  } else if (on === lesion.length) {
    warnings.push({ code: 'truth-full', message: 'every pixel of the ground truth is lesion: is this the right file?' });
  }
  return warnings;
}

/** A report that cannot be analysed at all (the text prompt needs words); null when it can. */
export function reportRefusal(report: string): string | null {
  return report.trim() === '' ? 'the report is empty: write or paste the radiology report (the model is guided by it)' : null;
}

const LATIN_WORD = /[A-Za-z]{2,}/;
const MARKUP = /<\/?[a-zA-Z][^>]*>/;

/** Warnings about an accepted report: not English, characters the tokenizer cannot read, markup. */
export function reportWarnings(report: string): InputWarning[] {
  const warnings: InputWarning[] = [];
  const foreign = Array.from(report).filter((ch) => ch.codePointAt(0)! > 0x7e);
  if (!LATIN_WORD.test(report)) {
    warnings.push({
      code: 'report-not-english',
      message:
        'the report has no English words: the LViT grammar cannot name regions and the text prompt sees only ' +
        'unknown tokens (Locus reads English reports such as "Bilateral pulmonary infection, two infected areas, ...")',
    });
  } else if (foreign.length > 0) {
    const sample = [...new Set(foreign)].slice(0, 5).join(' ');
    warnings.push({
      code: 'report-symbols',
      message: `${foreign.length} character(s) outside English text (${sample}) are unknown to the tokenizer and ignored by the grammar`,
    });
  }
  const tag = MARKUP.exec(report);
  if (tag !== null) {
    const shown = tag[0].length > 40 ? `${tag[0].slice(0, 40)}…` : tag[0];
    warnings.push({ code: 'report-markup', message: `the report contains markup (${shown}); it is read as plain text` });
  }
  return warnings;
}

/** A warning when the tokenizer keeps only the first `kept` of `total` pieces of the report. */
export function truncationWarning(total: number, kept: number): InputWarning | null {
  if (total <= kept) return null;
  return {
    code: 'report-truncated',
    message: `the report has ${total.toLocaleString('en')} word pieces; the text prompt reads only the first ${kept}`,
  };
}
