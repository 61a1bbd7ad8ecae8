/**
 * When the worker dies (worker-supervisor.ts), a fresh one starts empty: this reloads the active
 * bundle, reopens the image and ground truth from the files the case store kept, and analyses the
 * case again if it had been analysed (or was being analysed), with the report and prompt settings
 * on screen. The user keeps the case; a notice says what happened.
 */
import { useEffect } from 'react';
import { useBundleState } from '../state/bundle';
import { useCase } from '../state/case';
import { errorMessage, locusWorker, onWorkerCrash } from '../worker-client';
import { loadChoice } from './bundle';
import { segmentNow } from './case-actions';

async function reopenCase(): Promise<void> {
  const { image, truth } = useCase.getState();
  if (image === null) return;
  const opened = await locusWorker().openImage(image.file, image.dicom?.frame ?? 0);
  useCase.getState().reopenImage(opened.imageId);
  if (truth !== null) {
    const mask = await locusWorker().setGroundTruth(truth.file);
    useCase.getState().setTruth(mask === null ? null : { ...truth, mask });
  }
}

export async function recover(reason: string): Promise<void> {
  const { analysis, analyzing, clearAnalysis, setNotice, setError } = useCase.getState();
  const analysed = analysis !== null || analyzing;
  const stopped = `The analysis worker stopped (${reason}) and was restarted`;
  clearAnalysis();
  setNotice(`${stopped}: reloading the bundle and reopening the case…`);
  try {
    const active = useBundleState.getState().active;
    if (active !== null) await loadChoice(active.choice);
    await reopenCase();
    // The crashed call may still hold the analysis slot for a moment; wait for it to let go.
    while (useCase.getState().analyzing) await new Promise((resolve) => setTimeout(resolve, 50));
    if (analysed && useCase.getState().image !== null) await segmentNow();
    useCase.getState().setNotice(`${stopped}; the case was kept${analysed ? ' and analysed again' : ''}.`);
  } catch (error) {
    setError(`${stopped}, but reopening the case failed: ${errorMessage(error)}`);
  }
}

/** Reopens the case in a new worker whenever the old one died. */
export function useWorkerRecovery(): void {
  useEffect(() => onWorkerCrash((crash) => void recover(crash.reason)), []);
}
