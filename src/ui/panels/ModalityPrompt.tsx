/**
 * Asks before a DICOM of another modality than the bundle expects is segmented (a CT slice on the
 * chest X-ray bundle scores far below its own): load the shipped bundle that matches, or segment
 * with this one anyway. Segment waits for the answer.
 */
import { useQuery } from '@tanstack/react-query';
import { shippedChoice, useActiveBundle, useLoadBundle, useShippedBundles } from '../hooks/bundle';
import { useCase, type CaseImage } from '../state/case';
import { isStale, locusWorker } from '../worker-client';

/** Why the image on screen does not suit the bundle in use, until the user agreed; null when it suits. */
export function useModalityMismatch(): string | null {
  const image = useCase((s) => s.image);
  const bundle = useActiveBundle();
  const query = useQuery({
    queryKey: ['modality', image?.id, bundle?.engineId],
    queryFn: () => locusWorker().checkModality(image!.id),
    enabled: image?.dicom != null && bundle !== undefined,
    staleTime: Infinity,
    retry: (_, error) => !isStale(error),
  });
  if (image?.dicom == null || bundle === undefined || query.data == null) return null;
  return image.consentedBundle === bundle.manifest.bundle_id ? null : query.data.message;
}

export function ModalityPrompt({ image, problem }: { image: CaseImage; problem: string }) {
  const bundle = useActiveBundle();
  const shipped = useShippedBundles().data ?? [];
  const { mutate, isPending } = useLoadBundle();
  const consent = useCase((s) => s.consent);
  const modality = image.dicom?.info.modality ?? '';
  const matching = shipped.find((b) => b.dicomModalities.includes(modality));
  return (
    <div className="modality-prompt" role="alertdialog" aria-labelledby="modality-title" aria-describedby="modality-text">
      <p id="modality-title" className="prompt-title">
        This {modality} image does not suit {bundle?.manifest.title ?? 'the bundle in use'}
      </p>
      <p id="modality-text" className="hint">
        {problem}. Segment with a bundle trained on {modality}, or go on knowing the result may mean little.
      </p>
      <div className="row buttons">
        {matching !== undefined && (
          <button type="button" className="primary" disabled={isPending} onClick={() => mutate(shippedChoice(matching))}>
            Load {matching.title}
          </button>
        )}
        <button type="button" disabled={bundle === undefined} onClick={() => consent(bundle!.manifest.bundle_id)}>
          Segment with {bundle?.manifest.title ?? 'this bundle'} anyway
        </button>
      </div>
    </div>
  );
}
