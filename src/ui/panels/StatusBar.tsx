/**
 * The live status line (role "status"): the execution provider in use (WebGPU and its adapter, or
 * WASM and why) and what the studio is doing; "Done" once a result matching the settings is shown.
 */
import type { BackendInfo } from '../../worker/api';
import { useBundle } from '../hooks/bundle';
import { useAnalyzing } from '../hooks/case-actions';
import type { Displayed } from '../hooks/decode';
import { useBundleState } from '../state/bundle';
import { useCase } from '../state/case';

export function providerText(backend: BackendInfo | null): string {
  if (backend === null) return 'No backend yet';
  if (backend.ep === 'webgpu') {
    const adapter = backend.adapter;
    const name = adapter ? adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') : '';
    return name ? `WebGPU · ${name}` : 'WebGPU';
  }
  const why = backend.fallbackReason ?? (backend.requested === backend.ep ? 'requested' : 'no reason given');
  return `${backend.ep.toUpperCase()} · ${why}`;
}

function useActivity(displayed: Displayed): string {
  const { query } = useBundle();
  const analyzing = useAnalyzing();
  const hasImage = useCase((s) => s.image !== null);
  const error = useCase((s) => s.error);
  if (query.isFetching) return 'Loading the model bundle…';
  if (query.isError) return 'Bundle failed to load';
  if (analyzing) return 'Segmenting…';
  if (displayed.pending) return 'Updating the mask…';
  if (error !== null || displayed.error !== null) return 'Error (see the message)';
  if (displayed.result !== null) return 'Done';
  return hasImage ? 'Ready: press Segment' : 'Ready: open an image or pick a sample';
}

export function StatusBar({ displayed }: { displayed: Displayed }) {
  const { query } = useBundle();
  const loadFallback = useBundleState((s) => s.fallback);
  const backend = displayed.result?.backend ?? query.data?.backend ?? null;
  const fallback = displayed.result?.fallback ?? loadFallback;
  const text = useActivity(displayed);
  const webgpu = backend?.ep === 'webgpu';
  return (
    <div className="status" role="status" aria-live="polite" aria-label="Studio status">
      <span className={`badge ${backend === null ? '' : webgpu ? 'gpu' : 'cpu'}`} title={backend?.version ? `onnxruntime-web ${backend.version}` : undefined}>
        {providerText(backend)}
      </span>
      <span className={`activity${text === 'Done' ? ' done' : ''}`}>{text}</span>
      {fallback !== null && (
        <span className="warning">
          Fell back from {fallback.from.toUpperCase()} to {fallback.to.toUpperCase()}: {fallback.reason}
        </span>
      )}
    </div>
  );
}
