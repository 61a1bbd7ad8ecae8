/** The case's inputs: image (drop zone or picker), ground truth, report, and the Segment button. */
import { useState, type DragEvent } from 'react';
import { useBundle } from '../hooks/bundle';
import { useAnalyzing, useOpenImage, useOpenTruth, useSegment } from '../hooks/case-actions';
import { useCase } from '../state/case';

const IMAGE_TYPES = 'image/png,image/jpeg,.png,.jpg,.jpeg';

function DropZone() {
  const openImage = useOpenImage();
  const imageName = useCase((s) => s.imageName);
  const image = useCase((s) => s.image);
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined) openImage.mutate(file);
  };
  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label className="file-label">
        <span>X-ray image</span>
        <input
          type="file"
          accept={IMAGE_TYPES}
          aria-label="X-ray image"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined) openImage.mutate(file);
            event.target.value = '';
          }}
        />
      </label>
      <p className="hint">
        {image === null ? 'Drop a PNG or JPEG (8- or 16-bit) here' : `${imageName} · ${image.width}×${image.height}`}
        {image !== null && image.maxValue > 255 && ` · ${Math.log2(image.maxValue + 1)}-bit`}
      </p>
    </div>
  );
}

function TruthInput() {
  const openTruth = useOpenTruth();
  const truthName = useCase((s) => s.truthName);
  const hasImage = useCase((s) => s.image !== null);
  return (
    <div className="truth-input">
      <label className="file-label">
        <span>Ground truth mask (optional)</span>
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
      {truthName !== null && (
        <p className="hint">
          {truthName}{' '}
          <button type="button" className="link" onClick={() => openTruth.mutate(null)}>
            Remove
          </button>
        </p>
      )}
    </div>
  );
}

export function InputPanel() {
  const report = useCase((s) => s.report);
  const setReport = useCase((s) => s.setReport);
  const hasImage = useCase((s) => s.image !== null);
  const error = useCase((s) => s.error);
  const ready = useBundle().query.isSuccess;
  const segment = useSegment();
  const analyzing = useAnalyzing();
  return (
    <section className="panel" aria-labelledby="case-heading">
      <h2 id="case-heading">Case</h2>
      <DropZone />
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
      <button type="button" className="primary" disabled={!hasImage || !ready || analyzing} onClick={() => segment.mutate()}>
        {analyzing ? 'Segmenting…' : 'Segment'}
      </button>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
