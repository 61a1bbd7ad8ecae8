/**
 * What the inputs do, as react-query mutations over the worker: open an image (shown at once),
 * set the ground truth, segment, and a sample (all three in one click). A failure is put in the
 * case store's `error` and leaves the image, report and result on screen as they were.
 */
import { useIsMutating, useMutation } from '@tanstack/react-query';
import { useCase } from '../state/case';
import { usePrompts } from '../state/prompts';
import { useView } from '../state/view';
import { errorMessage, locusWorker } from '../worker-client';
import { fetchSampleFile, type Sample } from './samples';

const ANALYZE = ['analyze'];

function fail(prefix: string, error: unknown): void {
  useCase.getState().setError(`${prefix}${errorMessage(error)}`);
}

async function openImage(file: File): Promise<void> {
  const image = await locusWorker().openImage(file);
  useCase.getState().setImage(file.name, image);
  useView.getState().resetView();
  usePrompts.getState().clearPoints();
}

async function openTruth(file: File | null): Promise<void> {
  const truth = await locusWorker().setGroundTruth(file);
  useCase.getState().setTruth(file?.name ?? null, truth);
}

async function segment(): Promise<void> {
  const { report, image } = useCase.getState();
  if (image === null) throw new Error('open an image first');
  const result = await locusWorker().analyzeOpened(report, usePrompts.getState().settings);
  useCase.getState().setAnalysis(result);
}

export function useOpenImage() {
  return useMutation({
    mutationFn: openImage,
    onError: (error, file) => fail(`${file.name}: `, error),
  });
}

export function useOpenTruth() {
  return useMutation({
    mutationFn: openTruth,
    onError: (error, file) => fail(file === null ? '' : `${file.name}: `, error),
  });
}

export function useSegment() {
  return useMutation({ mutationKey: ANALYZE, mutationFn: segment, onError: (error) => fail('Segmentation failed: ', error) });
}

/** Loads a sample's image, report and ground truth, then segments it. */
export function useLoadSample() {
  return useMutation({
    mutationKey: ANALYZE,
    mutationFn: async (sample: Sample) => {
      const [image, mask] = await Promise.all([fetchSampleFile(sample.image), fetchSampleFile(sample.mask)]);
      await openImage(image);
      useCase.getState().setReport(sample.report);
      await openTruth(mask);
      await segment();
    },
    onError: (error, sample) => fail(`Sample "${sample.title}": `, error),
  });
}

/** True while an analysis (Segment or a sample) runs. */
export function useAnalyzing(): boolean {
  return useIsMutating({ mutationKey: ANALYZE }) > 0;
}
