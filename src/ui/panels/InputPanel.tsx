/** The case's inputs: image (drop zone or picker), ground truth, report, and the Segment button. */
import { memo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useActiveBundle } from '../hooks/bundle';
import { useAnalyzing, useOpenImage, useOpenTruth, useSegment } from '../hooks/case-actions';
import { useDropTarget } from '../hooks/drop';
import { useCase } from '../state/case';
import { locusWorker } from '../worker-client';
import { imageNoun } from '../modality';
import { DicomFacts } from './DicomFacts';
import { ModalityPrompt, useModalityMismatch } from './ModalityPrompt';
import { Warnings } from './Warnings';

const IMAGE_TYPES = 'image/png,image/jpeg,application/dicom,.png,.jpg,.jpeg,.dcm';

function DropZone() {
  const openImage = useOpenImage();
  const image = useCase((s) => s.image);
  const noun = imageNoun(useActiveBundle()?.manifest.modality);
  const { over, handlers } = useDropTarget((transfer) => {
    const file = transfer.files[0];
    if (file !== undefined) openImage.mutate(file);
  });
  const bits = image !== null && image.dicom === null && image.gray.maxValue > 255 ? ` · ${Math.log2(image.gray.maxValue + 1)}-bit` : '';
  return (
    <div className={`drop-zone${over ? ' over' : ''}`} {...handlers}>
      <label className="file-label">
        <span>{noun}</span>
        <input
          type="file"
          accept={IMAGE_TYPES}
          aria-label="Image"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined) openImage.mutate(file);
            event.target.value = '';
          }}
        />
      </label>
      <p className="hint">
        {image === null ? 'Drop a DICOM, PNG or JPEG (8- or 16-bit) here' : `${image.name} · ${image.gray.width}×${image.gray.height}${bits}`}
        {openImage.isPending && ' · opening…'}
      </p>
      {image?.dicom != null && <DicomFacts imageId={image.id} dicom={image.dicom} />}
      {image !== null && <Warnings source={image.id} warnings={image.warnings} label="Image" />}
    </div>
  );
}

function TruthInput() {
  const openTruth = useOpenTruth();
  const truth = useCase((s) => s.truth);
  const hasImage = useCase((s) => s.image !== null);
  return (
    <div className="truth-input">
      <label className="file-label">
        <span>Ground truth mask (optional: PNG or DICOM SEG)</span>
        <input
          type="file"
          accept={IMAGE_TYPES}
          aria-label="Ground truth mask"
          disabled={!hasImage}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined) openTruth.mutate(file);
            event.target.value = '';
          }}
        />
      </label>
      {truth !== null && (
        <>
          <p className="hint">
            {truth.name}{' '}
            <button type="button" className="link" onClick={() => openTruth.mutate(null)}>
              Remove
            </button>
          </p>
          <Warnings source={`truth-${truth.mask.truthId}`} warnings={truth.mask.warnings} label="Ground truth" />
        </>
      )}
    </div>
  );
}

/** What the worker says about the report as it is typed: a refusal (empty) or warnings. */
function useReportCheck(report: string) {
  const engineId = useActiveBundle()?.engineId;
  return useQuery({
    queryKey: ['report-check', report, engineId],
    queryFn: () => locusWorker().checkReport(report),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 10_000,
  });
}

/** Memoised: the studio re-renders on every re-run, this panel only when its own props change. */
export const InputPanel = memo(function InputPanel() {
  const report = useCase((s) => s.report);
  const setReport = useCase((s) => s.setReport);
  const hasImage = useCase((s) => s.image !== null);
  const error = useCase((s) => s.error);
  const notice = useCase((s) => s.notice);
  const ready = useActiveBundle() !== undefined;
  const segment = useSegment();
  const analyzing = useAnalyzing();
  const check = useReportCheck(report).data;
  const refusal = report.trim() === '' ? (check?.refusal ?? 'the report is empty') : null;
  const image = useCase((s) => s.image);
  const mismatch = useModalityMismatch();
  return (
    <section className="panel" aria-labelledby="case-heading">
      <h2 id="case-heading">Case</h2>
      <DropZone />
      {image !== null && mismatch !== null && <ModalityPrompt image={image} problem={mismatch} />}
      <TruthInput />
      <label className="field">
        <span>Report</span>
        <textarea
          aria-label="Report"
          rows={4}
          value={report}
          placeholder="e.g. Bilateral pulmonary infection, two infected areas, upper left lung and lower right lung."
          onChange={(event) => setReport(event.target.value)}
        />
      </label>
      {hasImage && refusal !== null && <p className="hint report-refusal">Segment needs a report: {refusal}.</p>}
      {refusal === null && check !== undefined && <Warnings source={`report:${report}`} warnings={check.warnings} label="Report" />}
      <button
        type="button"
        className="primary"
        disabled={!hasImage || !ready || analyzing || refusal !== null || mismatch !== null}
        aria-busy={analyzing}
        onClick={segment}
      >
        {analyzing ? 'Segmenting…' : 'Segment'}
      </button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notice !== null && (
        <p className="notice" role="note">
          {notice}
        </p>
      )}
    </section>
  );
});
