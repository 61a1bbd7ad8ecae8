/**
 * The studio: inputs and bundle on the left, the viewer in the middle, prompt lab, location,
 * timings and export on the right, and the status line on top. State lives in the zustand stores
 * (./state) and react-query (./hooks); this file only lays the panels out.
 */
import { useEffect } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useBundle } from './hooks/bundle';
import { useDisplayed, useMetrics } from './hooks/decode';
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
import './app.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

/** A new bundle brings its own prompt defaults; the old analysis belonged to the old engine. */
function useBundleChange(): void {
  const summary = useBundle().query.data;
  useEffect(() => {
    if (summary === undefined) return;
    usePrompts.getState().setDefaults(summary.defaults);
    useCase.getState().clearAnalysis();
  }, [summary]);
}

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

function Studio() {
  useBundleChange();
  useUndoKeys();
  const displayed = useDisplayed();
  const metrics = useMetrics(displayed.result);
  const layers = useLayers(displayed);
  const analysis = useCase((s) => s.analysis);
  return (
    <div className="studio">
      <header className="topbar">
        <h1>Locus studio</h1>
        <StatusBar displayed={displayed} />
        <span className="disclaimer">Research tool, not a medical device</span>
      </header>
      <aside className="column left" aria-label="Inputs">
        <InputPanel />
        <SampleGallery />
        <BundlePanel />
      </aside>
      <main className="centre">
        <ViewerPane layers={layers} />
      </main>
      <aside className="column right" aria-label="Analysis">
        <PromptLab displayed={displayed} metrics={metrics} />
        <LocationPanel analysis={analysis} />
        <ExportPanel displayed={displayed} metrics={metrics} layers={layers} />
        <TimingsPanel analysis={analysis} displayed={displayed} />
      </aside>
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
