/**
 * Location: the regions the report names (parsed by the worker) beside the GPFC probabilities of
 * each of the 4 stages, on lung diagrams and in a table (location/LocationDiagram), stages that
 * disagree with the report highlighted. An unreadable report shows the parser's reason.
 */
import { memo } from 'react';
import { LocationDiagram } from '../location/LocationDiagram';
import type { Analysis } from '../state/case';

const THRESHOLD = 0.5;

/**
 * Why the grammar could not read the report. Text in another script leaves it no words, which the
 * parser calls an empty report: say what really happened.
 */
function unreadableReason(analysis: Analysis): string | null {
  return analysis.warnings.find((w) => w.code === 'report-not-english')?.message ?? analysis.report.reason;
}

/** Memoised: the studio re-renders on every re-run, this panel only when its own props change. */
export const LocationPanel = memo(function LocationPanel({ analysis, stale }: { analysis: Analysis | null; stale: string | null }) {
  return (
    <section className="panel" aria-labelledby="location-heading">
      <h2 id="location-heading">Location</h2>
      {analysis === null ? (
        <p className="hint">Segment a case to compare the report's regions with the model's (GPFC) after each stage.</p>
      ) : (
        <>
          {stale !== null && (
            <p className="warning" role="note">
              {stale}: these regions were read from the earlier report.
            </p>
          )}
          {!analysis.report.readable && (
            <p className="warning" role="note">
              The report could not be read: {unreadableReason(analysis)}. The text prompt still uses it; its regions are unknown.
            </p>
          )}
          <LocationDiagram
            regions={analysis.gpfc.regions}
            parsed={analysis.report.readable ? analysis.report.labels : null}
            stages={analysis.gpfc.probabilities}
            threshold={THRESHOLD}
          />
        </>
      )}
    </section>
  );
});
