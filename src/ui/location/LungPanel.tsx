/**
 * One small lung diagram in radiological view (the patient's right lung on the image's left),
 * each of the six regions filled and labelled by the caller. Flagged regions get a dashed amber
 * outline and a "≠" beside their text, so the flag does not rest on colour alone.
 */
import type { RegionSummary, Side, Zone } from './lung-regions';

export interface RegionLook {
  fill: string;
  text: string;
  textColor: string;
  flagged: boolean;
}

// viewBox 0 0 120 118; the mediastinum runs between x = 56 and 64.
const LUNGS: Record<Side, string> = {
  right: 'M 36 16 C 18 18, 6 60, 3 108 C 20 115, 40 113, 55 107 L 55 30 C 53 20, 45 15, 36 16 Z',
  left: 'M 84 16 C 102 18, 114 60, 117 108 C 100 115, 80 113, 65 107 L 65 30 C 67 20, 75 15, 84 16 Z',
};
const TOP = 16;
const BOTTOM = 113;
const BAND = (BOTTOM - TOP) / 3;
const ZONE_INDEX: Record<Zone, number> = { upper: 0, middle: 1, lower: 2 };
/** Where each zone's text sits: the lungs are narrow at the apex, so the upper label sits low. */
const TEXT_Y: Record<Zone, number> = { upper: 42, middle: 69, lower: 99 };
const TEXT_X: Record<Side, number> = { right: 32, left: 88 };
const FLAG = '#fbbf24';

/** Dark text gets a light halo and light text a dark one. */
function haloColor(textColor: string): string {
  const [r = 0, g = 0, b = 0] = (textColor.match(/[0-9a-f]{2}/gi) ?? []).map((h) => parseInt(h, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128 ? 'rgba(245, 247, 250, 0.85)' : 'rgba(11, 14, 19, 0.85)';
}

function bandRect(zone: Zone, side: Side) {
  const x = side === 'right' ? 0 : 60;
  return { x, y: TOP + ZONE_INDEX[zone] * BAND, width: 60, height: BAND };
}

function RegionShape({ region, look, ids }: { region: RegionSummary; look: RegionLook; ids: Record<string, string> }) {
  if (!region.place) return null;
  const { side, zone } = region.place;
  const band = bandRect(zone, side);
  const bandId = ids[`${side}-${zone}`];
  return (
    <g>
      <g clipPath={`url(#${ids[side]})`}>
        <rect {...band} fill={look.fill} stroke="#0b0e13" strokeWidth={1.2} />
        {look.flagged && <rect {...band} fill="none" stroke={FLAG} strokeWidth={5} strokeDasharray="4 2.5" />}
      </g>
      {look.flagged && (
        <path d={LUNGS[side]} clipPath={`url(#${bandId})`} fill="none" stroke={FLAG} strokeWidth={2.5} strokeDasharray="4 2.5" />
      )}
      {/* A halo in the opposite tone keeps the number readable where it crosses the narrow apex's edge. */}
      <text
        x={TEXT_X[side]}
        y={TEXT_Y[zone]}
        fill={look.textColor}
        stroke={haloColor(look.textColor)}
        strokeWidth={3}
        strokeLinejoin="round"
        paintOrder="stroke"
        fontSize={11}
        fontWeight={600}
        textAnchor="middle"
      >
        {look.text}
        {look.flagged && (
          <tspan fontWeight={800} fontSize={9} dy={-3}>
            ≠
          </tspan>
        )}
      </text>
    </g>
  );
}

export interface LungPanelProps {
  title: string;
  /** Unique among the page's panels (clip-path ids derive from it). */
  idPrefix: string;
  regions: readonly RegionSummary[];
  look(region: RegionSummary): RegionLook;
}

export function LungPanel({ title, idPrefix, regions, look }: LungPanelProps) {
  const ids: Record<string, string> = { right: `${idPrefix}-right`, left: `${idPrefix}-left` };
  for (const side of ['right', 'left'] as const) {
    for (const zone of ['upper', 'middle', 'lower'] as const) ids[`${side}-${zone}`] = `${idPrefix}-${side}-${zone}`;
  }
  return (
    <figure className="location-panel">
      <svg width={126} height={124} viewBox="0 0 120 118" aria-hidden="true">
        <defs>
          {(['right', 'left'] as const).map((side) => (
            <clipPath id={ids[side]} key={side}>
              <path d={LUNGS[side]} />
            </clipPath>
          ))}
          {(['right', 'left'] as const).flatMap((side) =>
            (['upper', 'middle', 'lower'] as const).map((zone) => (
              <clipPath id={ids[`${side}-${zone}`]} key={`${side}-${zone}`}>
                <rect {...bandRect(zone, side)} />
              </clipPath>
            )),
          )}
        </defs>
        <text x={4} y={10} fill="#9aa7b6" fontSize={10} fontWeight={700}>
          R
        </text>
        <text x={116} y={10} fill="#9aa7b6" fontSize={10} fontWeight={700} textAnchor="end">
          L
        </text>
        {regions.map((region) => (
          <RegionShape key={region.name} region={region} look={look(region)} ids={ids} />
        ))}
        <path d={LUNGS.right} fill="none" stroke="#8592a3" strokeWidth={1.2} />
        <path d={LUNGS.left} fill="none" stroke="#8592a3" strokeWidth={1.2} />
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
