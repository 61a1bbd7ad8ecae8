/**
 * The workbench's actions as react-query mutations over the worker: open a dataset folder,
 * evaluate it (progress into the workbench store as each case arrives), run sweeps, cancel. The
 * folder is handed to the worker again before each evaluation, so a worker that was restarted
 * meanwhile has it too.
 */
import { useMutation } from '@tanstack/react-query';
import type { BatchProgress, SweepKind } from '../../worker/api';
import { useBundleState } from '../state/bundle';
import { useWorkbench } from '../state/workbench';
import type { PickedFile } from '../workbench/folder';
import { errorMessage, locusWorker, proxy } from '../worker-client';
import { bundleReady } from './bundle';

const MIB = 2 ** 20;

function datasetFiles() {
  const dataset = useWorkbench.getState().dataset;
  if (dataset === null) throw new Error('open a dataset folder first');
  return [...dataset.files].map(([path, file]) => ({ path, file }));
}

export function useOpenDataset() {
  return useMutation({
    mutationFn: async (picked: PickedFile[] | Promise<PickedFile[]>) => {
      const files = await picked;
      if (files.length === 0) throw new Error('the folder is empty');
      const summary = await locusWorker().openDataset(files);
      useWorkbench.getState().opened({ summary, files: new Map(files.map((f) => [f.path, f.file])) });
    },
  });
}

export function useEvaluateDataset() {
  return useMutation({
    mutationFn: async () => {
      const files = datasetFiles();
      await bundleReady();
      const state = useWorkbench.getState();
      const bundle = useBundleState.getState().active!.summary;
      state.startEvaluation(bundle.manifest.title, bundle.defaults);
      await locusWorker().openDataset(files);
      const onProgress = proxy((p: BatchProgress) => useWorkbench.getState().evaluationProgress(p));
      const done = await locusWorker().evaluateDataset({ cacheBytes: state.cacheMiB * MIB }, onProgress);
      useWorkbench.getState().evaluationEnded(done, null);
    },
    onError: (error) => useWorkbench.getState().evaluationEnded(null, errorMessage(error)),
  });
}

export function useRunSweeps() {
  return useMutation({
    mutationFn: async (kinds: SweepKind[]) => {
      useWorkbench.getState().startSweep(kinds);
      const onProgress = proxy((p: BatchProgress) => useWorkbench.getState().sweepProgress(p));
      const done = await locusWorker().runSweeps(kinds, onProgress);
      useWorkbench.getState().sweepEnded(done, null);
    },
    onError: (error) => useWorkbench.getState().sweepEnded(null, errorMessage(error)),
  });
}

/** Stops the running evaluation or sweep after its current case. */
export function cancelBatch(): void {
  void locusWorker().cancel();
}
