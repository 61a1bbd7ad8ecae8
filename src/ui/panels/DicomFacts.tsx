/**
 * What the studio shows about an opened DICOM image: modality, size, depth, units, pixel spacing
 * and transfer syntax; a frame picker for multi-frame images; and the patient's name and ID only
 * after the user asks (kept in this component alone: never in a store, an export or a log).
 */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { DicomSummary, PatientIdentity } from '../../worker/api';
import { useSelectFrame } from '../hooks/case-actions';
import { errorMessage, locusWorker } from '../worker-client';

function spacingText({ spacing }: DicomSummary['info']): string | null {
  if (spacing === null) return null;
  const mm = `${spacing.column.toFixed(3)} × ${spacing.row.toFixed(3)} mm`;
  return spacing.at === 'detector' ? `${mm} at the detector (not corrected for magnification)` : mm;
}

function FramePicker({ dicom }: { dicom: DicomSummary }) {
  const select = useSelectFrame();
  const [typed, setTyped] = useState<string | null>(null);
  const frames = dicom.info.frames;
  const shown = typed ?? String(dicom.frame + 1);
  const go = (value: string) => {
    const frame = Number(value);
    setTyped(null);
    if (Number.isInteger(frame) && frame >= 1 && frame <= frames && frame - 1 !== dicom.frame) select.mutate(frame - 1);
  };
  return (
    <div className="row frame-picker">
      <label>
        Frame{' '}
        <input
          type="number"
          aria-label="Frame"
          min={1}
          max={frames}
          value={shown}
          disabled={select.isPending}
          onChange={(e) => setTyped(e.target.value)}
          onBlur={(e) => go(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && go((e.target as HTMLInputElement).value)}
        />{' '}
        of {frames}
      </label>
      <input
        type="range"
        aria-label="Frame slider"
        min={1}
        max={frames}
        value={dicom.frame + 1}
        disabled={select.isPending}
        onChange={(e) => go(e.target.value)}
      />
    </div>
  );
}

/** The patient's name and ID on request; forgotten when the image changes (the component is keyed by image). */
function PatientDetails({ imageId }: { imageId: string }) {
  const [identity, setIdentity] = useState<PatientIdentity | null>(null);
  const ask = useMutation({ mutationFn: () => locusWorker().patientIdentity(imageId), onSuccess: setIdentity, gcTime: 0 });
  if (identity === null) {
    return (
      <p className="hint patient">
        Patient details hidden.{' '}
        <button type="button" className="link" onClick={() => ask.mutate()} disabled={ask.isPending}>
          Show patient name and ID
        </button>
        {ask.error && <span className="error"> {errorMessage(ask.error)}</span>}
      </p>
    );
  }
  return (
    <p className="hint patient" aria-label="Patient details">
      Patient: {identity.name ?? '(no name)'} · ID {identity.id ?? '(none)'}{' '}
      <button type="button" className="link" onClick={() => setIdentity(null)}>
        Hide
      </button>
    </p>
  );
}

export function DicomFacts({ imageId, dicom }: { imageId: string; dicom: DicomSummary }) {
  const { info } = dicom;
  const bits = `${info.bitsStored}-bit${info.signed ? ' signed' : ''}`;
  const facts: [string, string | null][] = [
    ['Modality', `${info.modality} (${info.sopClass})`],
    ['Pixels', `${info.columns} × ${info.rows}, ${bits}, ${info.photometric}${info.unit ? `, values in ${info.unit}` : ''}`],
    ['Pixel spacing', spacingText(info)],
    ['Encoding', `${info.transferSyntax.name}${info.transferSyntax.lossy ? ' (lossy)' : ''}`],
    ['Body part', [info.bodyPart, info.viewPosition].filter(Boolean).join(', ') || null],
  ];
  return (
    <div className="dicom-facts" aria-label="DICOM">
      <dl className="facts">
        {facts
          .filter((fact): fact is [string, string] => fact[1] !== null)
          .map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {info.frames > 1 && <FramePicker dicom={dicom} />}
      <PatientDetails key={imageId} imageId={imageId} />
    </div>
  );
}
