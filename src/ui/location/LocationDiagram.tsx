/**
 * Where the report puts the infection and where each GPFC stage does: a "Report" lung diagram
 * and one per stage shaded by probability (the heatmap's colour table), stage regions that
 * disagree with the report flagged on the diagram and listed in words, and a table with every
 * number for screen readers.
 */
import { useId } from 'react';
import { colormapCss } from '../viewer/colormap';
import { summarizeRegions, type RegionSummary } from './lung-regions';
import { LungPanel, type RegionLook } from './LungPanel';
import './location.css';

export interface LocationDiagramProps {
  /** Region names in manifest order (right_upper, ..., left_lower). */
  regions: string[];
  /** 0/1 per region from the report; null when the report is unreadable. */
  parsed: number[] | null;
  /** GPFC probabilities [stage][region]; null before an analysis. */
  stages: number[][] | null;
  /** A stage says "lesion" at probability >= threshold. */
  threshold?: number;
}

/** Text on an inferno fill: dark on the bright end, light on the dark end. */
function probabilityLook(p: number, flagged: boolean): RegionLook {
  return { fill: colormapCss(p), text: p.toFixed(2), textColor: p > 0.62 ? '#111318' : '#f5f7fa', flagged };
}

function reportLook(parsed: number | null): RegionLook {
  if (parsed === null) return { fill: '#1b2129', text: '?', textColor: '#8592a3', flagged: false };
  return parsed
    ? { fill: '#d9e1ea', text: 'yes', textColor: '#111318', flagged: false }
    : { fill: '#1b2129', text: 'no', textColor: '#8592a3', flagged: false };
}

function Disagreements({ rows, readable, threshold }: { rows: RegionSummary[]; readable: boolean; threshold: number }) {
  if (!readable) return <p className="location-note">The report could not be read, so no stage is compared with it.</p>;
  const items = rows.flatMap((row) =>
    row.disagreements.flatMap((d, s) =>
      d ? [`Stage ${s + 1}, ${row.label}: ${row.probabilities[s]?.toFixed(2)} (report: ${row.parsed ? 'yes' : 'no'})`] : [],
    ),
  );
  if (items.length === 0) {
    return <p className="location-note">Every stage agrees with the report (threshold {threshold}).</p>;
  }
  return (
    <>
      <p className="location-note">≠ Disagrees with the report (probability on the other side of {threshold}):</p>
      <ul className="location-disagreements">
        {items.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
    </>
  );
}

function RegionTable({ rows, stageCount }: { rows: RegionSummary[]; stageCount: number }) {
  const stages = Array.from({ length: stageCount }, (_, s) => s);
  return (
    <table className="location-table">
      <caption>GPFC region probabilities</caption>
      <thead>
        <tr>
          <th scope="col">Region</th>
          <th scope="col">Report</th>
          {stages.map((s) => (
            <th scope="col" key={s}>
              Stage {s + 1}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row">{row.label}</th>
            <td>{row.parsed === null ? 'unknown' : row.parsed ? 'yes' : 'no'}</td>
            {stages.map((s) => (
              <td key={s} className={row.disagreements[s] ? 'is-disagreement' : undefined}>
                {row.probabilities[s]?.toFixed(2)}
                {row.disagreements[s] && (
                  <>
                    {' ≠'}
                    <span className="location-sr-only"> (disagrees with the report)</span>
                  </>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LocationDiagram({ regions, parsed, stages, threshold = 0.5 }: LocationDiagramProps) {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const rows = summarizeRegions(regions, parsed, stages, threshold);
  const stageCount = stages?.length ?? 0;
  return (
    <div className="location">
      <div className="location-panels">
        <LungPanel
          title={parsed ? 'Report' : 'Report (unreadable)'}
          idPrefix={`loc${uid}-report`}
          regions={rows}
          look={(row) => reportLook(row.parsed)}
        />
        {Array.from({ length: stageCount }, (_, s) => (
          <LungPanel
            key={s}
            title={`Stage ${s + 1}`}
            idPrefix={`loc${uid}-s${s}`}
            regions={rows}
            look={(row) => probabilityLook(row.probabilities[s] ?? 0, row.disagreements[s] ?? false)}
          />
        ))}
      </div>
      {stageCount > 0 && <Disagreements rows={rows} readable={parsed !== null} threshold={threshold} />}
      <RegionTable rows={rows} stageCount={stageCount} />
    </div>
  );
}
