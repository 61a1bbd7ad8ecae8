/**
 * The six lung regions of the report grammar, placed by name (right/left x upper/middle/lower)
 * rather than by manifest order, and compared with the GPFC stage probabilities.
 */

export type Side = 'right' | 'left';
export type Zone = 'upper' | 'middle' | 'lower';
export const ZONES: readonly Zone[] = ['upper', 'middle', 'lower'];

export interface RegionPlace {
  side: Side;
  zone: Zone;
}

/** Where a region name ("right_upper", "Left-Lower", ...) lies; null when the name names no side/zone. */
export function regionPlace(name: string): RegionPlace | null {
  const words = name.toLowerCase().split(/[^a-z]+/);
  const side = words.includes('right') ? 'right' : words.includes('left') ? 'left' : null;
  const zone = ZONES.find((z) => words.includes(z)) ?? (words.includes('mid') ? 'middle' : null);
  return side && zone ? { side, zone } : null;
}

/** "Right upper" for "right_upper"; the raw name when it is not a known region. */
export function regionLabel(name: string): string {
  const place = regionPlace(name);
  return place ? `${place.side === 'right' ? 'Right' : 'Left'} ${place.zone}` : name;
}

/** A stage disagrees with the report when its thresholded probability differs from the parsed label. */
export function disagrees(probability: number, parsed: number | null | undefined, threshold: number): boolean {
  if (parsed === null || parsed === undefined) return false;
  return (probability >= threshold ? 1 : 0) !== (parsed ? 1 : 0);
}

export interface RegionSummary {
  name: string;
  label: string;
  place: RegionPlace | null;
  /** 0/1 from the report; null when the report was not readable. */
  parsed: number | null;
  /** One probability per stage (empty without GPFC output). */
  probabilities: number[];
  /** Per stage: disagrees with the report. */
  disagreements: boolean[];
}

/** Per region (manifest order): what the report says and what each stage predicts. */
export function summarizeRegions(
  regions: readonly string[],
  parsed: readonly number[] | null,
  stages: readonly (readonly number[])[] | null,
  threshold: number,
): RegionSummary[] {
  return regions.map((name, r) => {
    const said = parsed ? (parsed[r] ?? null) : null;
    const probabilities = (stages ?? []).map((stage) => stage[r] ?? 0);
    return {
      name,
      label: regionLabel(name),
      place: regionPlace(name),
      parsed: said,
      probabilities,
      disagreements: probabilities.map((p) => disagrees(p, said, threshold)),
    };
  });
}
