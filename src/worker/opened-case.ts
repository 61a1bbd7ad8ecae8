/**
 * The studio's current case in the worker: the image the user opened (decoded once, shown at once
 * and analyzed later) and its optional ground-truth mask, against which every result is scored.
 * Each opened image gets a new id, so a result can say which image it was made from. A new image
 * drops the ground truth; a mask whose size differs from the image is refused; images and masks
 * that are accepted but doubtful come with warnings.
 */
import { binaryMask, decodeChecked, dice, iou, toGrayImage, truthWarnings } from '../pipeline/index';
import type { DecodedImage, GrayImage, ImageInput, InputWarning } from '../pipeline/index';

/** Dice and IoU of a mask against the ground truth `truthId` (counts up with every mask set). */
export interface MaskMetrics {
  dice: number;
  iou: number;
  truthId: number;
}

/** The ground truth as the viewer draws it: 0/1, row-major [height, width]. */
export interface TruthMask {
  mask: Uint8Array;
  width: number;
  height: number;
  truthId: number;
  /** Why the mask may be the wrong file (not binary, empty, full, the image itself). */
  warnings: InputWarning[];
}

/** An image as opened: its id, gray samples for display, and what is doubtful about it. */
export interface OpenedImage {
  imageId: string;
  gray: GrayImage;
  warnings: InputWarning[];
}

export class OpenedCase {
  private image: DecodedImage | null = null;
  private imageId: string | null = null;
  private truth: TruthMask | null = null;
  private truthCount = 0;
  private imageCount = 0;
  /** Ids from another worker can never match ours. */
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  /** Decodes and keeps a new image (dropping the ground truth); returns its id and gray samples. */
  async open(input: ImageInput): Promise<OpenedImage> {
    const { image: decoded, warnings } = await decodeChecked(input, 'cannot read the image');
    const gray = toGrayImage(decoded);
    this.adopt(decoded);
    return { imageId: this.imageId!, gray, warnings };
  }

  /** Keeps `image` as the current one without decoding (an analysis given pixels directly). */
  adopt(image: DecodedImage): string {
    if (image !== this.image) {
      this.truth = null;
      this.image = image;
      this.imageCount += 1;
      this.imageId = `${this.prefix}-${this.imageCount}`;
    }
    return this.imageId!;
  }

  current(): DecodedImage {
    if (this.image === null) throw new Error('open an image first');
    return this.image;
  }

  /** The id of the current image (null before one is opened). */
  currentId(): string | null {
    return this.imageId;
  }

  /** Decodes a mask (any nonzero = lesion) of the current image's size; null clears it. */
  async setTruth(input: ImageInput | null): Promise<TruthMask | null> {
    if (input === null) {
      this.truth = null;
      return null;
    }
    const image = this.current();
    const { image: decoded, jpeg } = await decodeChecked(input, 'cannot read the ground truth mask');
    if (decoded.width !== image.width || decoded.height !== image.height) {
      throw new Error(
        `the ground truth mask is ${decoded.width}x${decoded.height} but the image is ${image.width}x${image.height}`,
      );
    }
    const mask = binaryMask(decoded);
    this.truthCount += 1;
    const warnings = truthWarnings(decoded, mask, image, jpeg);
    this.truth = { mask, width: decoded.width, height: decoded.height, truthId: this.truthCount, warnings };
    return { ...this.truth, mask: mask.slice() };
  }

  /** Dice/IoU against the ground truth, or null without one (or for a mask of another size). */
  score(mask: Uint8Array): MaskMetrics | null {
    const truth = this.truth;
    if (truth === null || truth.mask.length !== mask.length) return null;
    return { dice: dice(mask, truth.mask), iou: iou(mask, truth.mask), truthId: truth.truthId };
  }
}
