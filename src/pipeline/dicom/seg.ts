/**
 * DICOM Segmentation (PS3.3 A.51): a binary SEG of one mask, referencing the source image it was
 * made on (its study, series, instance and frame), written with dcmjs; and a SEG read back into
 * masks, for the round trip and for a SEG given as the ground truth. The patient's name, ID,
 * birth date and sex are Type 2 in a SEG and are written empty: Locus never exports them. The SEG
 * joins the source's study by StudyInstanceUID (and its frame of reference where it has one).
 */
import dcmjs from 'dcmjs';
import { frameGroup, items, number, readDicomFile, text, type NaturalDataset } from './dataset';
import { SEGMENTATION_STORAGE, type PixelSpacing, type SourceReference } from './image';

export interface SegmentationInput {
  source: SourceReference;
  /** The source frame (0-based) the mask was made on; 0 for single-frame images. */
  frameIndex: number;
  /** Frames in the source (a multi-frame source is referenced by frame number). */
  sourceFrames: number;
  rows: number;
  columns: number;
  spacing: PixelSpacing | null;
  /** 0/1, row-major [rows, columns]. */
  mask: Uint8Array;
  segmentLabel: string;
  algorithm: { name: string; version: string };
  /** Fixed by tests; by default new UIDs and now. */
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  created?: Date;
}

/** A UID under the 2.25 root from 128 random bits (PS3.5 B.2), as dcmjs's own generator does. */
export function newUid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `2.25.${BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`).toString()}`;
}

const code = (value: string, scheme: string, meaning: string) => ({ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning });

/** 0/1 pixels -> 1 bit each, least significant bit first (PS3.5 8.1.1), padded to an even length. */
export function packBits(mask: Uint8Array): Uint8Array {
  const packed = new Uint8Array(Math.ceil(Math.ceil(mask.length / 8) / 2) * 2);
  for (let i = 0; i < mask.length; i++) if (mask[i]) packed[i >> 3]! |= 1 << (i & 7);
  return packed;
}

export function unpackBits(packed: Uint8Array, start: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = start + i;
    out[i] = (packed[bit >> 3]! >> (bit & 7)) & 1;
  }
  return out;
}

function dateTime(when: Date): { date: string; time: string } {
  const iso = when.toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}

function frameGroups(input: SegmentationInput): NaturalDataset {
  const { source, frameIndex, sourceFrames } = input;
  const sourceImage = {
    ReferencedSOPClassUID: source.sopClassUid,
    ReferencedSOPInstanceUID: source.sopInstanceUid,
    ...(sourceFrames > 1 ? { ReferencedFrameNumber: frameIndex + 1 } : {}),
    PurposeOfReferenceCodeSequence: [code('121322', 'DCM', 'Source image for image processing operation')],
  };
  const position = source.frameOfReferenceUid !== null ? source.positions[frameIndex] : null;
  return {
    DerivationImageSequence: [{ SourceImageSequence: [sourceImage], DerivationCodeSequence: [code('113076', 'DCM', 'Segmentation')] }],
    FrameContentSequence: [{ DimensionIndexValues: [1] }],
    ...(position ? { PlanePositionSequence: [{ ImagePositionPatient: position }] } : {}),
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: 1 }],
  };
}

function sharedGroups(input: SegmentationInput): NaturalDataset {
  const { source, spacing } = input;
  const measures = spacing !== null && spacing.at === 'patient' ? { PixelSpacing: [spacing.row, spacing.column], ...(source.sliceThickness !== null ? { SliceThickness: source.sliceThickness } : {}) } : null;
  return {
    ...(measures ? { PixelMeasuresSequence: [measures] } : {}),
    ...(source.frameOfReferenceUid !== null && source.imageOrientation !== null ? { PlaneOrientationSequence: [{ ImageOrientationPatient: source.imageOrientation }] } : {}),
  };
}

function segmentDataset(input: SegmentationInput, uids: { series: string; instance: string; dimensions: string }, when: Date): NaturalDataset {
  const { source } = input;
  const { date, time } = dateTime(when);
  const equipment = { Manufacturer: 'Locus', ManufacturerModelName: 'Locus studio', DeviceSerialNumber: input.algorithm.name, SoftwareVersions: input.algorithm.version };
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: uids.instance,
    // Patient and study identification stay empty (Type 2): Locus never exports them.
    PatientName: '', PatientID: '', PatientBirthDate: '', PatientSex: '',
    StudyInstanceUID: source.studyInstanceUid, StudyDate: '', StudyTime: '', ReferringPhysicianName: '', StudyID: '', AccessionNumber: '',
    Modality: 'SEG', SeriesInstanceUID: uids.series, SeriesNumber: 9001, SeriesDescription: `Locus: ${input.segmentLabel}`,
    ...(source.frameOfReferenceUid !== null ? { FrameOfReferenceUID: source.frameOfReferenceUid, PositionReferenceIndicator: '' } : {}),
    ...equipment,
    InstanceNumber: 1, ContentDate: date, ContentTime: time, SeriesDate: date, SeriesTime: time,
    ContentLabel: 'LOCUS', ContentDescription: input.segmentLabel, ContentCreatorName: '',
    ImageType: ['DERIVED', 'PRIMARY'], SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2',
    Rows: input.rows, Columns: input.columns, BitsAllocated: 1, BitsStored: 1, HighBit: 0, PixelRepresentation: 0,
    LossyImageCompression: '00', SegmentationType: 'BINARY', NumberOfFrames: 1,
    ReferencedSeriesSequence: [{ SeriesInstanceUID: source.seriesInstanceUid, ReferencedInstanceSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }] }],
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: uids.dimensions }],
    DimensionIndexSequence: [{ DimensionOrganizationUID: uids.dimensions, DimensionIndexPointer: 0x0062000b, FunctionalGroupPointer: 0x0062000a, DimensionDescriptionLabel: 'Segment' }],
    SegmentSequence: [{
      SegmentNumber: 1, SegmentLabel: input.segmentLabel, SegmentAlgorithmType: 'AUTOMATIC', SegmentAlgorithmName: input.algorithm.name,
      SegmentedPropertyCategoryCodeSequence: [code('49755003', 'SCT', 'Morphologically Altered Structure')],
      SegmentedPropertyTypeCodeSequence: [code('52988006', 'SCT', 'Lesion')],
      AnatomicRegionSequence: [code('39607008', 'SCT', 'Lung')],
    }],
    SharedFunctionalGroupsSequence: [sharedGroups(input)],
    PerFrameFunctionalGroupsSequence: [frameGroups(input)],
    PixelData: [packBits(input.mask).buffer],
    _vrMap: { PixelData: 'OB' },
  };
}

/** A binary DICOM SEG of `input.mask` (Explicit VR Little Endian). */
export function writeSegmentation(input: SegmentationInput): Uint8Array {
  if (input.mask.length !== input.rows * input.columns) {
    throw new Error(`the mask holds ${input.mask.length} pixels, the image ${input.columns}x${input.rows}`);
  }
  const uids = { series: input.seriesInstanceUid ?? newUid(), instance: input.sopInstanceUid ?? newUid(), dimensions: newUid() };
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SEGMENTATION_STORAGE,
    MediaStorageSOPInstanceUID: uids.instance,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.245395213389389180532785328733858429417',
    ImplementationVersionName: 'LOCUS',
    _vrMap: { FileMetaInformationVersion: 'OB' },
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(segmentDataset(input, uids, input.created ?? new Date()));
  return new Uint8Array(dict.write());
}

export interface SegmentationFrame {
  segment: number;
  /** The source instance and frame number (1-based; null for single-frame sources) it was made on. */
  sopInstanceUid: string | null;
  frameNumber: number | null;
  /** 0/1, row-major. */
  mask: Uint8Array;
}

export interface Segmentation {
  rows: number;
  columns: number;
  segments: { number: number; label: string }[];
  frames: SegmentationFrame[];
  /** The instances the SEG says it was made from (ReferencedSeriesSequence). */
  referencedInstances: string[];
}

function frameSource(ds: NaturalDataset, index: number): { sopInstanceUid: string | null; frameNumber: number | null } {
  const derivation = frameGroup(ds, 'DerivationImageSequence', index);
  const source = derivation === null ? undefined : items(derivation, 'SourceImageSequence')[0];
  return { sopInstanceUid: source ? text(source, 'ReferencedSOPInstanceUID') : null, frameNumber: source ? number(source, 'ReferencedFrameNumber') : null };
}

/** Frame `index`'s 0/1 mask: 1 bit a pixel (BINARY), or 8 bits thresholded at half the maximum (FRACTIONAL). */
function frameMask(ds: NaturalDataset, pixels: Uint8Array, index: number, count: number): Uint8Array {
  if (number(ds, 'BitsAllocated') === 1) return unpackBits(pixels, index * count, count);
  const half = (number(ds, 'MaximumFractionalValue') ?? 255) / 2;
  return Uint8Array.from(pixels.subarray(index * count, (index + 1) * count), (v) => (v > half ? 1 : 0));
}

/** Reads a DICOM SEG (native pixel data) into one 0/1 mask per frame with what each frame references. */
export function readSegmentation(bytes: Uint8Array): Segmentation {
  const { syntax, dataset: ds } = readDicomFile(bytes);
  if (text(ds, 'SOPClassUID') !== SEGMENTATION_STORAGE) throw new Error('a DICOM file, but not a Segmentation (SEG)');
  if (syntax.encoding !== 'native') throw new Error(`the SEG's pixels are encoded as ${syntax.name}: Locus reads uncompressed SEGs`);
  const rows = number(ds, 'Rows') ?? 0;
  const columns = number(ds, 'Columns') ?? 0;
  const frames = number(ds, 'NumberOfFrames') ?? 1;
  const pixelData = ds['PixelData'];
  const first = Array.isArray(pixelData) ? pixelData[0] : pixelData;
  if (!(first instanceof ArrayBuffer)) throw new Error('the SEG has no pixel data');
  const pixels = new Uint8Array(first);
  const count = rows * columns;
  return {
    rows,
    columns,
    segments: items(ds, 'SegmentSequence').map((s) => ({ number: number(s, 'SegmentNumber') ?? 0, label: text(s, 'SegmentLabel') ?? '' })),
    frames: Array.from({ length: frames }, (_, i) => ({
      segment: number(frameGroup(ds, 'SegmentIdentificationSequence', i) ?? {}, 'ReferencedSegmentNumber') ?? 1,
      ...frameSource(ds, i),
      mask: frameMask(ds, pixels, i, count),
    })),
    referencedInstances: items(ds, 'ReferencedSeriesSequence').flatMap((series) =>
      items(series, 'ReferencedInstanceSequence').map((instance) => text(instance, 'ReferencedSOPInstanceUID') ?? ''),
    ),
  };
}

/**
 * The union of every segment's frames made on `source` (an instance and its 0-based frame), as
 * one 0/1 mask; throws when the SEG has none for it. Without a source (a PNG image) a SEG of one
 * frame of the right size is taken as it is.
 */
export function maskFor(seg: Segmentation, source: { sopInstanceUid: string; frameIndex: number; frames: number } | null): Uint8Array {
  const matching = seg.frames.filter((f) =>
    source === null
      ? seg.frames.length === 1
      : (f.sopInstanceUid ?? seg.referencedInstances[0]) === source.sopInstanceUid && (source.frames === 1 || f.frameNumber === source.frameIndex + 1),
  );
  if (matching.length === 0) {
    throw new Error(source === null ? `the SEG has ${seg.frames.length} frames: open the DICOM image it was made on first` : 'the SEG was not made on this image (it references other instances or frames)');
  }
  const out = new Uint8Array(seg.rows * seg.columns);
  for (const frame of matching) frame.mask.forEach((v, i) => (out[i] ||= v));
  return out;
}
