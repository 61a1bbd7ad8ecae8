/** Per-stage times of the last analysis and of the result on screen (a decoder-only re-run). */
import type { Stage, StageTimings } from '../../worker/api';
import type { Analysis } from '../state/case';
import type { Displayed } from '../hooks/decode';

const LABELS: Record<Stage, string> = {
  preprocess: 'Preprocess',
  prompt_generator: 'Prompt generator',
  sam_image_encoder: 'Image encoder',
  points: 'Top-k points',
  decoder: 'Decoder',
  postprocess: 'Post-process',
};

function total(timings: StageTimings): number {
  return Object.values(timings).reduce((sum, ms) => sum + (ms ?? 0), 0);
}

export function TimingsPanel({ analysis, displayed }: { analysis: Analysis | null; displayed: Displayed }) {
  if (analysis === null) return null;
  const rerun = displayed.result !== null && displayed.result !== analysis ? displayed.result.timings : null;
  return (
    <section className="panel" aria-labelledby="timings-heading">
      <h2 id="timings-heading">Timings</h2>
      <table className="compact timings">
        <thead>
          <tr>
            <th scope="col">Stage (ms)</th>
            <th scope="col">Analysis</th>
            <th scope="col">Re-run</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(LABELS) as Stage[]).map((stage) => (
            <tr key={stage}>
              <th scope="row">{LABELS[stage]}</th>
              <td>{analysis.timings[stage]?.toFixed(1) ?? '—'}</td>
              <td>{rerun?.[stage]?.toFixed(1) ?? '—'}</td>
            </tr>
          ))}
          <tr className="total">
            <th scope="row">Total</th>
            <td>{total(analysis.timings).toFixed(1)}</td>
            <td>{rerun === null ? '—' : total(rerun).toFixed(1)}</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">
        Embedding kept in {analysis.embeddingLocation === 'gpu-buffer' ? 'a GPU buffer' : 'CPU memory'}.
        {analysis.backend.ep === 'webgpu' && ' Each graph is timed until the GPU has finished it, so no stage is billed for another one\'s queued work.'}
      </p>
    </section>
  );
}
