/**
 * A DICOM image file as Locus uses it: what may be shown (modality, size, frames, spacing, the
 * file's windows; never who the patient is), the patient's name and ID kept apart (shown only
 * when asked, never exported or logged), what a Segmentation must reference, and its frames as
 * modality values. Everything Locus cannot read is refused when the file is opened, by name.
 */
import type { CodecOptions } from './codecs';
import { frameGroup, number, numbers, personName, readDicomFile, text, texts, type NaturalDataset } from './dataset';
import { missingRescale, toModalityImage, valueUnit, voiTable, windowPresets, type ModalityImage, type VoiTable, type WindowPreset } from './modality';
import { frameLayout, readFrame, type FrameLayout } from './pixels';
import { requireReadable, type TransferSyntax } from './syntax';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

const SOP_CLASSES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.1': 'CR Image',
  '1.2.840.10008.5.1.4.1.1.1.1': 'Digital X-Ray Image (for presentation)',
  '1.2.840.10008.5.1.4.1.1.1.1.1': 'Digital X-Ray Image (for processing)',
  '1.2.840.10008.5.1.4.1.1.2': 'CT Image',
  '1.2.840.10008.5.1.4.1.1.2.1': 'Enhanced CT Image',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.2': 'Multi-frame Grayscale Byte Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.7.3': 'Multi-frame Grayscale Word Secondary Capture Image',
  [SEGMENTATION_STORAGE]: 'Segmentation',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
};

/** Pixel spacing in mm, and where it comes from (at the detector for projection radiographs). */
export interface PixelSpacing {
  row: number;
  column: number;
  /** 'patient': PixelSpacing; 'detector': ImagerPixelSpacing (not corrected for magnification). */
  at: 'patient' | 'detector';
}

/** What the studio may show about a DICOM image: nothing here identifies the patient. */
export interface DicomInfo {
  modality: string;
  sopClass: string;
  transferSyntax: { uid: string; name: string; lossy: boolean };
  rows: number;
  columns: number;
  frames: number;
  bitsStored: number;
  signed: boolean;
  photometric: FrameLayout['photometric'];
  /** 'HU' for CT; null when the values have no physical unit. */
  unit: 'HU' | null;
  spacing: PixelSpacing | null;
  bodyPart: string | null;
  viewPosition: string | null;
  imageType: string[];
}

/** The two identifiers shown only on request; never exported, never logged. */
export interface PatientIdentity {
  name: string | null;
  id: string | null;
}

/** What a derived object (a Segmentation) must reference, per frame where it varies. */
export interface SourceReference {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string | null;
  imageOrientation: number[] | null;
  /** ImagePositionPatient of each frame (null where the image has none). */
  positions: (number[] | null)[];
  sliceThickness: number | null;
}

export interface DicomFrame {
  /** 0-based. */
  index: number;
  image: ModalityImage;
  windows: WindowPreset[];
  voiLut: VoiTable | null;
}

export interface DicomImage {
  info: DicomInfo;
  reference: SourceReference;
  /** Why a result on this image may mislead (not axial, a localizer, no rescale, lossy). */
  notes: string[];
  identity(): PatientIdentity;
  frame(index: number): Promise<DicomFrame>;
}

function spacingOf(ds: NaturalDataset): PixelSpacing | null {
  const measures = frameGroup(ds, 'PixelMeasuresSequence', 0);
  const patient = numbers(measures ?? ds, 'PixelSpacing') ?? numbers(ds, 'PixelSpacing');
  if (patient !== null && patient.length >= 2) return { row: patient[0]!, column: patient[1]!, at: 'patient' };
  const detector = numbers(ds, 'ImagerPixelSpacing');
  if (detector !== null && detector.length >= 2) return { row: detector[0]!, column: detector[1]!, at: 'detector' };
  return null;
}

function orientationOf(ds: NaturalDataset): number[] | null {
  const plane = frameGroup(ds, 'PlaneOrientationSequence', 0);
  const value = numbers(plane ?? ds, 'ImageOrientationPatient');
  return value !== null && value.length === 6 ? value : null;
}

function referenceOf(ds: NaturalDataset, frames: number): SourceReference {
  const uid = (key: string) => {
    const value = text(ds, key);
    if (value === null) throw new Error(`the image has no ${key}: it is not a complete DICOM instance`);
    return value;
  };
  const positions = Array.from({ length: frames }, (_, i) => {
    const value = numbers(frameGroup(ds, 'PlanePositionSequence', i) ?? ds, 'ImagePositionPatient');
    return value !== null && value.length === 3 ? value : null;
  });
  return {
    sopClassUid: uid('SOPClassUID'),
    sopInstanceUid: uid('SOPInstanceUID'),
    studyInstanceUid: uid('StudyInstanceUID'),
    seriesInstanceUid: uid('SeriesInstanceUID'),
    frameOfReferenceUid: text(ds, 'FrameOfReferenceUID'),
    imageOrientation: orientationOf(ds),
    positions,
    sliceThickness: number(frameGroup(ds, 'PixelMeasuresSequence', 0) ?? ds, 'SliceThickness'),
  };
}

/** Why a CT is not the axial slice the CT bundles were trained on; null when it is one. */
function ctOrientationNote(orientation: number[] | null): string | null {
  if (orientation === null) return null;
  const normal = [
    orientation[1]! * orientation[5]! - orientation[2]! * orientation[4]!,
    orientation[2]! * orientation[3]! - orientation[0]! * orientation[5]!,
    orientation[0]! * orientation[4]! - orientation[1]! * orientation[3]!,
  ];
  if (Math.abs(normal[2]!) < 0.8) return 'the slice is not axial (a coronal or sagittal reformat): the CT bundles were trained on axial slices';
  if (orientation[0]! < -0.8 || orientation[4]! < -0.8) {
    return "the slice is not in the radiological view (ImageOrientationPatient is flipped): the patient's left and right may be swapped relative to the report";
  }
  return null;
}

function notesOf(ds: NaturalDataset, info: DicomInfo, reference: SourceReference): string[] {
  const notes: string[] = [];
  if (info.modality === 'CT') {
    if (info.imageType.includes('LOCALIZER')) notes.push('this CT image is a localizer (scout), not an axial slice');
    const orientation = ctOrientationNote(reference.imageOrientation);
    if (orientation !== null) notes.push(orientation);
    if (missingRescale(ds, 0)) notes.push('the CT gives no RescaleSlope/Intercept: its stored values are taken as Hounsfield units');
  }
  const part = info.bodyPart;
  if ((info.modality === 'CR' || info.modality === 'DX') && part !== null && !/CHEST|THORAX|LUNG/.test(part)) {
    notes.push(`the radiograph's body part is ${part}, not the chest`);
  }
  if (info.transferSyntax.lossy || text(ds, 'LossyImageCompression') === '01') {
    notes.push('the pixels were compressed lossily: fine detail may differ from the acquisition');
  }
  return notes;
}

function infoOf(ds: NaturalDataset, syntax: TransferSyntax, layout: FrameLayout, unit: 'HU' | null): DicomInfo {
  const sopClass = text(ds, 'SOPClassUID') ?? '';
  return {
    modality: text(ds, 'Modality') ?? 'OT',
    sopClass: SOP_CLASSES[sopClass] ?? sopClass,
    transferSyntax: { uid: syntax.uid, name: syntax.name, lossy: syntax.lossy },
    rows: layout.rows,
    columns: layout.columns,
    frames: layout.frames,
    bitsStored: layout.bitsStored,
    signed: layout.signed,
    photometric: layout.photometric,
    unit,
    spacing: spacingOf(ds),
    bodyPart: text(ds, 'BodyPartExamined'),
    viewPosition: text(ds, 'ViewPosition'),
    imageType: texts(ds, 'ImageType'),
  };
}

/** Refuses what is not an image Locus can read, naming it. */
function checkImage(ds: NaturalDataset, syntax: TransferSyntax): void {
  const sopClass = text(ds, 'SOPClassUID') ?? '';
  if (sopClass === SEGMENTATION_STORAGE) {
    throw new Error('a DICOM Segmentation (SEG), not an image: open it as the ground truth mask of the image it was made on');
  }
  if (ds['PixelData'] === undefined && ds['FloatPixelData'] === undefined) {
    throw new Error(`a DICOM ${SOP_CLASSES[sopClass] ?? 'object'} without pixel data: not an image`);
  }
  requireReadable(syntax);
}

/** Parses a DICOM image file (pixels are decoded per frame, on demand). */
export function readDicomImage(bytes: Uint8Array, options: CodecOptions = {}): DicomImage {
  const { syntax, dataset: ds } = readDicomFile(bytes);
  checkImage(ds, syntax);
  const layout = frameLayout(ds);
  const reference = referenceOf(ds, layout.frames);
  const info = infoOf(ds, syntax, layout, layout.samplesPerPixel === 1 ? valueUnit(ds, 0) : null);
  const identity = { name: personName(ds, 'PatientName'), id: text(ds, 'PatientID') };
  return {
    info,
    reference,
    notes: notesOf(ds, info, reference),
    identity: () => ({ ...identity }),
    frame: async (index) => {
      const samples = await readFrame(ds, syntax, layout, index, options);
      return { index, image: toModalityImage(ds, layout, samples, index), windows: windowPresets(ds, index), voiLut: voiTable(ds) };
    },
  };
}
