/**
 * The case on screen: the image (as displayed), its report, the optional ground truth and the
 * full analysis of the last Segment. Pixels here are plain arrays the worker handed over; the
 * tensors stay in the worker. A failed load never clears what is already here.
 */
import { create } from 'zustand';
import type { AnalysisResult, GrayImage, Scored, TruthMask } from '../../worker/api';

export type Analysis = Scored<AnalysisResult>;

export interface CaseState {
  imageName: string | null;
  image: GrayImage | null;
  report: string;
  truthName: string | null;
  truth: TruthMask | null;
  analysis: Analysis | null;
  /** Counts analyses, so decode queries of an older one are never shown for a newer one. */
  analysisId: number;
  /** The last input problem (bad file, size mismatch, failed run), shown until the next action. */
  error: string | null;
  setImage(name: string, image: GrayImage): void;
  setReport(report: string): void;
  setTruth(name: string | null, truth: TruthMask | null): void;
  setAnalysis(analysis: Analysis): void;
  clearAnalysis(): void;
  setError(error: string | null): void;
}

export const useCase = create<CaseState>()((set) => ({
  imageName: null,
  image: null,
  report: '',
  truthName: null,
  truth: null,
  analysis: null,
  analysisId: 0,
  error: null,
  setImage: (imageName, image) => set({ imageName, image, truth: null, truthName: null, analysis: null, error: null }),
  setReport: (report) => set({ report }),
  setTruth: (truthName, truth) => set({ truthName, truth, error: null }),
  setAnalysis: (analysis) => set((s) => ({ analysis, analysisId: s.analysisId + 1, error: null })),
  clearAnalysis: () => set({ analysis: null }),
  setError: (error) => set({ error }),
}));
