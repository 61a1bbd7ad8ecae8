/**
 * The studio: inputs and bundle on the left, the viewer in the middle, prompt lab, location,
 * timings and export on the right, and the status line on top. State lives in the zustand stores
 * (./state) and react-query (./hooks); this file only lays the panels out.
 */
import { lazy, Suspense, useEffect } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useDefaultBundle } from './hooks/bundle';
import { useDisplayed, useMetrics } from './hooks/decode';
import { useWorkerRecovery } from './hooks/recovery';
import { useLayers } from './hooks/layers';
import { BundlePanel } from './panels/BundlePanel';
import { ExportPanel } from './panels/ExportPanel';
import { InputPanel } from './panels/InputPanel';
import { LocationPanel } from './panels/LocationPanel';
import { PromptLab } from './panels/PromptLab';
import { SampleGallery } from './panels/SampleGallery';
import { StatusBar } from './panels/StatusBar';
import { TimingsPanel } from './panels/TimingsPanel';
import { ViewerPane } from './panels/ViewerPane';
import { useCase } from './state/case';
import { usePrompts } from './state/prompts';
import { usePwa } from './pwa';
import { useWorkbench, type View } from './state/workbench';
import './app.css';

const Workbench = lazy(() => import('./workbench/Workbench'));

const VIEWS: [View, string][] = [
  ['studio', 'Studio'],
  ['workbench', 'Workbench'],
];

/** Studio (one case) or Workbench (a dataset); the case's panels stay on the left in both. */
function ViewTabs() {
  const view = useWorkbench((s) => s.view);
  const setView = useWorkbench((s) => s.setView);
  return (
    <div className="view-tabs" role="tablist" aria-label="View">
      {VIEWS.map(([name, label]) => (
        <button key={name} type="button" role="tab" id={`tab-${name}`} aria-selected={view === name} aria-controls="view-panel" onClick={() => setView(name)}>
          {label}
        </button>
      ))}
    </div>
  );
}

/**
 * All work is local (a worker, and files served with the page), so nothing waits for the browser
 * to say it is online: react-query's default network mode would pause every query and mutation
 * on an 'offline' event, freezing Segment and the prompt lab until 'online'.
 */
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { refetchOnWindowFocus: false, networkMode: 'always' },
    mutations: { networkMode: 'always' },
  },
});

/** Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, outside text fields. */
function useUndoKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('textarea, input[type="text"], input[type="url"]')) return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      const { undo, redo } = usePrompts.getState();
      if (key === 'z' && !event.shiftKey) undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** A new version of the studio is installed: the user reloads into it when the case allows. */
function UpdatePrompt() {
  const ready = usePwa((s) => s.updateReady);
  const update = usePwa((s) => s.update);
  if (!ready) return null;
  return (
    <div className="update-prompt" role="alert">
      A new version of Locus is ready.{' '}
      <button type="button" onClick={update}>
        Reload to update
      </button>
    </div>
  );
}

function Studio() {
  const { noBundles } = useDefaultBundle();
  useWorkerRecovery();
  useUndoKeys();
  const displayed = useDisplayed();
  const metrics = useMetrics(displayed.result);
  const layers = useLayers(displayed);
  const analysis = useCase((s) => s.analysis);
  const view = useWorkbench((s) => s.view);
  return (
    <div className={`studio${view === 'workbench' ? ' with-workbench' : ''}`}>
      <header className="topbar">
        <h1>Locus studio</h1>
        <ViewTabs />
        <StatusBar displayed={displayed} />
        <UpdatePrompt />
        <span className="disclaimer">Research tool, not a medical device</span>
      </header>
      <aside className="column left" aria-label="Inputs">
        <InputPanel />
        <SampleGallery />
        <BundlePanel noBundles={noBundles} />
      </aside>
      {view === 'workbench' ? (
        <main className="workbench-main" id="view-panel" role="tabpanel" aria-labelledby="tab-workbench">
          <Suspense fallback={<p className="hint">Loading the workbench…</p>}>
            <Workbench />
          </Suspense>
        </main>
      ) : (
        <>
          <main className="centre" id="view-panel" role="tabpanel" aria-labelledby="tab-studio">
            <ViewerPane layers={layers} stale={displayed.stale} />
          </main>
          <aside className="column right" aria-label="Analysis">
            <PromptLab displayed={displayed} metrics={metrics} />
            <LocationPanel analysis={analysis} stale={displayed.stale} />
            <ExportPanel displayed={displayed} metrics={metrics} layers={layers} />
            <TimingsPanel analysis={analysis} displayed={displayed} />
          </aside>
        </>
      )}
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Studio />
    </QueryClientProvider>
  );
}
