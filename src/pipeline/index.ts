/** The pure pipeline: everything between decoded bytes and ONNX tensors, and back. */
export * from './contract';
export * from './types';
export * from './geometry';
export { binaryMask, decodeChecked, decodeImage, decodeInput, decodeJpeg, decodeNamed, decodePng, sniffFormat } from './decode';
export type { CheckedImage, ImageFormat, ImageInput } from './decode';
export * from './file-kind';
export * from './input-checks';
export * from './preprocess';
export * from './tokenizer';
export { PARSER_VERSION, REGIONS, labelString, parseReport, splitWords, withinOneEdit } from './report';
export type { ParsedReport } from './report';
export { parseCsv, readCsvColumn } from './csv';
export * from './points';
export * from './postprocess';
export * from './metrics';
export { encodeMaskPng, previewGray, toGrayImage } from './display';
export { MaskSizeError, inputSize, modalityMismatch, modelImage, openFrame, openInput, openMask, segmentationOf } from './open-input';
export type { DicomInput, OpenOptions, OpenedInput, OpenedMask, RasterInput } from './open-input';
export type { GrayImage } from './display';
export { displayImage, isDicom, linearWindow, maskFor, readDicomImage, readSegmentation, renderExpected, writeSegmentation } from './dicom/index';
export type {
  CodecOptions,
  DicomImage,
  DicomInfo,
  PatientIdentity,
  PixelSpacing,
  Segmentation,
  ValueScale,
  VoiFunction,
  VoiTable,
  WindowPreset,
} from './dicom/index';
export * from './sweeps';
export { countWords, reportFromZones } from './zones';
export { NumpyGenerator } from './numpy-random';
export {
  DatasetError,
  IMAGE_SUFFIXES,
  datasetLayout,
  matchCases,
  naturalCompare,
  readReportTable,
  readXlsxRows,
  reportTableName,
  selectEntries,
  stemOf,
} from './dataset';
export type { DatasetEntry, DatasetLayout, FolderListing } from './dataset';
