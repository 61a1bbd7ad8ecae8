/** DICOM in and out: images read into modality values, rendered as a bundle expects, and SEGs. */
export { decodeCompressed, type CodecOptions, type StoredSamples } from './codecs';
export { isDicom } from './dataset';
export {
  readDicomImage,
  SEGMENTATION_STORAGE,
  type DicomFrame,
  type DicomImage,
  type DicomInfo,
  type PatientIdentity,
  type PixelSpacing,
  type SourceReference,
} from './image';
export type { ModalityImage, ValueScale, VoiFunction, VoiTable, WindowPreset } from './modality';
export { displayImage, linearWindow, renderExpected } from './render';
export { maskFor, newUid, packBits, readSegmentation, unpackBits, writeSegmentation, type Segmentation, type SegmentationInput } from './seg';
export { TRANSFER_SYNTAXES, transferSyntax, type TransferSyntax } from './syntax';
