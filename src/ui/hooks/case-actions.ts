/**
 * What the inputs do, as react-query mutations over the worker: open an image (shown at once),
 * set the ground truth, segment, and a sample (all three in one click). A failure is put in the
 * case store's `error` and leaves the image, report and result on screen as they were.
 *
 * An analysis is shown only if the image and the bundle it was made from are still the ones on
 * screen when it arrives; otherwise it is dropped with a notice. Segment ignores clicks while its
 * own analysis is pending (the flag is set synchronously, before the first await).
 */
import { useCallback } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { CaseAnalysis, OpenedImage, PromptSettings } from '../../worker/api';
import { useBundleState } from '../state/bundle';
import { useCase } from '../state/case';
import { usePrompts } from '../state/prompts';
import { useView } from '../state/view';
import { errorMessage, isCrash, isStale, locusWorker } from '../worker-client';
import { bundleReady } from './bundle';
import { fetchSampleFile, type Sample } from './samples';

const DROPPED_IMAGE = 'The image changed while the last one was being analysed: that result was dropped. Press Segment for this image.';
const DROPPED_BUNDLE = 'The bundle changed while the case was being analysed: that result was dropped. Press Segment to use the new bundle.';

function fail(prefix: string, error: unknown): void {
  // A crashed worker is reported (and the case reopened) by the recovery, not as the user's error.
  if (isCrash(error)) return;
  if (isStale(error)) useCase.getState().setNotice(DROPPED_IMAGE);
  else useCase.getState().setError(`${prefix}${errorMessage(error)}`);
}

/** Shows an image the worker opened (a file, or another frame of the DICOM on screen). */
function showOpened(opened: OpenedImage, file: Blob, name: string): void {
  const { imageId: id, gray, warnings, dicom } = opened;
  useCase.getState().setImage({ id, name, file, gray, warnings, dicom, consentedBundle: null });
  useView.getState().resetView();
  usePrompts.getState().clearPoints();
}

export async function openImage(file: File): Promise<void> {
  showOpened(await locusWorker().openImage(file), file, file.name);
}

/** Another frame (0-based) of the DICOM on screen: a new image for the worker; the file is not read again. */
export async function selectFrame(frame: number): Promise<void> {
  const image = useCase.getState().image;
  if (image?.dicom == null) throw new Error('the image on screen has no frames to pick');
  showOpened(await locusWorker().selectFrame(image.id, frame), image.file, image.name);
}

export async function openTruth(file: File | null): Promise<void> {
  const mask = await locusWorker().setGroundTruth(file);
  useCase.getState().setTruth(file === null || mask === null ? null : { name: file.name, file, mask });
}

/** Shows `result` only while its image and bundle are still the ones on screen. */
function adopt(result: CaseAnalysis): void {
  const { image, setAnalysis, setNotice } = useCase.getState();
  if (image?.id !== result.imageId) return setNotice(DROPPED_IMAGE);
  if (useBundleState.getState().active?.summary.engineId !== result.engineId) return setNotice(DROPPED_BUNDLE);
  setAnalysis(result);
}

/** Claims the one analysis slot (synchronously); false while an analysis is pending. */
function claim(): boolean {
  const state = useCase.getState();
  if (state.analyzing) return false;
  state.setAnalyzing(true);
  return true;
}

function release(): void {
  useCase.getState().setAnalyzing(false);
}

/** Analyses the case on screen (the caller holds the analysis slot). */
async function analyzeCase(): Promise<void> {
  await bundleReady();
  const { image, report } = useCase.getState();
  if (image === null) throw new Error('open an image first');
  const bundleId = useBundleState.getState().active?.summary.manifest.bundle_id;
  const anyModality = image.consentedBundle !== null && image.consentedBundle === bundleId;
  adopt(await locusWorker().analyzeOpened(image.id, report, usePrompts.getState().settings, { anyModality }));
}

/** Analyses the case on screen unless an analysis is pending (the worker recovery re-runs with it). */
export async function segmentNow(): Promise<void> {
  if (!claim()) return;
  try {
    await analyzeCase();
  } finally {
    release();
  }
}

export function useOpenImage() {
  return useMutation({
    mutationFn: openImage,
    onError: (error, file) => fail(`${file.name}: `, error),
  });
}

export function useSelectFrame() {
  return useMutation({
    mutationFn: selectFrame,
    onError: (error, frame) => fail(`Frame ${frame + 1}: `, error),
  });
}

export function useOpenTruth() {
  return useMutation({
    mutationFn: openTruth,
    onError: (error, file) => fail(file === null ? '' : `${file.name}: `, error),
  });
}

/** Segment, as a click handler: ignored while an analysis is pending. */
export function useSegment(): () => void {
  const { mutate } = useMutation({
    mutationKey: ['analyze'],
    mutationFn: analyzeCase,
    onError: (error) => fail('Segmentation failed: ', error),
    onSettled: release,
  });
  return useCallback(() => {
    if (claim()) mutate();
  }, [mutate]);
}

/**
 * A click handler that loads a case (`open`: image, report, ground truth, prompts) and segments it,
 * as one mutation holding the analysis slot; ignored while an analysis is pending.
 */
function useCaseLoader<T>(open: (choice: T) => Promise<void>, label: (choice: T) => string): (choice: T) => void {
  const { mutate } = useMutation({
    mutationKey: ['analyze'],
    mutationFn: async (choice: T) => {
      await open(choice);
      await analyzeCase();
    },
    onError: (error, choice) => fail(`${label(choice)}: `, error),
    onSettled: release,
  });
  return useCallback(
    (choice: T) => {
      if (claim()) mutate(choice);
    },
    [mutate],
  );
}

/** Loads a sample's image, report and ground truth, then segments it (ignored while an analysis is pending). */
export function useLoadSample(): (sample: Sample) => void {
  return useCaseLoader(
    async (sample: Sample) => {
      const [image, mask] = await Promise.all([fetchSampleFile(sample.image), fetchSampleFile(sample.mask)]);
      await openImage(image);
      useCase.getState().setReport(sample.report);
      await openTruth(mask);
    },
    (sample) => `Sample "${sample.title}"`,
  );
}

/** A dataset case to open in the viewer: its files, the report to analyse and the prompt settings. */
export interface DatasetCaseChoice {
  id: string;
  image: File;
  mask: File;
  report: string;
  settings: PromptSettings;
}

/**
 * Opens a workbench case in the studio (image, report, ground truth, prompts) and segments it, so
 * the viewer shows its overlays; ignored while an analysis is pending.
 */
export function useOpenDatasetCase(): (choice: DatasetCaseChoice) => void {
  return useCaseLoader(
    async (choice: DatasetCaseChoice) => {
      await openImage(choice.image);
      useCase.getState().setReport(choice.report);
      await openTruth(choice.mask);
      usePrompts.getState().choose(choice.settings);
    },
    (choice) => `Case "${choice.id}"`,
  );
}

/** True while an analysis (Segment or a sample) runs. */
export function useAnalyzing(): boolean {
  return useCase((s) => s.analyzing);
}
