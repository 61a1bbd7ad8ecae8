/**
 * The case on screen: the image (as displayed, with the file it came from), its report, the
 * optional ground truth and the full analysis of the last Segment, each with the id the worker gave
 * it. Pixels here are plain arrays the worker handed over; the tensors stay in the worker. The
 * files are kept so a restarted worker can reopen the case. A failed load never clears what is
 * already here.
 */
import { create } from 'zustand';
import type { CaseAnalysis, DicomSummary, GrayImage, InputWarning, TruthMask } from '../../worker/api';

export type Analysis = CaseAnalysis;

export interface CaseImage {
  /** The worker's id of the opened image; results name it. */
  id: string;
  name: string;
  file: Blob;
  gray: GrayImage;
  warnings: InputWarning[];
  /** What may be shown about a DICOM image (null for PNG/JPEG); never the patient. */
  dicom: DicomSummary | null;
  /** The bundle (bundle_id) the user agreed to segment this image with although its modality differs. */
  consentedBundle: string | null;
}

export interface CaseTruth {
  name: string;
  file: Blob;
  mask: TruthMask;
}

export interface CaseState {
  image: CaseImage | null;
  report: string;
  truth: CaseTruth | null;
  analysis: Analysis | null;
  /** True from a Segment click until its analysis settles: further clicks are ignored. */
  analyzing: boolean;
  /** The last input problem (bad file, size mismatch, failed run), shown until the next action. */
  error: string | null;
  /** Something the studio did on its own (a result dropped, a worker restarted), shown until the next action. */
  notice: string | null;
  /** Warnings the user dismissed, by `warningKey`. */
  dismissed: ReadonlySet<string>;
  setImage(image: CaseImage): void;
  /** The same image reopened in a new worker: a new id, nothing else changes. */
  reopenImage(id: string): void;
  /** The user agreed to segment this image with `bundleId` although its DICOM modality differs. */
  consent(bundleId: string): void;
  setReport(report: string): void;
  setTruth(truth: CaseTruth | null): void;
  setAnalysis(analysis: Analysis): void;
  clearAnalysis(notice?: string): void;
  setAnalyzing(analyzing: boolean): void;
  setError(error: string | null): void;
  setNotice(notice: string | null): void;
  dismiss(key: string): void;
}

/** Names one warning of one input (the image id, a truth id or an analysis id), for dismissing it. */
export function warningKey(source: string | number, warning: InputWarning): string {
  return `${source}:${warning.code}:${warning.message}`;
}

export const useCase = create<CaseState>()((set) => ({
  image: null,
  report: '',
  truth: null,
  analysis: null,
  analyzing: false,
  error: null,
  notice: null,
  dismissed: new Set(),
  setImage: (image) => set({ image, truth: null, analysis: null, error: null, notice: null }),
  reopenImage: (id) => set((s) => (s.image === null ? {} : { image: { ...s.image, id } })),
  consent: (bundleId) => set((s) => (s.image === null ? {} : { image: { ...s.image, consentedBundle: bundleId } })),
  setReport: (report) => set({ report }),
  setTruth: (truth) => set({ truth, error: null }),
  setAnalysis: (analysis) => set({ analysis, error: null, notice: null }),
  clearAnalysis: (notice) => set((s) => ({ analysis: null, notice: notice ?? s.notice })),
  setAnalyzing: (analyzing) => set({ analyzing }),
  setError: (error) => set({ error }),
  setNotice: (notice) => set({ notice }),
  dismiss: (key) => set((s) => ({ dismissed: new Set([...s.dismissed, key]) })),
}));
