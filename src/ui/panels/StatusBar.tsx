/**
 * The live status line (role "status"): the execution provider in use (WebGPU and its adapter, or
 * WASM and why), what the studio is doing (with the bundle's load progress), and "Done" only once
 * the result on screen matches the image, report, bundle and prompt settings on screen.
 */
import type { BackendInfo } from '../../worker/api';
import { useActiveBundle } from '../hooks/bundle';
import { useAnalyzing } from '../hooks/case-actions';
import type { Displayed } from '../hooks/decode';
import { useBundleState } from '../state/bundle';
import { useCase } from '../state/case';
import { progressText } from './load-progress';

/** WASM threads, and why only one (threads need a cross-origin isolated page); null when unknown. */
export function wasmThreads(backend: BackendInfo): { short: string; full: string } | null {
  if (backend.wasm === undefined) return null;
  const { threads, crossOriginIsolated } = backend.wasm;
  const count = `${threads} WASM thread${threads === 1 ? '' : 's'}`;
  if (crossOriginIsolated) return { short: count, full: `${count}, cross-origin isolated` };
  return { short: count, full: `${count}, not cross-origin isolated yet: the service worker adds the headers from the next reload` };
}

/** The badge: the EP, and the adapter (WebGPU) or the reason (WASM), short; the full text is its title. */
export function providerText(backend: BackendInfo | null): { short: string; full: string } {
  if (backend === null) return { short: 'No backend yet', full: 'No bundle is loaded yet' };
  if (backend.ep === 'webgpu') {
    const adapter = backend.adapter;
    const name = adapter ? adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') : '';
    return { short: name ? `WebGPU · ${name}` : 'WebGPU', full: `WebGPU${name ? ` on ${name}` : ''} (onnxruntime-web ${backend.version})` };
  }
  const why = backend.fallbackReason ?? (backend.requested === backend.ep ? 'requested' : 'no reason given');
  const noGpu = /adapter|navigator\.gpu|device request/.test(why);
  const threads = wasmThreads(backend);
  const ep = backend.requested === backend.ep ? backend.ep.toUpperCase() : `${backend.ep.toUpperCase()} (${noGpu ? 'no GPU' : 'fallback'})`;
  const short = threads === null ? ep : `${ep} · ${threads.short}`;
  return { short, full: `${backend.ep.toUpperCase()}: ${why} (onnxruntime-web ${backend.version}${threads === null ? '' : `; ${threads.full}`})` };
}

function useActivity(displayed: Displayed): string {
  const loading = useBundleState((s) => s.loading);
  const progress = useBundleState((s) => s.progress);
  const failure = useBundleState((s) => s.failure);
  const active = useActiveBundle();
  const analyzing = useAnalyzing();
  const hasImage = useCase((s) => s.image !== null);
  const error = useCase((s) => s.error);
  if (analyzing) return 'Segmenting…';
  if (loading !== null) return `Loading ${loading.label}: ${progressText(progress).label}`;
  if (active === undefined) return failure !== null ? 'No bundle: loading failed (see the bundle panel)' : 'Starting…';
  if (displayed.stale !== null && displayed.result !== null) return displayed.stale;
  if (displayed.pending) return 'Updating the mask…';
  if (displayed.error !== null) return 'Error (see the message)';
  // A refused file leaves the case as it was: the result on screen still matches it.
  if (displayed.result !== null) return 'Done';
  if (error !== null) return 'Error (see the message)';
  return hasImage ? 'Ready: press Segment' : 'Ready: open an image or pick a sample';
}

export function StatusBar({ displayed }: { displayed: Displayed }) {
  const active = useActiveBundle();
  const loadFallback = useBundleState((s) => s.fallback);
  const progress = useBundleState((s) => s.progress);
  const loading = useBundleState((s) => s.loading !== null);
  const backend = displayed.result?.backend ?? active?.backend ?? null;
  const fallback = displayed.result?.fallback ?? loadFallback;
  const text = useActivity(displayed);
  const provider = providerText(backend);
  const webgpu = backend?.ep === 'webgpu';
  const value = progressText(progress).value;
  const analysisId = useCase((s) => s.analysis?.analysisId ?? '');
  const shown = displayed.result?.settings;
  // Machine-readable twins of the text, for the soak and latency scripts and the tests.
  const data = {
    'data-done': text === 'Done' ? 'true' : 'false',
    'data-analysis': analysisId,
    'data-k': shown?.k ?? '',
    'data-theta': shown?.theta ?? '',
  };
  return (
    <div className="status" role="status" aria-live="polite" aria-label="Studio status" {...data}>
      <span className={`badge ${backend === null ? '' : webgpu ? 'gpu' : 'cpu'}`} title={provider.full}>
        {provider.short}
      </span>
      <span className={`activity${text === 'Done' ? ' done' : ''}`} title={text}>
        {text}
      </span>
      {loading && <progress className="top-progress" aria-label="Bundle loading" max={1} value={value} />}
      {fallback !== null && (
        <span className="warning fallback" title={fallback.reason}>
          Fell back from {fallback.from.toUpperCase()} to {fallback.to.toUpperCase()}: {fallback.reason}
        </span>
      )}
    </div>
  );
}
