/** The model bundle: what it is and how well it scored, loading progress, and loading another one. */
import { memo, useState, type FormEvent } from 'react';
import type { BackendInfo, BundleSummary } from '../../worker/api';
import { shippedChoice, useActiveBundle, useLoadBundle, useShippedBundles } from '../hooks/bundle';
import { useBundleState, type BundleChoice } from '../state/bundle';
import { useCase } from '../state/case';
import { bundleScores, type BundleScores } from '../bundle-metrics';
import { progressText } from './load-progress';
import { approveOrigin } from '../pwa';
import { errorMessage } from '../worker-client';
import { OfflineStorage } from './OfflineStorage';
import { wasmThreads } from './StatusBar';

function LoadingBar() {
  const progress = useBundleState((s) => s.progress);
  const loading = useBundleState((s) => s.loading);
  const { value, label } = progressText(progress);
  return (
    <div className="loading">
      <progress aria-label="Bundle loading (panel)" max={1} value={value} />
      <span className="hint">
        {loading?.label}: {label}
      </span>
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
      {scores.baselines.length > 0 && (
        <tbody className="baselines">
          <tr>
            <th scope="colgroup" colSpan={3}>
              Compared with (all prompts, same protocol)
            </th>
          </tr>
          {scores.baselines.map((row) => (
            <tr key={row.prompts} title={row.description}>
              <th scope="row">{row.prompts}</th>
              <td>{withStd(row.dice, row.diceStd)}</td>
              <td>{withStd(row.iou, row.iouStd)}</td>
            </tr>
          ))}
        </tbody>
      )}
    </table>
  );
}

/** The EP and its adapter, or why it is not WebGPU (after a fallback, the backend results now report). */
function runsOn(backend: BackendInfo): string {
  if (backend.ep === 'webgpu') return `WebGPU${backend.adapter?.description ? ` (${backend.adapter.description})` : ''}`;
  const threads = wasmThreads(backend);
  const parts = [backend.ep.toUpperCase(), threads?.full, backend.fallbackReason].filter((part) => part != null);
  return parts.join('; ');
}

function BundleFacts({ summary }: { summary: BundleSummary }) {
  const { manifest } = summary;
  const backend = useCase((s) => s.analysis?.backend) ?? summary.backend;
  const scores = bundleScores(manifest.metrics);
  const location = scores.location;
  return (
    <>
      <p className="bundle-title">{manifest.title}</p>
      <dl className="facts">
        <dt>Modality</dt>
        <dd>{manifest.modality.toUpperCase()}</dd>
        <dt>Expects</dt>
        <dd>
          {manifest.expected_input.description}; DICOM {manifest.expected_input.dicom_modalities.join(' or ')}
        </dd>
        <dt>Trainable</dt>
        <dd>{manifest.training.trainable_parameters.toLocaleString('en')} parameters</dd>
        <dt>Bundle</dt>
        <dd>{manifest.bundle_id}</dd>
        <dt>Runs on</dt>
        <dd>{runsOn(backend)}</dd>
        <dt>Warm-up</dt>
        <dd title="Every graph run once on a blank frame when the bundle opened">{Math.round(summary.warmupMs)} ms</dd>
      </dl>
      <OfflineStorage summary={summary} />
      <ScoreTable scores={scores} />
      {location && (
        <p className="hint">
          Location awareness: Dice{' '}
          {location.trueReport !== null && <>{location.trueReport.toFixed(3)} with the true report, </>}
          {location.otherRegions.toFixed(3)} with a report naming the wrong regions
          {location.allRegions !== null && <>, {location.allRegions.toFixed(3)} with a generic all-regions report</>}.
        </p>
      )}
    </>
  );
}

function OtherBundle() {
  const { mutate } = useLoadBundle();
  const shipped = useShippedBundles();
  const busy = useBundleState((s) => s.loading !== null);
  const [url, setUrl] = useState('');
  /** A bundle on another origin waits for the user's approval. */
  const [remote, setRemote] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const choose = (choice: BundleChoice) => {
    if (!busy) mutate(choice);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim() === '') return;
    const base = new URL(url.trim().replace(/\/?$/, '/'), document.baseURI).href;
    setRefusal(null);
    if (new URL(base).origin !== location.origin) setRemote(base);
    else choose({ kind: 'url', base, label: base });
  };
  const allow = async (base: string) => {
    setRemote(null);
    try {
      await approveOrigin(new URL(base).origin);
      choose({ kind: 'url', base, label: base });
    } catch (error) {
      setRefusal(errorMessage(error));
    }
  };
  return (
    <details className="other-bundle">
      <summary>Load another bundle</summary>
      <fieldset className="plain" disabled={busy}>
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
      {remote !== null && (
        <div className="remote-consent" role="alertdialog" aria-labelledby="remote-title">
          <p id="remote-title">Load a bundle from {new URL(remote).origin}?</p>
          <p className="hint">
            Only its manifest, graphs and vocabulary are fetched from there (no image or report leaves this page), and they
            are used only if every file's sha256 matches the manifest.
          </p>
          <div className="row buttons">
            <button type="button" className="primary" onClick={() => void allow(remote)}>
              Allow {new URL(remote).host} and load
            </button>
            <button type="button" onClick={() => setRemote(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {refusal !== null && (
        <p role="alert" className="error">
          {refusal}
        </p>
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
      </fieldset>
      <p className="hint">The bundle in use stays until the new one has loaded and warmed up.</p>
    </details>
  );
}

/** Memoised: the studio re-renders on every re-run, this panel only when its own props change. */
export const BundlePanel = memo(function BundlePanel({ noBundles }: { noBundles: boolean }) {
  const active = useActiveBundle();
  const loading = useBundleState((s) => s.loading !== null);
  const failure = useBundleState((s) => s.failure);
  return (
    <section className="panel" aria-labelledby="bundle-heading">
      <h2 id="bundle-heading">Model bundle</h2>
      {noBundles && <p className="hint">No bundle is shipped with this build: load one below.</p>}
      {loading && <LoadingBar />}
      {failure !== null && (
        <p role="alert" className="error">
          Could not load {failure.label}: {failure.message}
          {active !== undefined && <> ({active.manifest.title} is still in use.)</>}
        </p>
      )}
      {active && <BundleFacts summary={active} />}
      <OtherBundle />
    </section>
  );
});
