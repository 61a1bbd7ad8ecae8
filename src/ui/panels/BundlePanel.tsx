/** The model bundle: what it is and how well it scored, loading progress, and loading another one. */
import { useState, type FormEvent } from 'react';
import type { BundleSummary, LoadProgress } from '../../worker/api';
import { shippedChoice, useBundle } from '../hooks/bundle';
import { useBundleState } from '../state/bundle';
import { errorMessage } from '../worker-client';
import { bundleScores, type BundleScores } from '../bundle-metrics';

function progressValue(progress: LoadProgress | null): { value: number | undefined; label: string } {
  if (progress === null) return { value: undefined, label: 'Reading the manifest…' };
  if (progress.phase === 'download') {
    const value = progress.total > 0 ? progress.loaded / progress.total : undefined;
    return { value, label: `Downloading ${progress.file}` };
  }
  if (progress.phase === 'session') {
    return { value: (progress.index + 1) / progress.count, label: `Creating session ${progress.graph}` };
  }
  if (progress.phase === 'warmup') return { value: 1, label: 'Warming up (compiling the graphs once)' };
  return { value: undefined, label: `Falling back to ${progress.notice.to.toUpperCase()}` };
}

function LoadingBar() {
  const progress = useBundleState((s) => s.progress);
  const { value, label } = progressValue(progress);
  return (
    <div className="loading">
      <progress aria-label="Bundle loading" max={1} value={value} />
      <span className="hint">{label}</span>
    </div>
  );
}

/** The mean, and the spread over folds on its own muted line (the left column is narrow); a dash when not measured. */
function withStd(value: number | null, std: number | null) {
  if (value === null) return '–';
  return (
    <>
      {value.toFixed(3)}
      {std !== null && <small className="std">± {std.toFixed(3)}</small>}
    </>
  );
}

function ScoreTable({ scores }: { scores: BundleScores }) {
  if (scores.rows.length === 0) return null;
  return (
    <table className="compact">
      <caption title={scores.protocol ?? undefined}>{scores.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Prompts</th>
          <th scope="col">Dice</th>
          <th scope="col">mIoU</th>
        </tr>
      </thead>
      <tbody>
        {scores.rows.map((row) => (
          <tr key={row.prompts}>
            <th scope="row">{row.prompts}</th>
            <td>{withStd(row.dice, row.diceStd)}</td>
            <td>{withStd(row.iou, row.iouStd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BundleFacts({ summary }: { summary: BundleSummary }) {
  const { manifest } = summary;
  const scores = bundleScores(manifest.metrics);
  const location = scores.location;
  return (
    <>
      <p className="bundle-title">{manifest.title}</p>
      <dl className="facts">
        <dt>Modality</dt>
        <dd>{manifest.modality.toUpperCase()}</dd>
        <dt>Trainable</dt>
        <dd>{manifest.training.trainable_parameters.toLocaleString('en')} parameters</dd>
        <dt>Bundle</dt>
        <dd>{manifest.bundle_id}</dd>
        <dt>Warm-up</dt>
        <dd title="Every graph run once on a blank frame when the bundle opened">{Math.round(summary.warmupMs)} ms</dd>
      </dl>
      <ScoreTable scores={scores} />
      {location && (
        <p className="hint">
          Location awareness: Dice{' '}
          {location.trueReport !== null && <>{location.trueReport.toFixed(3)} with the true report, </>}
          {location.otherRegions.toFixed(3)} with a report naming the wrong regions.
        </p>
      )}
    </>
  );
}

function OtherBundle() {
  const choose = useBundleState((s) => s.choose);
  const { shipped } = useBundle();
  const [url, setUrl] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim() === '') return;
    const base = new URL(url.trim().replace(/\/?$/, '/'), document.baseURI).href;
    choose({ kind: 'url', base, label: base });
  };
  return (
    <details className="other-bundle">
      <summary>Load another bundle</summary>
      {(shipped.data?.length ?? 0) > 1 && (
        <ul className="plain">
          {shipped.data!.map((b) => (
            <li key={b.name}>
              <button type="button" className="link" onClick={() => choose(shippedChoice(b))}>
                {b.title} ({b.modality.toUpperCase()})
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="row">
        <input type="url" aria-label="Bundle URL" placeholder="https://…/bundle/" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit">Load</button>
      </form>
      <label className="file-label">
        <span>Local bundle folder</span>
        <input
          type="file"
          aria-label="Bundle folder"
          {...{ webkitdirectory: '', directory: '' }}
          multiple
          onChange={(event) => {
            const list = [...(event.target.files ?? [])];
            if (list.length === 0) return;
            const files = Object.fromEntries(list.map((f) => [f.webkitRelativePath || f.name, f]));
            const label = list[0]?.webkitRelativePath.split('/')[0] || 'local folder';
            choose({ kind: 'files', files, label });
          }}
        />
      </label>
    </details>
  );
}

export function BundlePanel() {
  const { query, noBundles } = useBundle();
  return (
    <section className="panel" aria-labelledby="bundle-heading">
      <h2 id="bundle-heading">Model bundle</h2>
      {noBundles && <p className="hint">No bundle is shipped with this build: load one below.</p>}
      {query.isFetching && <LoadingBar />}
      {query.isError && (
        <p role="alert" className="error">
          Could not load the bundle: {errorMessage(query.error)}
        </p>
      )}
      {query.data && <BundleFacts summary={query.data} />}
      <OtherBundle />
    </section>
  );
}
