/**
 * Opening a dataset (folder picker or a folder dropped here), what was found in it, the encoding
 * cache's budget, and the evaluation: Evaluate dataset, its progress (cases done, cases/s, time
 * left) and Cancel.
 */
import { useActiveBundle } from '../hooks/bundle';
import { useDropTarget } from '../hooks/drop';
import { cancelBatch, useEvaluateDataset, useOpenDataset } from '../hooks/workbench';
import { useWorkbench } from '../state/workbench';
import { errorMessage } from '../worker-client';
import { droppedFiles, pickedFiles } from './folder';
import { mebibytes, progressLine } from './format';

function FolderInput() {
  const open = useOpenDataset();
  const running = useWorkbench((s) => s.evaluation?.status === 'running' || s.sweep?.status === 'running');
  // droppedFiles takes the entries at once: the DataTransfer is emptied when the handler returns.
  const { over, handlers } = useDropTarget((transfer) => open.mutate(droppedFiles(transfer)));
  return (
    <div className={`drop-zone dataset-drop${over ? ' over' : ''}`} {...handlers}>
      <label className="file-label">
        <span>Dataset folder</span>
        <input
          type="file"
          aria-label="Dataset folder"
          disabled={running}
          {...{ webkitdirectory: '', directory: '' }}
          multiple
          onChange={(event) => {
            open.mutate(pickedFiles(event.target.files));
            event.target.value = '';
          }}
        />
      </label>
      <p className="hint">
        Choose or drop an LViT-layout folder: images/ (PNG, JPEG or DICOM), masks/ (same name or a mask_ prefix; PNG or
        a DICOM SEG) and reports.csv or LViT&apos;s .xlsx (columns Image, Description). Files are read here, in the
        browser; nothing is uploaded.
        {open.isPending && ' Reading the folder…'}
      </p>
      {open.isError && (
        <p role="alert" className="error">
          Could not open the folder: {errorMessage(open.error)}
        </p>
      )}
    </div>
  );
}

function DatasetFacts() {
  const dataset = useWorkbench((s) => s.dataset);
  if (dataset === null) return null;
  const problems = dataset.summary.cases.filter((c) => c.problem !== null);
  return (
    <div className="dataset-facts">
      <p>
        <strong>{dataset.summary.name}</strong>: {dataset.summary.cases.length} cases, reports from {dataset.summary.reportsFile}
        {problems.length > 0 && `; ${problems.length} cannot be evaluated`}
      </p>
      {problems.length > 0 && (
        <details>
          <summary>Cases with a problem</summary>
          <ul className="plain problems">
            {problems.slice(0, 50).map((c) => (
              <li key={c.id}>{c.problem}</li>
            ))}
            {problems.length > 50 && <li>… and {problems.length - 50} more (all in the per-case table after evaluation)</li>}
          </ul>
        </details>
      )}
    </div>
  );
}

function CacheSetting() {
  const cacheMiB = useWorkbench((s) => s.cacheMiB);
  const setCacheMiB = useWorkbench((s) => s.setCacheMiB);
  const perCase = useWorkbench((s) => s.evaluation?.progress?.cache.perCaseBytes ?? s.evaluation?.done?.cache.perCaseBytes ?? null);
  return (
    <label className="field inline-field">
      <span>Encoding cache (MB)</span>
      <input
        type="number"
        min={0}
        max={8192}
        step={64}
        value={cacheMiB}
        aria-label="Encoding cache (MB)"
        onChange={(event) => setCacheMiB(Math.max(0, Number(event.target.value) || 0))}
      />
      {perCase !== null && (
        <span className="hint">
          {mebibytes(perCase)} a case (encodings and mask at 1 bit a pixel): about {Math.floor((cacheMiB * 2 ** 20) / perCase)} cases fit;
          sweeps encode the rest again
        </span>
      )}
    </label>
  );
}

function Progress() {
  const evaluation = useWorkbench((s) => s.evaluation);
  const progress = evaluation?.progress ?? null;
  if (evaluation === null) return null;
  const total = progress?.total ?? useWorkbench.getState().dataset?.summary.cases.length ?? 0;
  const cache = evaluation.done?.cache ?? progress?.cache;
  return (
    <div className="batch-progress">
      <progress aria-label="Dataset evaluation" max={Math.max(total, 1)} value={progress?.done ?? 0} />
      <span className="hint">
        {progress === null ? 'Starting…' : progressLine(progress)}
        {evaluation.status === 'cancelled' && ' · cancelled'}
        {cache !== undefined && ` · cache: ${cache.cases} cases, ${mebibytes(cache.bytes)} of ${mebibytes(cache.budgetBytes)}`}
      </span>
      {evaluation.status === 'running' && (
        <button type="button" onClick={cancelBatch}>
          Cancel
        </button>
      )}
      {evaluation.error !== null && (
        <p role="alert" className="error">
          Evaluation stopped: {evaluation.error}
        </p>
      )}
    </div>
  );
}

export function DatasetPanel() {
  const evaluate = useEvaluateDataset();
  const hasDataset = useWorkbench((s) => s.dataset !== null);
  const running = useWorkbench((s) => s.evaluation?.status === 'running' || s.sweep?.status === 'running');
  const bundle = useActiveBundle();
  return (
    <section className="panel" aria-labelledby="dataset-heading">
      <h2 id="dataset-heading">Dataset</h2>
      <FolderInput />
      <DatasetFacts />
      <div className="row wrap">
        <CacheSetting />
        <button type="button" className="primary" disabled={!hasDataset || running || bundle === undefined} onClick={() => evaluate.mutate()}>
          Evaluate dataset
        </button>
      </div>
      {bundle !== undefined && <p className="hint">With {bundle.manifest.title} and its default prompts (k {bundle.defaults.k}, θ {bundle.defaults.theta}).</p>}
      <Progress />
    </section>
  );
}
