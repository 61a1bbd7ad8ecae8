/**
 * An image input as the studio, the worker and the CLI open it: PNG/JPEG pixels, or a DICOM
 * image with the frame in use; the model's input made from it for a bundle (a DICOM is rendered
 * to the bundle's `expected_input`, a PNG or JPEG is taken as already rendered); and a ground
 * truth given as a PNG/JPEG mask or as a DICOM SEG made on the image.
 */
import { binaryMask, decodeChecked, type ImageInput } from './decode';
import type { ExpectedInput } from './contract';
import {
  isDicom,
  maskFor,
  readDicomImage,
  readSegmentation,
  renderExpected,
  writeSegmentation,
  type CodecOptions,
  type DicomFrame,
  type DicomImage,
} from './dicom/index';
import { imageWarnings, truthWarnings, type InputWarning } from './input-checks';
import type { DecodedImage } from './types';

export interface RasterInput {
  kind: 'raster';
  image: DecodedImage;
  warnings: InputWarning[];
  /** The file was a JPEG (noise in a JPEG ground truth has a known cause). */
  jpeg: boolean;
}

export interface DicomInput {
  kind: 'dicom';
  dicom: DicomImage;
  frame: DicomFrame;
  warnings: InputWarning[];
}

export type OpenedInput = RasterInput | DicomInput;

export interface OpenOptions {
  /** The DICOM frame to use (0-based; default the first). */
  frame?: number;
  codecs?: CodecOptions;
}

async function bytesOf(input: ImageInput): Promise<ImageInput> {
  return typeof Blob !== 'undefined' && input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input;
}

function dicomWarnings(dicom: DicomImage, frame: number): InputWarning[] {
  const { rows, columns, frames } = dicom.info;
  const warnings = imageWarnings({ width: columns, height: rows, orientation: 1 });
  if (frames > 1) {
    warnings.push({
      code: 'dicom-frames',
      message: `the DICOM image has ${frames} frames; frame ${frame + 1} is used`,
    });
  }
  for (const note of dicom.notes) warnings.push({ code: 'dicom-note', message: note });
  return warnings;
}

/** Opens an image input (PNG, JPEG or DICOM); errors are prefixed with `name`. */
export async function openInput(input: ImageInput, name: string, options: OpenOptions = {}): Promise<OpenedInput> {
  const bytes = await bytesOf(input);
  if (!(bytes instanceof Uint8Array) || !isDicom(bytes)) {
    const checked = await decodeChecked(bytes, name);
    return { kind: 'raster', image: checked.image, warnings: checked.warnings, jpeg: checked.jpeg };
  }
  try {
    const dicom = readDicomImage(bytes, options.codecs);
    const index = options.frame ?? 0;
    return { kind: 'dicom', dicom, frame: await dicom.frame(index), warnings: dicomWarnings(dicom, index) };
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Frame `index` of an opened DICOM, with its warnings (the file is not read again). */
export async function openFrame(input: DicomInput, index: number): Promise<DicomInput> {
  return { ...input, frame: await input.dicom.frame(index), warnings: dicomWarnings(input.dicom, index) };
}

/** The image the bundle's graphs are given: a DICOM rendered as `expected` says, a raster as it is. */
export function modelImage(input: OpenedInput, expected: ExpectedInput): DecodedImage {
  return input.kind === 'raster' ? input.image : renderExpected(input.frame.image, expected);
}

/**
 * Why this DICOM does not suit a bundle expecting `expected` (another modality; a window in HU on
 * values with no unit); null when it suits, and always for PNG/JPEG (they carry no modality).
 */
export function modalityMismatch(input: OpenedInput, expected: ExpectedInput): InputWarning | null {
  if (input.kind === 'raster') return null;
  const modality = input.dicom.info.modality;
  if (!expected.dicom_modalities.includes(modality)) {
    return {
      code: 'modality-mismatch',
      message: `the image is ${modality}, the bundle expects ${expected.dicom_modalities.join(' or ')} (${expected.description})`,
    };
  }
  if (expected.mapping.kind === 'window' && input.frame.image.scale.unit !== expected.mapping.units) {
    return { code: 'modality-mismatch', message: `the bundle windows ${expected.mapping.units}, but this image's values are not in ${expected.mapping.units}` };
  }
  return null;
}

/** The size of an opened input. */
export function inputSize(input: OpenedInput): { width: number; height: number } {
  const image = input.kind === 'raster' ? input.image : input.frame.image;
  return { width: image.width, height: image.height };
}

/** A ground truth whose size is not the image's (the callers word it their own way). */
export class MaskSizeError extends Error {
  constructor(
    readonly mask: { width: number; height: number },
    readonly image: { width: number; height: number },
  ) {
    super(`the ground truth mask is ${mask.width}x${mask.height} but the image is ${image.width}x${image.height}`);
    this.name = 'MaskSizeError';
  }
}

export interface OpenedMask {
  /** 0/1, row-major, the image's size. */
  mask: Uint8Array;
  warnings: InputWarning[];
}

function segMask(bytes: Uint8Array, image: OpenedInput): Uint8Array {
  const seg = readSegmentation(bytes);
  const source = image.kind === 'dicom' ? { sopInstanceUid: image.dicom.reference.sopInstanceUid, frameIndex: image.frame.index, frames: image.dicom.info.frames } : null;
  const size = inputSize(image);
  if (seg.rows !== size.height || seg.columns !== size.width) throw new MaskSizeError({ width: seg.columns, height: seg.rows }, size);
  return maskFor(seg, source);
}

/**
 * A ground truth for `image`: a PNG/JPEG mask (nonzero = lesion) of its size, or a DICOM SEG made
 * on it (its frame); with the warnings of a doubtful mask. Errors are prefixed with `name`, except
 * a MaskSizeError.
 */
export async function openMask(input: ImageInput, name: string, image: OpenedInput): Promise<OpenedMask> {
  const bytes = await bytesOf(input);
  const size = inputSize(image);
  if (bytes instanceof Uint8Array && isDicom(bytes)) {
    let mask: Uint8Array;
    try {
      mask = segMask(bytes, image);
    } catch (error) {
      if (error instanceof MaskSizeError) throw error;
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const asImage: DecodedImage = { ...size, channels: 1, bitDepth: 8, data: mask.map((v) => v * 255) };
    return { mask, warnings: truthWarnings(asImage, mask, null, false) };
  }
  const decoded = await decodeChecked(bytes, name);
  if (decoded.image.width !== size.width || decoded.image.height !== size.height) throw new MaskSizeError(decoded.image, size);
  const mask = binaryMask(decoded.image);
  const raster = image.kind === 'raster' ? image.image : null;
  return { mask, warnings: truthWarnings(decoded.image, mask, raster, decoded.jpeg) };
}

/**
 * A binary DICOM SEG of `mask` (0/1, the image's size), made on the DICOM frame `input` holds and
 * referencing it; the segment is the lung infection, the algorithm the bundle that made the mask.
 */
export function segmentationOf(input: OpenedInput, mask: Uint8Array, algorithm: { name: string; version: string }): Uint8Array {
  if (input.kind !== 'dicom') throw new Error('a DICOM SEG needs a DICOM image: this one is a PNG or JPEG');
  const { info, reference } = input.dicom;
  return writeSegmentation({
    source: reference,
    frameIndex: input.frame.index,
    sourceFrames: info.frames,
    rows: info.rows,
    columns: info.columns,
    spacing: info.spacing,
    mask,
    segmentLabel: 'Lung infection',
    algorithm,
  });
}
