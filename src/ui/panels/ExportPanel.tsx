/** Export: the final mask (PNG, original size), the overlay as shown (PNG) and the JSON record. */
import { useMutation } from '@tanstack/react-query';
import type { MaskMetrics } from '../../worker/api';
import { download, resultRecord, stem } from '../export-record';
import { useBundle } from '../hooks/bundle';
import type { Displayed } from '../hooks/decode';
import { useCase } from '../state/case';
import { useView } from '../state/view';
import { renderOverlayPng } from '../viewer/export';
import type { ViewerLayers } from '../viewer/types';
import { autoWindowLevel } from '../viewer/window-level';
import { errorMessage, locusWorker } from '../worker-client';

export function ExportPanel({ displayed, metrics, layers }: { displayed: Displayed; metrics: MaskMetrics | null; layers: ViewerLayers }) {
  const bundle = useBundle().query.data;
  const { analysis, imageName, truthName, report, image } = useCase();
  const result = displayed.result;
  const name = stem(imageName);
  const mask = useMutation({
    mutationFn: async () => {
      const png = await locusWorker().encodeMaskPng(result!.mask, result!.width, result!.height);
      download(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), `${name}-mask.png`);
    },
  });
  const overlay = useMutation({
    mutationFn: async () => {
      const { overlays, windowLevel } = useView.getState();
      const level = windowLevel ?? autoWindowLevel(image!);
      download(await renderOverlayPng(layers, overlays, level), `${name}-overlay.png`);
    },
  });
  const exportJson = () => {
    if (bundle === undefined || analysis === null || result === null) return;
    const record = resultRecord({ bundle, analysis, result, metrics, imageName, truthName, report });
    download(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }), `${name}-locus.json`);
  };
  const disabled = result === null || displayed.pending;
  const failure = mask.error ?? overlay.error;
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <div className="row buttons">
        <button type="button" disabled={disabled} onClick={() => mask.mutate()}>
          Export mask
        </button>
        <button type="button" disabled={disabled} onClick={() => overlay.mutate()}>
          Export overlay
        </button>
        <button type="button" disabled={disabled || bundle === undefined} onClick={exportJson}>
          Export JSON
        </button>
      </div>
      {failure !== null && (
        <p role="alert" className="error">
          Export failed: {errorMessage(failure)}
        </p>
      )}
    </section>
  );
}
