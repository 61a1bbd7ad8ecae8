/** Input guards: the pixel budget, image, ground-truth and report warnings. */
import { describe, expect, it } from 'vitest';
import {
  MAX_PIXELS,
  checkPixelBudget,
  imageWarnings,
  reportRefusal,
  reportWarnings,
  truncationWarning,
  truthWarnings,
  type DecodedImage,
} from '../../src/pipeline/index';

const gray = (values: number[], width = values.length, height = 1): DecodedImage => ({
  width,
  height,
  channels: 1,
  bitDepth: 8,
  data: Uint8Array.from(values),
});
const lesion = (image: DecodedImage) => Uint8Array.from(image.data, (v) => (v > 0 ? 1 : 0));
const codes = (warnings: { code: string }[]) => warnings.map((w) => w.code);

describe('checkPixelBudget', () => {
  it('refuses more than MAX_PIXELS, saying the size, the limit and why', () => {
    expect(() => checkPixelBudget({ width: 4472, height: 4472 })).not.toThrow();
    expect(4473 * 4473).toBeGreaterThan(MAX_PIXELS);
    expect(() => checkPixelBudget({ width: 20000, height: 20000 })).toThrow(
      /^the image is 20000 × 20000 \(400 megapixels\); Locus takes up to 20 megapixels .*full-resolution copies/,
    );
    expect(() => checkPixelBudget({ width: 0, height: 5 })).toThrow('the image is 0 × 5: it has no pixels');
  });
});

describe('imageWarnings', () => {
  it('warns about tiny images, extreme aspect ratios and EXIF rotations it does not apply', () => {
    expect(imageWarnings({ width: 512, height: 512, orientation: 1 })).toEqual([]);
    expect(codes(imageWarnings({ width: 1, height: 1, orientation: 1 }))).toEqual(['tiny-image']);
    expect(codes(imageWarnings({ width: 4000, height: 50, orientation: 1 }))).toEqual(['tiny-image', 'extreme-aspect']);
    expect(codes(imageWarnings({ width: 2000, height: 600, orientation: 1 }))).toEqual(['extreme-aspect']);
    const [rotated] = imageWarnings({ width: 300, height: 300, orientation: 6 });
    expect(rotated!.message).toMatch(/rotated 90° clockwise; Locus uses the pixels as stored/);
  });
});

describe('truthWarnings', () => {
  const image = gray([10, 200, 30, 90]);

  it('accepts a binary or two-valued mask without a word', () => {
    for (const values of [[0, 255, 255, 0], [0, 1, 0, 0], [0, 7, 7, 0]]) {
      const mask = gray(values);
      expect(truthWarnings(mask, lesion(mask), image, false)).toEqual([]);
    }
  });

  it('notes empty and full masks, more than two values (JPEG noise named), and the image itself', () => {
    const empty = gray([0, 0, 0, 0]);
    expect(codes(truthWarnings(empty, lesion(empty), image, false))).toEqual(['truth-empty']);
    const full = gray([255, 255, 255, 255]);
    expect(codes(truthWarnings(full, lesion(full), image, false))).toEqual(['truth-full']);
    const noisy = gray([0, 3, 250, 255]);
    const [jpeg] = truthWarnings(noisy, lesion(noisy), image, true);
    expect(jpeg!.message).toMatch(/^the ground truth has 4 distinct values \(JPEG compression .*: 75\.0% of the image$/);
    expect(codes(truthWarnings(image, lesion(image), image, false))).toEqual(['truth-is-image']);
  });
});

describe('report checks', () => {
  it('refuses an empty or blank report only', () => {
    expect(reportRefusal('')).toMatch(/^the report is empty/);
    expect(reportRefusal(' \n\t ')).toMatch(/^the report is empty/);
    expect(reportRefusal('Lungs look odd today.')).toBeNull();
  });

  it('warns about other scripts, emoji and markup, and reads plain English without a word', () => {
    expect(reportWarnings('Bilateral pulmonary infection, two infected areas, all left lung and lower right lung.')).toEqual([]);
    expect(codes(reportWarnings('双肺感染，两处感染区域。'))).toEqual(['report-not-english']);
    const [emoji] = reportWarnings('Unilateral pulmonary infection 😷, one infected area, upper left lung.');
    expect(emoji).toMatchObject({ code: 'report-symbols', message: expect.stringMatching(/^1 character\(s\) outside English text \(😷\)/) });
    expect(codes(reportWarnings('<script>alert(1)</script>Unilateral pulmonary infection.'))).toEqual(['report-markup']);
  });

  it('says when the tokenizer cuts the report', () => {
    expect(truncationWarning(40, 62)).toBeNull();
    expect(truncationWarning(12_345, 62)!.message).toBe('the report has 12,345 word pieces; the text prompt reads only the first 62');
  });
});
