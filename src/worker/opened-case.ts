/**
 * The studio's current case in the worker: the image the user opened (decoded once, shown at once
 * and analyzed later) and its optional ground-truth mask, against which every result is scored.
 * A new image drops the ground truth; a mask whose size differs from the image is refused.
 */
import { binaryMask, decodeNamed, dice, iou, toGrayImage, type DecodedImage, type GrayImage, type ImageInput } from '../pipeline/index';

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
}

export class OpenedCase {
  private image: DecodedImage | null = null;
  private truth: TruthMask | null = null;
  private truthCount = 0;

  /** Decodes and keeps a new image (dropping the ground truth); returns its gray samples. */
  async open(input: ImageInput): Promise<GrayImage> {
    const decoded = await decodeNamed(input, 'cannot read the image');
    const gray = toGrayImage(decoded);
    this.image = decoded;
    this.truth = null;
    return gray;
  }

  /** Keeps `image` as the current one without decoding (an analysis given pixels directly). */
  adopt(image: DecodedImage): void {
    if (image !== this.image) this.truth = null;
    this.image = image;
  }

  current(): DecodedImage {
    if (this.image === null) throw new Error('open an image first');
    return this.image;
  }

  /** Decodes a mask (any nonzero = lesion) of the current image's size; null clears it. */
  async setTruth(input: ImageInput | null): Promise<TruthMask | null> {
    if (input === null) {
      this.truth = null;
      return null;
    }
    const image = this.current();
    const decoded = await decodeNamed(input, 'cannot read the ground truth mask');
    if (decoded.width !== image.width || decoded.height !== image.height) {
      throw new Error(
        `the ground truth mask is ${decoded.width}x${decoded.height} but the image is ${image.width}x${image.height}`,
      );
    }
    this.truthCount += 1;
    this.truth = { mask: binaryMask(decoded), width: decoded.width, height: decoded.height, truthId: this.truthCount };
    return { ...this.truth, mask: this.truth.mask.slice() };
  }

  /** Dice/IoU against the ground truth, or null without one (or for a mask of another size). */
  score(mask: Uint8Array): MaskMetrics | null {
    const truth = this.truth;
    if (truth === null || truth.mask.length !== mask.length) return null;
    return { dice: dice(mask, truth.mask), iou: iou(mask, truth.mask), truthId: truth.truthId };
  }
}
