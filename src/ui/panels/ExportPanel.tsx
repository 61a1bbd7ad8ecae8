/**
 * Export: the final mask (PNG, original size), the overlay as shown (PNG), the JSON record, and for
 * a DICOM image a binary DICOM SEG referencing it (the patient's name and ID left empty).
 */
import { useMutation } from '@tanstack/react-query';
import type { MaskMetrics } from '../../worker/api';
import { download, resultRecord, stem } from '../export-record';
import { useActiveBundle } from '../hooks/bundle';
import type { Displayed } from '../hooks/decode';
import { useCase } from '../state/case';
import { useView } from '../state/view';
import { renderOverlayPng } from '../viewer/export';
import type { ViewerLayers } from '../viewer/types';
import { autoWindowLevel } from '../viewer/window-level';
import { errorMessage, locusWorker } from '../worker-client';

export function ExportPanel({ displayed, metrics, layers }: { displayed: Displayed; metrics: MaskMetrics | null; layers: ViewerLayers }) {
  const bundle = useActiveBundle();
  const analysis = useCase((s) => s.analysis);
  const image = useCase((s) => s.image);
  const truthName = useCase((s) => s.truth?.name ?? null);
  const result = displayed.result;
  const name = stem(image?.name ?? null);
  const mask = useMutation({
    mutationFn: async () => {
      const png = await locusWorker().encodeMaskPng(result!.mask, result!.width, result!.height);
      download(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), `${name}-mask.png`);
    },
  });
  const overlay = useMutation({
    mutationFn: async () => {
      const { overlays, windowLevel } = useView.getState();
      const level = windowLevel ?? autoWindowLevel(image!.gray);
      download(await renderOverlayPng(layers, overlays, level), `${name}-overlay.png`);
    },
  });
  const seg = useMutation({
    mutationFn: async () => {
      const bytes = await locusWorker().exportSegmentation(image!.id, result!.mask);
      download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/dicom' }), `${name}-seg.dcm`);
    },
  });
  const exportJson = () => {
    if (bundle === undefined || analysis === null || result === null) return;
    const dicom = image?.dicom ?? null;
    const record = resultRecord({ bundle, analysis, result, metrics, imageName: image?.name ?? null, truthName, dicom });
    download(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }), `${name}-locus.json`);
  };
  // Only a result that matches what is on screen may leave the studio.
  const why = result === null ? null : displayed.stale ?? (displayed.pending ? 'the mask is being updated' : null);
  const disabled = result === null || why !== null;
  const failure = mask.error ?? overlay.error ?? seg.error;
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
        {image?.dicom != null && (
          <button type="button" disabled={disabled || seg.isPending} onClick={() => seg.mutate()} title="A binary DICOM Segmentation referencing this image (no patient name or ID)">
            Export DICOM SEG
          </button>
        )}
      </div>
      {why !== null && <p className="hint">Export waits: {why}.</p>}
      {failure !== null && (
        <p role="alert" className="error">
          Export failed: {errorMessage(failure)}
        </p>
      )}
    </section>
  );
}
