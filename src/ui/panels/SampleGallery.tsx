/** The shipped sample cases: one click loads image, report and ground truth, and segments. */
import { memo, useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useActiveBundle } from '../hooks/bundle';
import { useAnalyzing, useLoadSample } from '../hooks/case-actions';
import { SAMPLES, fetchSampleFile, useSamples, type Sample } from '../hooks/samples';
import { useCase } from '../state/case';
import { locusWorker } from '../worker-client';

const THUMB_SIDE = 128;

/**
 * Browsers show a 16-bit PNG by its high byte, so 12-bit content looks black: those samples get a
 * preview the worker scales by the image's real range, as the viewer does.
 */
function Thumbnail({ sample }: { sample: Sample }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const preview = useQuery({
    queryKey: ['preview', sample.image],
    queryFn: async () => locusWorker().previewImage(await fetchSampleFile(sample.image), THUMB_SIDE),
    enabled: sample.bits > 8,
    staleTime: Infinity,
  });
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    const gray = preview.data;
    if (!ctx || !gray) return;
    const rgba = new ImageData(gray.width, gray.height);
    gray.data.forEach((v, i) => rgba.data.set([v, v, v, 255], i * 4));
    ctx.canvas.width = gray.width;
    ctx.canvas.height = gray.height;
    ctx.putImageData(rgba, 0, 0);
  }, [preview.data]);
  if (sample.bits <= 8) return <img src={`${SAMPLES}${sample.image}`} alt="" loading="lazy" />;
  return <canvas ref={canvas} aria-hidden="true" />;
}

/** Memoised: the studio re-renders on every re-run, this panel only when its own props change. */
export const SampleGallery = memo(function SampleGallery() {
  const samples = useSamples();
  const loadSample = useLoadSample();
  const analyzing = useAnalyzing();
  const imageName = useCase((s) => s.image?.name ?? null);
  const modality = useActiveBundle()?.manifest.modality;
  if (samples.isPending) return <section className="panel" aria-busy="true">Loading samples…</section>;
  if (samples.isError) {
    return (
      <section className="panel" role="alert">
        Could not load the samples: {samples.error.message}
      </section>
    );
  }
  // A chest X-ray sample means nothing to a CT bundle (and the reverse): show only matching ones.
  const matching = samples.data.filter((sample) => modality === undefined || sample.modality === modality);
  return (
    <section className="panel" aria-labelledby="samples-heading">
      <h2 id="samples-heading">Samples</h2>
      {matching.length === 0 && (
        <p className="hint">
          No shipped samples for {modality?.toUpperCase()} bundles (the training data may not be redistributed): open
          your own image above.
        </p>
      )}
      <ul className="gallery">
        {matching.map((sample) => (
          <li key={sample.id}>
            <button
              type="button"
              className={`sample${imageName === sample.image ? ' active' : ''}`}
              disabled={analyzing}
              title={sample.report}
              aria-label={`Sample: ${sample.title}`}
              onClick={() => loadSample(sample)}
            >
              <Thumbnail sample={sample} />
              <span>{sample.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
});
