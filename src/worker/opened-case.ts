/**
 * The studio's current case in the worker: the image the user opened (a PNG/JPEG, or a DICOM
 * with the frame in use; decoded once, shown at once and analyzed later) and its optional ground
 * truth (a mask or a DICOM SEG), against which every result is scored. Each opened image or
 * frame gets a new id, so a result can say which image it was made from. A new image drops the
 * ground truth; a mask whose size differs from the image is refused; doubtful inputs come with
 * warnings. The model's input is made here, for the bundle in use: a DICOM is rendered to its
 * expected input (and re-rendered when another bundle expects another), a raster is used as is.
 * The patient's name and ID stay here until asked for.
 */
import {
  dice,
  iou,
  modelImage,
  openFrame,
  openInput,
  openMask,
  toGrayImage,
  segmentationOf,
  displayImage,
  type CodecOptions,
  type DecodedImage,
  type DicomInfo,
  type ExpectedInput,
  type GrayImage,
  type ImageInput,
  type InputWarning,
  type OpenedInput,
  type PatientIdentity,
  type VoiTable,
  type WindowPreset,
} from '../pipeline/index';

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

/** What the studio may show about an opened DICOM image: never who the patient is. */
export interface DicomSummary {
  info: DicomInfo;
  /** The frame in use, 0-based. */
  frame: number;
  /** The windows the file proposes for this frame, in modality values (HU for CT). */
  windows: WindowPreset[];
  voiLut: VoiTable | null;
}

/** An image as opened: its id, gray samples for display, what is doubtful about it, and its DICOM facts. */
export interface OpenedImage {
  imageId: string;
  gray: GrayImage;
  warnings: InputWarning[];
  dicom: DicomSummary | null;
}

/** What a SEG export needs besides the mask: the bundle that made it. */
export interface SegmentationSource {
  bundleId: string;
  version: string;
}

function summary(input: OpenedInput): DicomSummary | null {
  if (input.kind === 'raster') return null;
  return { info: input.dicom.info, frame: input.frame.index, windows: input.frame.windows, voiLut: input.frame.voiLut };
}

export class OpenedCase {
  private input: OpenedInput | null = null;
  private imageId: string | null = null;
  private rendered: { expected: string; image: DecodedImage } | null = null;
  private truth: TruthMask | null = null;
  private truthCount = 0;
  private imageCount = 0;
  /** Ids from another worker can never match ours. */
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  constructor(private readonly codecs: CodecOptions = {}) {}

  /** Opens and keeps a new image (dropping the ground truth); returns its id, gray samples and facts. */
  async open(input: ImageInput, frame = 0): Promise<OpenedImage> {
    return this.shown(this.keep(await openInput(input, 'cannot read the image', { frame, codecs: this.codecs })));
  }

  /** Another frame of the DICOM image open now: a new image id, the file is not read again. */
  async selectFrame(frame: number): Promise<OpenedImage> {
    const input = this.opened();
    if (input.kind !== 'dicom') throw new Error('the image open now has no frames to pick');
    return this.shown(this.keep(await openFrame(input, frame)));
  }

  /** Keeps decoded pixels as the current image without a file (an analysis given pixels directly). */
  adopt(input: OpenedInput): string {
    if (this.input?.kind === 'raster' && input.kind === 'raster' && input.image === this.input.image) return this.imageId!;
    return this.keep(input);
  }

  private keep(input: OpenedInput): string {
    this.truth = null;
    this.input = input;
    this.rendered = null;
    this.imageCount += 1;
    this.imageId = `${this.prefix}-${this.imageCount}`;
    return this.imageId;
  }

  private shown(imageId: string): OpenedImage {
    const input = this.opened();
    const gray = input.kind === 'raster' ? toGrayImage(input.image) : displayImage(input.frame.image);
    const first = input.kind === 'dicom' ? input.frame.windows[0] : undefined;
    if (first !== undefined) gray.window = { level: first.center, width: first.width, function: first.function };
    return { imageId, gray, warnings: input.warnings, dicom: summary(input) };
  }

  opened(): OpenedInput {
    if (this.input === null) throw new Error('open an image first');
    return this.input;
  }

  /** The model's input for a bundle expecting `expected` (a DICOM rendered once per expected input). */
  current(expected: ExpectedInput): DecodedImage {
    const input = this.opened();
    if (input.kind === 'raster') return input.image;
    const key = JSON.stringify(expected.mapping);
    if (this.rendered?.expected !== key) this.rendered = { expected: key, image: modelImage(input, expected) };
    return this.rendered.image;
  }

  /** The id of the current image (null before one is opened). */
  currentId(): string | null {
    return this.imageId;
  }

  /** The patient's name and ID of the DICOM open now (null for PNG/JPEG): only on request. */
  identity(): PatientIdentity | null {
    const input = this.opened();
    return input.kind === 'dicom' ? input.dicom.identity() : null;
  }

  /** A ground truth (mask of the image's size, or a DICOM SEG made on it); null clears it. */
  async setTruth(input: ImageInput | null): Promise<TruthMask | null> {
    if (input === null) {
      this.truth = null;
      return null;
    }
    const image = this.opened();
    const { mask, warnings } = await openMask(input, 'cannot read the ground truth mask', image);
    const { width, height } = image.kind === 'raster' ? image.image : image.frame.image;
    this.truthCount += 1;
    this.truth = { mask, width, height, truthId: this.truthCount, warnings };
    return { ...this.truth, mask: mask.slice() };
  }

  /** Dice/IoU against the ground truth, or null without one (or for a mask of another size). */
  score(mask: Uint8Array): MaskMetrics | null {
    const truth = this.truth;
    if (truth === null || truth.mask.length !== mask.length) return null;
    return { dice: dice(mask, truth.mask), iou: iou(mask, truth.mask), truthId: truth.truthId };
  }

  /** A binary DICOM SEG of `mask`, made on the DICOM frame open now, referencing it. */
  segmentation(mask: Uint8Array, source: SegmentationSource): Uint8Array {
    return segmentationOf(this.opened(), mask, { name: source.bundleId, version: source.version });
  }
}
